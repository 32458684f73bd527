// SMS encoding and segment counting (GSM 03.38 vs UCS-2), as carriers bill them. Pure.
//
// A message of GSM-7 characters fits 160 septets in one segment, 153 per segment when split (the
// user-data header takes 7); the extension table's characters (^ { } \ [ ~ ] | €, form feed) cost
// two septets and never straddle a segment. Any other character makes the whole message UCS-2:
// 70 UTF-16 units in one segment, 67 per part, and a surrogate pair (emoji) is never split.

const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
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

// Characters outside GSM-7 that have a close GSM-7 spelling. Anything else outside GSM-7 is first
// stripped of its accents (NFD), then spelt from these tables, then replaced by "?": one stray
// character must never turn a whole alert into UCS-2 (70 characters a segment).
const SPELLING: Record<string, string> = {
  "×": "x",
  "−": "-",
  "–": "-",
  "—": "-",
  "‐": "-",
  "‑": "-",
  "‒": "-",
  "‘": "'",
  "’": "'",
  "‚": "'",
  "′": "'",
  "´": "'",
  "`": "'",
  "“": '"',
  "”": '"',
  "„": '"',
  "″": '"',
  "«": '"',
  "»": '"',
  "‹": "'",
  "›": "'",
  "…": "...",
  "•": "*",
  "·": "-",
  "÷": "/",
  "≥": ">=",
  "≤": "<=",
  "≠": "!=",
  "±": "+/-",
  "→": "->",
  "←": "<-",
  "‰": " per mille",
  "°": " deg",
  "©": "(c)",
  "®": "(R)",
  "™": "TM",
  œ: "oe",
  Œ: "OE",
  ł: "l",
  Ł: "L",
  đ: "d",
  Đ: "D",
  ð: "d",
  Ð: "D",
  þ: "th",
  Þ: "Th",
  ı: "i",
  ĳ: "ij",
  Ĳ: "IJ",
  ŀ: "l",
  Ŀ: "L",
  ħ: "h",
  Ħ: "H",
  ŧ: "t",
  Ŧ: "T",
  ſ: "s",
  ƒ: "f",
  "¢": "c",
  "₹": "Rs",
  "₽": "RUB",
  "₩": "W",
  "₺": "TL",
};
// Cyrillic and the Greek small letters (GSM-7 has only some Greek capitals), spelt in Latin letters.
const CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяєіїґ";
const CYRILLIC_LATIN = [
  "a",
  "b",
  "v",
  "g",
  "d",
  "e",
  "yo",
  "zh",
  "z",
  "i",
  "y",
  "k",
  "l",
  "m",
  "n",
  "o",
  "p",
  "r",
  "s",
  "t",
  "u",
  "f",
  "kh",
  "ts",
  "ch",
  "sh",
  "shch",
  "",
  "y",
  "",
  "e",
  "yu",
  "ya",
  "ye",
  "i",
  "yi",
  "g",
];
const GREEK = "αβγδεζηθικλμνξοπρσςτυφχψω";
const GREEK_LATIN = ["a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o", "p", "r", "s", "s", "t", "y", "f", "ch", "ps", "o"];
for (const [letters, latin] of [
  [CYRILLIC, CYRILLIC_LATIN],
  [GREEK, GREEK_LATIN],
] as const) {
  Array.from(letters).forEach((ch, i) => {
    const l = latin[i]!;
    SPELLING[ch] = l;
    const upper = ch.toUpperCase();
    if (upper !== ch && !BASIC.has(upper)) SPELLING[upper] = l.charAt(0).toUpperCase() + l.slice(1);
  });
}

/** The text in GSM-7 characters only: look-alikes spelt in GSM-7, accents dropped where GSM-7 lacks the letter, the rest "?". */
export function toGsm7(text: string): string {
  let out = "";
  for (const ch of text) {
    if (BASIC.has(ch) || EXTENDED.has(ch)) {
      out += ch;
      continue;
    }
    if (/\s/u.test(ch)) {
      out += " ";
      continue;
    }
    const spelt = SPELLING[ch];
    if (spelt !== undefined) {
      out += spelt;
      continue;
    }
    // "ą" → "a", "ő" → "o", but "é" stays (it is GSM-7 itself, checked above).
    const base = ch.normalize("NFD").replace(/\p{M}+/gu, "");
    const kept = Array.from(base)
      .filter((c) => BASIC.has(c) || EXTENDED.has(c) || SPELLING[c] !== undefined)
      .map((c) => SPELLING[c] ?? c)
      .join("");
    out += kept || (/[\p{Cc}\p{Cf}]/u.test(ch) ? "" : "?");
  }
  return out;
}

/** The septets a GSM-7 text costs (extension characters count twice). */
export function septets(text: string): number {
  let n = 0;
  for (const ch of text) n += EXTENDED.has(ch) ? 2 : 1;
  return n;
}

/** The longest start of a GSM-7 text that costs at most `max` septets, ending in "..." when cut. */
export function clipSeptets(text: string, max: number): string {
  if (septets(text) <= max) return text;
  if (max < 3) return "";
  const chars = Array.from(text);
  let kept = "";
  let cost = 0;
  for (const ch of chars) {
    const c = EXTENDED.has(ch) ? 2 : 1;
    if (cost + c > max - 3) break;
    kept += ch;
    cost += c;
  }
  return `${kept.trimEnd()}...`;
}
