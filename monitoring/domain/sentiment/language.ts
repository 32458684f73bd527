// Per-mention language detection for sentiment: function words settle most short posts; the
// rest goes to ELD (the `eld` package: n-gram profiles shipped in the package, no network, ~30 µs
// a post), restricted to the languages campaign feeds carry (among 60, "Whitfield is a liar"
// could read as Dutch). A source's own declared language wins when it gives one.
import { eld } from "eld/small";

/** Languages the scorer has a model for. */
export const SCORED_LANGUAGES = ["en", "es"] as const;
export type ScoredLanguage = (typeof SCORED_LANGUAGES)[number];

/** What detection chooses among: the scored languages and the neighbours they are confused with. */
const CANDIDATES = ["en", "es", "pt", "fr", "it", "de"];
/** Our own instance: the subset is instance state, and other modules may use ELD differently. */
const detector = eld.newInstance();
detector.setLanguageSubset(CANDIDATES);

export function isScoredLanguage(code: string | null | undefined): code is ScoredLanguage {
  return code === "en" || code === "es";
}

/** The ISO 639-1 code of a language tag ("es-MX" → "es", "EN" → "en"), or null when it is not one. */
function baseLanguage(tag: string | null | undefined): string | null {
  const m = /^([a-z]{2,3})(?:[-_][a-z0-9]+)*$/i.exec((tag ?? "").trim());
  return m ? m[1].toLowerCase() : null;
}

/**
 * The language of a mention: the source's declared one when it gave one, else detected from the
 * text; null when the text has too few letters to tell (emoji only, a name, a link).
 */
export function mentionLanguage(text: string, declared?: string | null): string | null {
  const given = baseLanguage(declared);
  if (given) return given;
  // The opening is enough to tell a language, and n-gram detection costs with length.
  const opening = text.length > DETECT_CHARS ? text.slice(0, DETECT_CHARS) : text;
  const plain = opening.includes("://") ? opening.replace(/https?:\/\/\S+/g, " ") : opening;
  // Words only: handles, tags and emoji say nothing about the language.
  const words = (plain.match(/(?<![@#\p{L}])\p{L}[\p{L}'’]*/gu) ?? []).map((w) => w.toLowerCase());
  let letterCount = 0;
  for (const w of words) letterCount += w.length;
  if (letterCount < 3) return null;
  // Function words settle most short posts ("for the", "de la"); n-grams the rest.
  let en = 0;
  let es = 0;
  for (const w of words) {
    if (EN_FUNCTION_WORDS.has(w)) en++;
    if (ES_FUNCTION_WORDS.has(w)) es++;
  }
  if (Math.abs(en - es) >= 2) return en > es ? "en" : "es";
  const found = detector.detect(words.join(" "));
  if (isScoredLanguage(found.language) || (found.language !== "" && found.isReliable())) return found.language;
  // A weak guess of a neighbour (a name, a few words): English or Spanish by their function words,
  // else the better scored of the two.
  if (en !== es) return en > es ? "en" : "es";
  const scores = found.getScores();
  if (scores.en === undefined && scores.es === undefined) return found.language === "" ? null : found.language;
  return (scores.en ?? 0) >= (scores.es ?? 0) ? "en" : "es";
}

/** How much of a text detection reads. */
const DETECT_CHARS = 280;
const EN_FUNCTION_WORDS = new Set(
  "the a an and or but of to in on at for with from by is are was were be been will would can could has have had do does did not no this that these those it its he she they we you i my our your his her their what who how why when where there here just so very about after before than then".split(
    " ",
  ),
);
const ES_FUNCTION_WORDS = new Set(
  "el la los las un una unos unas y o pero de del al a en con por para sin sobre es son fue era está están ser estar ha han he hay que qué quien quién como cómo cuando donde no sí se su sus mi mis tu lo le les me nos este esta estos estas ese esa muy más ya también porque".split(
    " ",
  ),
);
