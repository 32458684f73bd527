// Test support: a clock that starts at a chosen instant and then runs at real speed, for tests whose
// outcome depends on the time of day (an hourly window, the UTC day). Code under test reads the time
// as always (Date.now(), new Date()); only the starting point moves. Durations measured with
// performance.now() and timers are untouched.
//
// Two uses: shiftClock(start) inside a test process (see clock.ts), or, for a started app, loading
// this file with `node --import` (NODE_OPTIONS) and WARROOM_TEST_CLOCK_START set, before any app
// code runs (clockStartingAt in clock.ts builds that environment).

/** Makes Date read `startMs` now and run on from there; returns a function restoring the real clock. */
export function shiftClock(startMs) {
  const RealDate = globalThis.Date;
  const offset = startMs - RealDate.now();
  const now = () => RealDate.now() + offset;
  // A function rather than a subclass so that `Date()` without `new` keeps answering a string.
  function ShiftedDate(...args) {
    if (!new.target) return new RealDate(now()).toString();
    return args.length === 0 ? new RealDate(now()) : new RealDate(...args);
  }
  ShiftedDate.prototype = RealDate.prototype;
  ShiftedDate.now = now;
  ShiftedDate.parse = RealDate.parse;
  ShiftedDate.UTC = RealDate.UTC;
  const realConstructor = Object.getOwnPropertyDescriptor(RealDate.prototype, "constructor");
  Object.defineProperty(RealDate.prototype, "constructor", { value: ShiftedDate, writable: true, configurable: true });
  globalThis.Date = ShiftedDate;
  return () => {
    globalThis.Date = RealDate;
    Object.defineProperty(RealDate.prototype, "constructor", realConstructor);
  };
}

const start = Date.parse(process.env.WARROOM_TEST_CLOCK_START ?? "");
if (Number.isFinite(start)) shiftClock(start);
