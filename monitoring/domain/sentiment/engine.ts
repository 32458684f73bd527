// VADER's rules (Hutto & Gilbert 2014) over a language profile: each known word's valence, a
// booster in the three words before it adding (or taking) 0.293 with distance decay, a capitalised
// word in a mixed-case text stressed by 0.733, a negation in the three words before it scaling it
// by -0.74, words after a contrast word ("but", "pero") counted ×1.5 and those before ×0.5, then
// "!" and "?" emphasis. The sum is what analyze.ts normalises. English and Spanish differ only in
// their profile (english.ts, spanish.ts). Pure and allocation-light: it runs on every mention.

export interface LanguageProfile {
  /** The valence of a lower-case word on VADER's scale (-4…4); 0 for unknown words. */
  valence(word: string): number;
  negations: ReadonlySet<string>;
  /** Boosters: +1 strengthens the next sentiment word ("very"), -1 weakens it ("slightly"). */
  boosters: ReadonlyMap<string, 1 | -1>;
  /** Words after which the rest weighs more ("but", "pero", "sino"). */
  contrast: ReadonlySet<string>;
  /**
   * Spanish negation is concord ("no está nada mal": one negation said twice), English is not
   * ("not un-happy" counts each): with concord only the first negation found counts.
   */
  negationConcord: boolean;
}

const B_INCR = 0.293;
const C_INCR = 0.733;
const N_SCALAR = -0.74;
const EXCLAMATION = 0.292;
const QUESTION = 0.18;

/** Words (inner apostrophes, hyphens and underscores kept) and the emoticons VADER knows. */
export const TOKEN = /[\p{L}\p{N}](?:[\p{L}\p{N}_'’-]*[\p{L}\p{N}])?|[:;=]-?[()DPp\][]|<3/gu;

const isUpper = (w: string) => w.length > 1 && w === w.toUpperCase() && w !== w.toLowerCase();

/**
 * The sum of valences of `tokens` (as written) under VADER's rules. `extra(i, lower)` may give a
 * token a valence the profile does not (phrases masked by the caller), or undefined.
 */
export function valenceSum(text: string, tokens: readonly string[], profile: LanguageProfile, extra?: (lower: string) => number | undefined): number {
  const n = tokens.length;
  if (n === 0) return 0;
  const lower = tokens.map((t) => t.toLowerCase().replace(/’/g, "'"));
  let capitals = 0;
  for (const t of tokens) if (isUpper(t)) capitals++;
  const capDiff = capitals > 0 && capitals < n;
  let butAt = -1;
  for (let i = 0; i < n; i++)
    if (profile.contrast.has(lower[i])) {
      butAt = i;
      break;
    }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const w = lower[i];
    if (profile.boosters.has(w)) continue;
    let v = extra?.(w) ?? profile.valence(w);
    if (v === 0) continue;
    if (capDiff && isUpper(tokens[i])) v += v > 0 ? C_INCR : -C_INCR;
    let negated = false;
    for (let d = 1; d <= 3 && i - d >= 0; d++) {
      const before = lower[i - d];
      const boost = profile.boosters.get(before);
      if (boost !== undefined) {
        let scalar = boost * B_INCR * (v < 0 ? -1 : 1);
        if (capDiff && isUpper(tokens[i - d])) scalar += v > 0 ? C_INCR * boost : -C_INCR * boost;
        v += d === 1 ? scalar : d === 2 ? scalar * 0.95 : scalar * 0.9;
      }
      if (profile.negations.has(before) && !(profile.negationConcord && negated)) {
        v *= N_SCALAR;
        negated = true;
      }
    }
    if (butAt >= 0) v *= i < butAt ? 0.5 : i > butAt ? 1.5 : 1;
    sum += v;
  }
  if (sum === 0) return 0;
  let emphasis = Math.min(4, count(text, "!")) * EXCLAMATION;
  const questions = count(text, "?");
  if (questions > 1) emphasis += questions <= 3 ? questions * QUESTION : 0.96;
  return sum > 0 ? sum + emphasis : sum - emphasis;
}

function count(text: string, ch: string): number {
  let c = 0;
  for (let i = text.indexOf(ch); i >= 0; i = text.indexOf(ch, i + 1)) c++;
  return c;
}
