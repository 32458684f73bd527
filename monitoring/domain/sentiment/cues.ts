// What the lexicons do not know about political posts, shared by the English and Spanish scorers:
// emoji valences, policy topics (issue names, not feelings), and sarcasm cues. Pure data and
// matchers; analyze.ts applies them.

/**
 * Emoji and their valence on VADER's scale (-4…4). The lexicons carry none; these are the usual
 * readings of each in campaign replies (🔥 is praise there, 💀 "dead" as in finished, 🤡 mockery).
 * The variation selector (U+FE0F) is dropped before lookup.
 */
const EMOJI_VALENCE: Record<string, number> = {
  "🙂": 1.5,
  "😊": 2,
  "😀": 2,
  "😃": 2,
  "😄": 2,
  "😁": 2,
  "🥰": 3,
  "😍": 3,
  "🤩": 3,
  "😎": 1.5,
  "🥳": 3,
  "❤": 3,
  "💙": 2.5,
  "💚": 2.5,
  "💜": 2.5,
  "🧡": 2.5,
  "💛": 2.5,
  "💕": 3,
  "💖": 3,
  "♥": 2.5,
  "👍": 2,
  "👏": 2,
  "🙌": 2.5,
  "💪": 2,
  "🎉": 2.5,
  "🎊": 2.5,
  "✅": 1.5,
  "🔥": 1.5,
  "💯": 2,
  "🏆": 2.5,
  "⭐": 1.5,
  "🌟": 2,
  "🙏": 1,
  "🤝": 1.5,
  "😂": 0,
  "🤣": 0,
  "🙁": -1.5,
  "☹": -2,
  "😞": -2,
  "😔": -1.5,
  "😢": -2,
  "😭": -2,
  "😟": -1.5,
  "😕": -1.5,
  "😬": -1,
  "😒": -1.5,
  "😑": -1,
  "🙄": -1.5,
  "😤": -2,
  "😠": -2.5,
  "😡": -3,
  "🤬": -3.5,
  "👎": -2,
  "🤮": -3,
  "🤢": -2.5,
  "💩": -3,
  "🤡": -2.5,
  "💀": -1.5,
  "🤥": -2.5,
  "🐍": -2,
  "🗑": -2,
  "🚮": -2,
  "😱": -1.5,
  "😩": -2,
  "😫": -2,
  "🤦": -2,
  "🖕": -3.5,
};

/** The emoji of a text (variation selectors and skin tones dropped), for EMOJI_VALENCE. */
function emojiIn(text: string): string[] {
  return (text.match(/\p{Extended_Pictographic}/gu) ?? []).filter((e) => e in EMOJI_VALENCE);
}

export function emojiValence(text: string): number {
  return emojiIn(text).reduce((sum, e) => sum + EMOJI_VALENCE[e], 0);
}

const WORD = "[\\p{L}\\p{N}_]";

/**
 * The patterns with `\b` meaning a boundary between letters and non-letters in any script
 * (JavaScript's `\b` knows only ASCII: it finds none after "saltó" or before "ánimo"). A `\b`
 * at the start of an alternative opens a word, any other closes one. For Spanish: the English
 * lists keep `\b`, which is several times faster (a leading look-behind defeats the scan).
 */
export function unicodeWords<T extends RegExp | [RegExp, number]>(patterns: T[]): T[] {
  const convert = (p: RegExp) =>
    new RegExp(
      p.source.replace(/\\b/g, (_m, at: number, source: string) => (at === 0 || "|(:".includes(source[at - 1]) ? `(?<!${WORD})` : `(?!${WORD})`)),
      p.flags.includes("u") ? p.flags : `${p.flags}u`,
    );
  return patterns.map((p) => (p instanceof RegExp ? convert(p) : [convert(p[0]), p[1]]) as T);
}

/** One pattern matching any of `patterns` (each tried in order at each position): one pass over a text instead of many. */
function anyOf(patterns: readonly RegExp[], flags = "giu"): RegExp {
  return new RegExp(patterns.map((p) => `(?:${p.source})`).join("|"), flags);
}

/** Removes emoji from a text (so that a lexicon never sees them twice). */
export function withoutEmoji(text: string): string {
  return text.replace(/\p{Extended_Pictographic}\uFE0F?/gu, " ");
}

