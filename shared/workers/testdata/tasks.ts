// Tasks for pool.test.ts: each misbehaves in one way a real task might.
export function add(a: number, b: number): number {
  return a + b;
}

export function bytes(n: number): Uint8Array {
  return new Uint8Array(n).fill(7);
}

export async function sleep(ms: number): Promise<string> {
  await new Promise((r) => setTimeout(r, ms));
  return "woke";
}

/** Loops forever on the worker's event loop (only terminate() stops it). */
export function spin(): never {
  for (;;);
}

/** Keeps allocating heap until the worker's limit stops it. */
export function hog(): number {
  const keep: string[][] = [];
  for (;;) keep.push(Array.from({ length: 100_000 }, (_, i) => `${i}-${keep.length}`));
}

export function fail(message: string): never {
  throw Object.assign(new RangeError(message), { code: "E_TEST" });
}

/** Kills its own thread, as a native crash or a stray process.exit in a library would. */
export function die(): void {
  process.exit(3);
}
