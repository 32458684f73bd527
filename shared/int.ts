/**
 * A whole number. Encore.ts has no integer type: on the wire and under Encore's own parser this is
 * a number. Our runtime reads fields declared with it as integers (host/parser/README.md) and
 * answers 400 for fractions and for numbers past 2^53 − 1 before the handler runs, so paging and
 * time-window fields never hand SQL a value it cannot take.
 */
export type Int = number;