// Policy topics: issue names whose words carry a feeling in a lexicon ("crisis", "violence",
// "crime", "care", "relief", "security"…) but in a campaign post name what is discussed. They are
// masked (joined into one token no lexicon knows) before scoring, so "a town hall on the opioid
// crisis" is as neutral as "a town hall on healthcare", while a judgement about the issue ("made
// the opioid crisis worse") still scores from its own words. A bare "crisis" is not a topic:
// "the campaign is in crisis" keeps its valence.
const EN_TOPICS = anyOf(
  [
    /\b(?:opioid|opiate|housing|climate|border|fentanyl|mental[- ]health|affordability|health[- ]?care|energy|water|debt|budget|refugee|addiction|overdose|drug|migrant|student[- ]debt|childcare|child[- ]care)\s+(?:crisis|crises|epidemic|emergency)\b/gi,
    /\b(?:crisis|crises)\s+(?:of|in|on|at)\s+(?:the\s+)?(?:border|housing|schools?|care|hospitals?|addiction|opioids?)\b/gi,
    /\b(?:gun|domestic|armed|political|school|youth|sexual)\s+violence\b/gi,
    /\b(?:violence|crime)\s+(?:prevention|rates?|bill|policy|policies|statistics|data)\b/gi,
    /\b(?:violent\s+)?crime\b/gi,
    /\bwar\s+(?:on|in)\s+\w+/gi,
    /\b(?:disaster|flood|storm|hurricane|tornado)\s+(?:relief|aid|funding|zone|recovery|response|victims|declaration|assistance)\b/gi,
    /\b(?:health|child|elder|long[- ]term|veterans'?|mental[- ]health|medical|senior)\s+care\b/gi,
    /\b(?:border|national|social|job|food|energy|election|public)\s+security\b/gi,
    /\b(?:addiction|drug|substance[- ]abuse)\s+(?:recovery|treatment)\b/gi,
    /\bdeath\s+penalty\b/gi,
    /\bmargin\s+of\s+error\b/gi,
    /\b(?:tax|property[- ]tax|debt|disaster|mortgage|rent|student[- ]loan)\s+relief\b/gi,
    /\b(?:school|public|gun|food|workplace|road|water|patient)\s+safety\b/gi,
    /\bcash\s+on\s+hand\b/gi,
    /\b(?:energy|gas|fuel|grocery|food|drug|housing|egg)\s+(?:prices?|costs?|bills?|policy|policies|independence|sector)\b/gi,
    /\b(?:cancer|poverty|unemployment|deficit|inflation|abortion|addiction|overdoses?)(?:\s+(?:rates?|research|line|benefits|screening))?\b/gi,
    /\b(?:national|state|medical|student|public)\s+debt\b/gi,
    /\bgun\s+(?:control|rights|laws?|owners?|safety|violence)\b/gi,
  ],
  "gi",
);

const ES_TOPICS = anyOf(
  unicodeWords([
    /\bcrisis\s+(?:de|del)\s+(?:los\s+|la\s+|el\s+)?(?:opioides|opi[aá]ceos|vivienda|la\s+vivienda|fentanilo|salud(?:\s+mental)?|frontera|migraci[oó]n|agua|energ[ií]a|deuda|adicci[oó]n|clima|refugiados|cuidados)\b/gi,
    /\b(?:epidemia|emergencia)\s+de\s+(?:opioides|fentanilo|sobredosis|adicciones)\b/gi,
    /\bviolencia\s+(?:armada|dom[eé]stica|de\s+g[eé]nero|con\s+armas|escolar|pol[ií]tica)\b/gi,
    /\b(?:ayudas?|fondos?|zona|v[ií]ctimas|recuperaci[oó]n)\s+(?:por|de|del|para)\s+(?:el\s+|la\s+|los\s+|las\s+)?(?:desastres?|inundaci[oó]n|inundaciones|tornados?|hurac[aá]n)\b/gi,
    /\bpena\s+de\s+muerte\b/gi,
    /\b(?:el\s+)?(?:crimen|delincuencia|aborto|pobreza|desempleo|inflaci[oó]n|d[eé]ficit|c[aá]ncer|impuestos?|sobredosis)\b/gi,
    /\bseguridad\s+(?:en\s+la\s+frontera|fronteriza|social|alimentaria|p[uú]blica|ciudadana)\b/gi,
    /\bsalud\s+mental\b/gi,
    /\bseguridad\s+(?:escolar|vial|laboral)\b/gi,
    /\b(?:alivio|rebaja)\s+(?:fiscal|de\s+impuestos)\b/gi,
    /\ben\s+efectivo\b/gi,
  ]),
);

/** A list of idioms and their valences, compiled into one pattern with a group per idiom. */
export interface PhraseList {
  pattern: RegExp;
  valences: number[];
}

export function phraseList(phrases: readonly [RegExp, number][], flags = "giu"): PhraseList {
  return {
    pattern: new RegExp(phrases.map(([p]) => `(${p.source})`).join("|"), flags),
    valences: phrases.map(([, v]) => v),
  };
}

/**
 * Replaces each idiom of a list (phrases whose words a lexicon reads neutral or backwards:
 * "crushed it", "no ha hecho nada") by a token `phrase_<i>` no lexicon knows; `valences[i]` is
 * what the i-th phrase found carries, for the scorer to weigh where the token stands.
 */
export function maskPhrases(text: string, list: PhraseList): { text: string; valences: number[] } {
  const valences: number[] = [];
  const out = text.replace(list.pattern, (...groups: unknown[]) => {
    let k = 0;
    while (k < list.valences.length && groups[k + 1] === undefined) k++;
    valences.push(list.valences[k] ?? 0);
    return ` phrase_${valences.length - 1} `;
  });
  return { text: out, valences };
}

/** The valence of a `phrase_<i>` token from maskPhrases, or undefined for any other token. */
export function phraseTokenValence(token: string, valences: readonly number[]): number | undefined {
  const m = /^phrase_(\d+)$/.exec(token);
  return m ? valences[Number(m[1])] : undefined;
}

/** Laughter ("lol", "lmao", "jajaja") in a political reply is mockery as often as joy: no valence. */
export function maskLaughter(text: string): string {
  return text.replace(/(?<![\p{L}])(?:lol+|lmao+|lmfao|rofl|haha(?:ha)*|jaja(?:ja)*|jeje(?:je)*|xd)(?![\p{L}])/giu, " laugh_ ");
}

/** Masks policy-topic phrases: each becomes one token that no lexicon knows (letters kept for readability). */
export function maskTopics(text: string, language: "en" | "es"): string {
  return text.replace(language === "es" ? ES_TOPICS : EN_TOPICS, (m) => `topic_${m.trim().replace(/[\s'’-]+/g, "_")}`);
}

// Sarcasm: praise words around a complaint ("Great, another mailer. Just what my bin needed.").
// The cues are the forms such posts take: a stock phrase, an eye-roll, praise followed by
// "another…", ironic quotes around a promise word. A cue makes a positive reading negative and
// tips a neutral one to mildly negative; a text already negative stays as it is.
const EN_SARCASM = anyOf(
  [
    /\bjust what (?:\w+\s){0,3}(?:needed|wanted|ordered)\b/i,
    /\b(?:yeah|oh|ya|sure),?\s+right\b/i,
    /\boh\s+(?:sure|great|wonderful|good|wow|joy|fantastic|perfect)\b/i,
    /^\s*(?:great|wonderful|perfect|fantastic|lovely|awesome|wow|cool|nice)[,.!…]+\s+(?:another|more|one more|yet another)\b/i,
    /\b(?:sure|right)\s+(?:he|she|they|it)\s+(?:is|are|will|does|did|can)\b/i,
    /\bthanks?\s+(?:for nothing|a lot)\b/i,
    /\bthanks?\s+\w+,?\s+for\s+(?:yet\s+)?another\b/i,
    /\blove\s+that\s+for\s+(?:me|us|you)\b/i,
    /\bwhat\s+a\s+(?:surprise|shock|shocker)\b/i,
    /\b(?:shocking|shocker|surprise, surprise)[.!,]?\s*(?:truly|really)?[.!]?\s*$/i,
    /\b(?:truly|very|so)\s+(?:historic|classy|brave|inspiring|visionary|presidential)\b[.!]/i,
    /\bcan'?t\s+wait\s+for\s+(?:another|more|the next)\b/i,
    /\boh\s+sure\b/i,
    /\b(?:classic|visionary|genius|bravo)\.\s*$/i,
    /\banother\s+day,\s+another\b/i,
    /\s\/s\s*$/i,
    /\b(?:totally|very|so)\s+(?:believable|convincing|credible)\b/i,
  ],
  "i",
);

const ES_SARCASM = anyOf(
  unicodeWords([
    /\bjusto\s+lo\s+que\s+(?:\w+\s){0,2}(?:necesitaba|faltaba|quer[ií]a)\b/i,
    /\bs[ií],?\s+claro\b/i,
    /\bclaro\s+que\s+s[ií],?\s+(?:y|seguro)\b/i,
    /\bseguro\s+que\s+s[ií]\b/i,
    /^\s*(?:genial|qu[eé]\s+bien|perfecto|maravilloso|estupendo|qu[eé]\s+maravilla)[,.!…]+\s+(?:otro|otra|m[aá]s)\b/i,
    /\bqu[eé]\s+sorpresa\b/i,
    /\bqui[eé]n\s+lo\s+(?:hubiera|habr[ií]a)\s+(?:imaginado|dicho|pensado)\b/i,
    /\btodo\s+un[a]?\s+(?:visionari[oa]|genio|ejemplo|l[ií]der)\b[.!]/i,
    /\bgracias\s+por\s+nada\b/i,
    /\botro\s+d[ií]a,\s+otro\b/i,
    /\bqu[eé]\s+casualidad\b/i,
    /\b(?:muy|tan|totalmente|super)\s+cre[ií]ble\b/i,
  ]),
  "iu",
);

/** Whether the text carries a sarcasm cue (🙄 counts in every language). */
export function hasSarcasmCue(text: string, language: "en" | "es"): boolean {
  if (text.includes("🙄")) return true;
  return (language === "es" ? ES_SARCASM : EN_SARCASM).test(text);
}

/**
 * Scare quotes: one or two lower-case words in quotes ("fix" healthcare, "listening", el "plan").
 * A quoted name or a quoted sentence is a citation, not irony.
 */
export function hasScareQuotes(text: string): boolean {
  return /["“«]\p{Ll}[\p{L}'’-]*(?:\s\p{L}[\p{L}'’-]*)?["”»]/u.test(text);
}
