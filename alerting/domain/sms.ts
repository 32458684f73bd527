// SMS encoding and segment counting (GSM 03.38 vs UCS-2), as carriers bill them. Pure.
//
// A message of GSM-7 characters fits 160 septets in one segment, 153 per segment when split (the
// user-data header takes 7); the extension table's characters (^ { } \ [ ~ ] | €, form feed) cost
// two septets and never straddle a segment. Any other character makes the whole message UCS-2:
// 70 UTF-16 units in one segment, 67 per part, and a surrogate pair (emoji) is never split.

const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED = "^{}\\[~]|€\f";
const BASIC = new Set(GSM_BASIC);
const EXTENDED = new Set(GSM_EXTENDED);

/** How a text travels as SMS. */
export interface SmsSegments {
  encoding: "GSM-7" | "UCS-2";
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
  /** Units left in the last segment. */
  remaining: number;
}

/** True when every character is in the GSM-7 basic or extension table. */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!BASIC.has(ch) && !EXTENDED.has(ch)) return false;
  return true;
}

/** The cost in units of each character, in order (GSM-7 septets or UTF-16 units). */
function costs(text: string, gsm: boolean): number[] {
  return Array.from(text, (ch) => (gsm ? (EXTENDED.has(ch) ? 2 : 1) : ch.length));
}

/** Packs character costs into segments of `perPart` units, never splitting one character. */
function pack(charCosts: number[], perPart: number): { segments: number; lastUsed: number } {
  let segments = 1;
  let used = 0;
  for (const c of charCosts) {
    if (used + c > perPart) {
      segments++;
      used = 0;
    }
    used += c;
  }
  return { segments, lastUsed: used };
}

/** Encoding, size and segment count of a text sent as SMS. */
export function smsSegments(text: string): SmsSegments {
  const gsm = isGsm7(text);
  const single = gsm ? 160 : 70;
  const multi = gsm ? 153 : 67;
  const charCosts = costs(text, gsm);
  const units = charCosts.reduce((a, b) => a + b, 0);
  if (units <= single) return { encoding: gsm ? "GSM-7" : "UCS-2", units, segments: 1, remaining: single - units };
  const { segments, lastUsed } = pack(charCosts, multi);
  return { encoding: gsm ? "GSM-7" : "UCS-2", units, segments, remaining: multi - lastUsed };
}

/**
 * The longest prefix of `text` (ending in "…" when cut) that fits in `maxSegments` segments of its
 * own encoding. The ellipsis is UCS-2, so a cut GSM-7 text ends in "..." instead.
 */
export function fitSms(text: string, maxSegments = 1): string {
  if (smsSegments(text).segments <= maxSegments) return text;
  const chars = Array.from(text);
  const gsm = isGsm7(text);
  const tail = gsm ? "..." : "…";
  let lo = 0;
  let hi = chars.length;
  // Binary search on the number of characters kept.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const candidate = chars.slice(0, mid).join("").trimEnd() + tail;
    if (smsSegments(candidate).segments <= maxSegments) lo = mid;
    else hi = mid - 1;
  }
  return chars.slice(0, lo).join("").trimEnd() + tail;
}
