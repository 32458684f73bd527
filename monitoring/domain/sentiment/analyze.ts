// The sentiment of a mention, and how a score its source supplied is combined with ours.
//
// Ours: the mention's language (declared by the source, else detected: language.ts); English by
// VADER (english.ts), Spanish by the Spanish lexicons under VADER's rules (spanish.ts), each on
// the text with policy topics masked; emoji and phrase valences added (cues.ts); a sarcasm cue
// turns praise into a complaint; VADER's normalisation into [-1, 1]. Emoji are read in every
// language; words in other languages are not scored (0, honest "no opinion").
//
// The source's: feeds such as Mentionlytics send a score from a general-purpose model that reads
// "…will debate infrastructure next week" as -0.47 and sarcasm as praise. Policy (monitoring/README.md):
//  - language we score: OUR class decides. When the source agrees on the class, the two are
//    averaged (a second opinion on strength); when it disagrees, ours is kept. A neutral reading
//    of ours stays neutral: a post with no feeling words and no emoji has no feeling, whatever the
//    source's model says.
//  - language we do not score: the source's score is kept as it is (it is all there is).
import { emojiValence, hasScareQuotes, hasSarcasmCue } from "./cues";
import { englishValence, normalise } from "./english";
import { isScoredLanguage, mentionLanguage, type ScoredLanguage } from "./language";
import { spanishValence } from "./spanish";
import { NEUTRAL_BAND } from "../windows";

export interface SentimentReading {
  /** In [-1, 1], 3 decimals (the stored precision). */
  score: number;
  /** The language the text was read as (declared or detected), null when it could not be told. */
  language: string | null;
  /** Whether our model read the words (false: only emoji, or a language we do not score). */
  scored: boolean;
}

/** A sarcastic text's valence: praise becomes complaint, a neutral reading a mild complaint. */
const SARCASM_FLOOR = -1.5;

const round3 = (x: number) => Math.round(Math.max(-1, Math.min(1, x)) * 1000) / 1000;

/** Our reading of a text (`declaredLanguage`: the source's language tag, if any). */
export function analyzeSentiment(text: string, declaredLanguage?: string | null): SentimentReading {
  const language = mentionLanguage(text, declaredLanguage);
  const emoji = emojiValence(text);
  if (!isScoredLanguage(language)) return { score: round3(normalise(emoji)), language, scored: false };
  const lang: ScoredLanguage = language;
  let sum = (lang === "es" ? spanishValence(text) : englishValence(text)) + emoji;
  if (hasSarcasmCue(text, lang) || hasScareQuotes(text)) sum = sum > 0 ? -sum : Math.min(sum, SARCASM_FLOOR);
  return { score: round3(normalise(sum)), language, scored: true };
}

const classOf = (s: number) => (s > NEUTRAL_BAND ? 1 : s < -NEUTRAL_BAND ? -1 : 0);

/** The stored sentiment of a mention from our reading and the score its source gave (if any). */
export function combineWithSource(ours: SentimentReading, source: number | null | undefined): number {
  if (source === null || source === undefined) return ours.score;
  if (!ours.scored) return round3(source);
  if (classOf(ours.score) !== classOf(source) || classOf(ours.score) === 0) return ours.score;
  return round3((ours.score + source) / 2);
}

/** Our reading and the source's score in one step (what ingest stores). */
export function mentionSentiment(
  text: string,
  source: number | null | undefined,
  declaredLanguage?: string | null,
): { sentiment: number; language: string | null; scored: boolean } {
  const ours = analyzeSentiment(text, declaredLanguage);
  const sentiment = combineWithSource(ours, source);
  return { sentiment, language: ours.language, scored: source === null || source === undefined || ours.scored };
}
