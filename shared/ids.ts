// Ids: the one check that a string is a UUID (every id the services hand out or take), and
// time-ordered ids (UUIDv7, RFC 9562: 48 bits of milliseconds, then randomness) for rows that are
// appended in time order (monitoring's mentions), so the primary key grows at its right edge instead
// of splitting random pages. UUIDv7s are built from a pool of random hex (a batch of 1000 ids costs a
// few string slices, not 1000 buffers).
import { randomBytes } from "node:crypto";

let pool = "";
let offset = 0;

/** `n` random hex digits. */
function randomHex(n: number): string {
  if (offset + n > pool.length) {
    pool = randomBytes(8192).toString("hex");
    offset = 0;
  }
  const out = pool.slice(offset, offset + n);
  offset += n;
  return out;
}

const VARIANT = "89ab";

/** A new UUIDv7 for the time `now` (ms since the epoch). */
export function uuidv7(now: number = Date.now()): string {
  const t = Math.floor(now).toString(16).padStart(12, "0");
  const r = randomHex(20);
  // version 7 in the 13th digit; variant 10xx in the 17th.
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${r.slice(0, 3)}-${VARIANT[parseInt(r[3], 16) & 3]}${r.slice(4, 7)}-${r.slice(7, 19)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID in its canonical text form (any version, either case). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
