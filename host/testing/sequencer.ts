// The order test files start in. Several files run at once (vitest.config.ts, maxWorkers), so the
// suite ends when its longest file ends: the long files have to start first. Vitest's own order
// does this from its results cache (node_modules/.vite/vitest), which a fresh clone, and CI after
// `npm ci`, does not have; then it starts the largest files first, and the slowest ones are not the
// largest. The cache also misleads: a file skipped last time (the Redis tests of a run without
// REDIS_URL) is cached as taking no time, and the scale-out test, so cached, started last and ended
// the run 40 s after every other file. So a file's expected time is the longer of the cached one and
// an estimate: the known long files' measured times, else seconds for a file that starts an app (or
// another fixture app) in a child process, plus its size.
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** The files known to take longest, in seconds (measured on a 2-core machine): they start first. */
const KNOWN_SLOW: Record<string, number> = {
  "tests/intelligence-bombs.test.ts": 60,
  "tests/scaleout.test.ts": 55,
  "host/runtime/runtime.test.ts": 30,
  "tests/fuzz.test.ts": 25,
  "monitoring/replay.test.ts": 25,
  "monitoring/domain/replay.test.ts": 22,
  "host/server/robustness.test.ts": 20,
};

const STARTS_AN_APP = /\b(useFixture|startFixture|runFixtureToExit)\(/;

function estimateMs(root: string, file: string): number {
  const rel = path.relative(root, file).split(path.sep).join("/");
  if (KNOWN_SLOW[rel] !== undefined) return KNOWN_SLOW[rel] * 1000;
  try {
    const size = statSync(file).size;
    const startsApp = STARTS_AN_APP.test(readFileSync(file, "utf8"));
    return (startsApp ? 10_000 : 0) + size / 10;
  } catch {
    return 0;
  }
}

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const duration = (spec: TestSpecification): number => {
      const key = `${spec.project.name}:${path.relative(root, spec.moduleId)}`;
      return Math.max(this.ctx.cache.getFileTestResults(key)?.duration ?? 0, estimateMs(root, spec.moduleId));
    };
    const failed = (spec: TestSpecification): boolean =>
      this.ctx.cache.getFileTestResults(`${spec.project.name}:${path.relative(root, spec.moduleId)}`)?.failed ?? false;
    const withTimes = files.map((spec) => ({ spec, ms: duration(spec), failed: failed(spec) }));
    // Failed last time first (as Vitest does: the answer that matters comes soonest), then the longest.
    withTimes.sort((a, b) => Number(b.failed) - Number(a.failed) || b.ms - a.ms);
    return withTimes.map((x) => x.spec);
  }
}
