import { expect, test } from "vitest";
import { decide, windowAt, windowPolicy } from "./ratelimit";

test("the window is the time perMinute takes to refill a burst, at least a second", () => {
  expect(windowPolicy(20, 20)).toEqual({ windowMs: 60_000, limit: 20 });
  expect(windowPolicy(3, 1)).toEqual({ windowMs: 180_000, limit: 3 });
  expect(windowPolicy(10, 60)).toEqual({ windowMs: 10_000, limit: 10 });
  // 1 in a burst at 6000 per minute: a 10 ms window is lengthened to 1 s allowing 100.
  expect(windowPolicy(1, 6000)).toEqual({ windowMs: 1000, limit: 100 });
});

test("windows are aligned fixed intervals", () => {
  expect(windowAt(125_000, 60_000)).toEqual({ index: 2, startMs: 120_000 });
});

const policy = { windowMs: 60_000, limit: 5 };

test("within the limit a request is allowed", () => {
  expect(decide(0, 0, 120_000, policy)).toEqual({ allowed: true, estimate: 1, retryAfterMs: 0 });
  expect(decide(0, 4, 120_000, policy).allowed).toBe(true);
  expect(decide(0, 5, 120_000, policy).allowed).toBe(false);
});

test("the previous window counts by how much of it still overlaps", () => {
  // 15 s into the window: 75% of the previous window's 4 still count (3) + 1 current + this one = 5.
  expect(decide(4, 1, 135_000, policy)).toMatchObject({ allowed: true, estimate: 5 });
  // 2 current: 6 > 5; room for one more when 4 * (1 - t/60) + 2 <= 4, i.e. at t = 30 s: 15 s from now.
  expect(decide(4, 2, 135_000, policy)).toEqual({ allowed: false, estimate: 6, retryAfterMs: 15_000 });
});

test("a full current window waits into the next one", () => {
  // 5 now, at 30 s: next window starts in 30 s, then 5 * (1 - t/60) <= 4 at t = 12 s.
  expect(decide(0, 5, 150_000, policy)).toMatchObject({ allowed: false, retryAfterMs: 42_000 });
  // A limit of one: only the next window's start frees the single slot entirely... and its previous count must have decayed fully.
  expect(decide(0, 1, 150_000, { windowMs: 60_000, limit: 1 })).toMatchObject({ allowed: false, retryAfterMs: 90_000 });
});

test("the wait it names is when a request really fits", () => {
  for (const [prev, curr, at] of [
    [4, 2, 135_000],
    [5, 0, 121_000],
    [0, 5, 150_000],
    [3, 4, 130_000],
    [9, 5, 120_000],
  ] as const) {
    const d = decide(prev, curr, at, policy);
    expect(d.allowed).toBe(false);
    const later = at + d.retryAfterMs;
    const sameWindow = windowAt(later, 60_000).index === windowAt(at, 60_000).index;
    const then = sameWindow ? decide(prev, curr, later, policy) : decide(curr, 0, later, policy);
    expect(then.allowed).toBe(true);
    const before = at + d.retryAfterMs - 2;
    const sameBefore = windowAt(before, 60_000).index === windowAt(at, 60_000).index;
    expect((sameBefore ? decide(prev, curr, before, policy) : decide(curr, 0, before, policy)).allowed).toBe(false);
  }
});
