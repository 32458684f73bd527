// Numeric command-line options of the benchmarks: `--name value`, checked against a minimum.
export function option(args: string[], name: string, fallback: number, min: number): number {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isFinite(v) || v < min) throw new Error(`${name} needs a number >= ${min}, got ${args[i + 1]}`);
  return v;
}
