// What every benchmark shares, host's and an app's: percentiles and the results file.
import path from "node:path";
import { mkdirSync, writeFileSync } from "node:fs";

/** The nearest-rank percentile `p` (0..100) of ascending `sorted`. */
export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

/** Count, p50, p99, min and max (ms, one decimal) of `ms`. */
export function summary(ms: number[]): Record<string, number> {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: +percentile(sorted, 50).toFixed(1),
    p99Ms: +percentile(sorted, 99).toFixed(1),
    minMs: +sorted[0]!.toFixed(1),
    maxMs: +sorted.at(-1)!.toFixed(1),
  };
}

/** Writes `data` as <root>/bench-results/<name>-<timestamp>.json and returns the file's path. */
export function writeResults(root: string, name: string, data: unknown): string {
  const dir = path.join(root, "bench-results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, JSON.stringify(data, null, 2));
  return file;
}
