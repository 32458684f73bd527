// The local sentiment scorer: lexicon-based (lexicon.ts), no network, for mentions whose source
// gave no sentiment. VADER's recipe, simplified: each known word's valence, turned around by a
// negation in the three words before it, scaled by an intensifier just before it or by being
// shouted in capitals, words after "but" counted more than those before; the sum is squashed into
// [-1, 1] by s / sqrt(s² + 15). Unknown words are neutral, so text in other languages scores 0.
import { INTENSIFIERS, LEXICON, NEGATIONS } from "./lexicon";

/** VADER's constants. */
const NEGATION_SCALE = -0.74;
const CAPS_BOOST = 0.733;
const EXCLAMATION_BOOST = 0.292;
const MAX_EXCLAMATIONS = 4;
const NORMALISATION_ALPHA = 15;
const NEGATION_REACH = 3;

const exact = new Map<string, number>();
const prefixes = new Map<string, number>();
for (const [word, valence] of Object.entries(LEXICON)) {
  if (word.endsWith("*")) prefixes.set(word.slice(0, -1), valence);
  else exact.set(word, valence);
}
const prefixLengths = [...new Set([...prefixes.keys()].map((p) => p.length))].sort((a, b) => b - a);

// Tokens are words (letters and digits, with inner apostrophes and hyphens), emoticons, or emoji.
const TOKEN = /[\p{L}\p{N}](?:[\p{L}\p{N}'’-]*[\p{L}\p{N}])?|[:;]-?[()]|\p{Extended_Pictographic}\uFE0F?/gu;

const memo = new Map<string, number>();
const MEMO_LIMIT = 50_000;

/** The valence of one lower-case token, 0 when the lexicon does not know it. */
export function valenceOf(token: string): number {
  const known = memo.get(token);
  if (known !== undefined) return known;
  let valence = exact.get(token) ?? 0;
  if (valence === 0) {
    for (const length of prefixLengths) {
      if (length > token.length) continue;
      const v = prefixes.get(token.slice(0, length));
      if (v !== undefined) {
        valence = v;
        break;
      }
    }
  }
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(token, valence);
  return valence;
}

/** Splits text into the scorer's tokens (original case kept, apostrophes normalised). */
export function tokenize(text: string): string[] {
  return (text.match(TOKEN) ?? []).map((t) => t.replace(/’/g, "'"));
}

/** The sentiment of a text in [-1, 1], rounded to 3 decimals (the mentions column's precision). */
export function scoreSentiment(text: string): number {
  const tokens = tokenize(text);
  if (tokens.length === 0) return 0;
  const lower = tokens.map((t) => t.toLowerCase());
  const letters = text.replace(/[^\p{L}]/gu, "");
  const shouting = letters.length > 0 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
  const butAt = lower.indexOf("but");
  let sum = 0;
  for (let i = 0; i < lower.length; i++) {
    let v = valenceOf(lower[i]);
    if (v === 0) continue;
    // A capitalised word in a text that is not all capitals is shouted.
    const word = tokens[i];
    if (!shouting && word.length > 1 && word === word.toUpperCase() && word !== word.toLowerCase()) v += Math.sign(v) * CAPS_BOOST;
    const intensity = i > 0 ? INTENSIFIERS[lower[i - 1]] : undefined;
    if (intensity !== undefined) v *= intensity;
    for (let k = Math.max(0, i - NEGATION_REACH); k < i; k++) {
      if (NEGATIONS.has(lower[k])) {
        v *= NEGATION_SCALE;
        break;
      }
    }
    if (butAt >= 0) v *= i < butAt ? 0.5 : i > butAt ? 1.5 : 1;
    sum += v;
  }
  if (sum === 0) return 0;
  const exclamations = Math.min(MAX_EXCLAMATIONS, (text.match(/!/g) ?? []).length);
  sum += Math.sign(sum) * exclamations * EXCLAMATION_BOOST;
  const score = sum / Math.sqrt(sum * sum + NORMALISATION_ALPHA);
  return Math.round(Math.max(-1, Math.min(1, score)) * 1000) / 1000;
}
