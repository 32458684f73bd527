// Clocks for tests that depend on the time of day (clock.mjs does the work).
import path from "node:path";
import { pathToFileURL } from "node:url";
import { shiftClock } from "./clock.mjs";

const PRELOAD = pathToFileURL(path.join(import.meta.dirname, "clock.mjs")).href;

/** Environment that makes a started app's clock (useFixture, startFixture) read `start` at start-up, then run at real speed. */
export function clockStartingAt(start: Date): Record<string, string> {
  const inherited = process.env.NODE_OPTIONS ? `${process.env.NODE_OPTIONS} ` : "";
  return { NODE_OPTIONS: `${inherited}--import=${PRELOAD}`, WARROOM_TEST_CLOCK_START: start.toISOString() };
}

/** Makes this process's clock read `start` now and run on at real speed; returns the restore function. */
export function startClockAt(start: Date): () => void {
  return shiftClock(start.getTime()) as () => void;
}
