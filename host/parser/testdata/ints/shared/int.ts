/** An integer: a number everywhere, refused unless whole by our runtime. */
export type Int = number;
