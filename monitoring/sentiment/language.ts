// Per-mention language detection for sentiment (tinyld: n-gram profiles shipped in the package,
// no network). Short posts are hard to place among 60 languages ("Whitfield is a liar" reads as
// Dutch), so detection is restricted to the languages campaign feeds actually carry; a source's
// own declared language wins when it gives one.
import { detectAll } from "tinyld";

/** Languages the scorer has a model for. */
export const SCORED_LANGUAGES = ["en", "es"] as const;
export type ScoredLanguage = (typeof SCORED_LANGUAGES)[number];

/** What detection chooses among: the scored languages and the neighbours they are confused with. */
const CANDIDATES = ["en", "es", "pt", "fr", "it", "de"];

export function isScoredLanguage(code: string | null | undefined): code is ScoredLanguage {
  return code === "en" || code === "es";
}

/** The ISO 639-1 code of a language tag ("es-MX" → "es", "EN" → "en"), or null when it is not one. */
export function baseLanguage(tag: string | null | undefined): string | null {
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
  const plain = text.includes("://") ? text.replace(/https?:\/\/\S+/g, " ") : text;
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
  const letters = words.join(" ");
  const ranked = detectAll(letters, { only: CANDIDATES });
  const top = ranked[0];
  if (top && (isScoredLanguage(top.lang) || top.accuracy >= CONFIDENT)) return top.lang;
  if (en !== es) return en > es ? "en" : "es";
  const scored = ranked.find((r) => isScoredLanguage(r.lang));
  return scored?.lang ?? top?.lang ?? null;
}

/** tinyld's score above which a language other than ours is believed (short French or Portuguese posts score 0.16–0.75; a misread English or Spanish one below 0.09). */
const CONFIDENT = 0.15;
const EN_FUNCTION_WORDS = new Set("the a an and or but of to in on at for with from by is are was were be been will would can could has have had do does did not no this that these those it its he she they we you i my our your his her their what who how why when where there here just so very about after before than then".split(" "));
const ES_FUNCTION_WORDS = new Set("el la los las un una unos unas y o pero de del al a en con por para sin sobre es son fue era está están ser estar ha han he hay que qué quien quién como cómo cuando donde no sí se su sus mi mis tu lo le les me nos este esta estos estas ese esa muy más ya también porque".split(" "));
