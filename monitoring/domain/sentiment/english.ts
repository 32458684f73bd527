// English: VADER's lexicon (Hutto & Gilbert 2014: 7,500 words, emoticons and slang rated by
// people for social-media text, as shipped in the `vader-sentiment` package of the VADER authors'
// organisation) under VADER's rules (engine.ts). The package's own engine is not called: it
// rebuilds a punctuation table on every call (~0.5 ms a post, too slow for ingest) and compares
// negations case-sensitively ("Not impressed" scores positive). The text is scored with emoji,
// laughter, idioms (EN_PHRASES) and policy topics masked (cues.ts); campaign words VADER lacks
// ("disgraceful", "corrupt", "clown") come from lexicon.ts. analyze.ts adds emoji and sarcasm.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { maskLaughter, maskPhrases, maskTopics, phraseList, phraseTokenValence, withoutEmoji } from "./cues";
import { TOKEN, valenceSum, type LanguageProfile } from "./engine";
import { EN_CAMPAIGN_LEXICON } from "./lexicon";

const ALPHA = 15;

/** VADER's normalisation of a sum of valences into [-1, 1]. */
export function normalise(sum: number): number {
  return sum / Math.sqrt(sum * sum + ALPHA);
}

// VADER's lexicon: "word<TAB>mean<TAB>sd<TAB>ratings" lines.
const require = createRequire(import.meta.url);
const VADER = new Map<string, number>();
for (const line of readFileSync(require.resolve("vader-sentiment/vader_lexicon.txt"), "utf8").split("\n")) {
  const [word, mean] = line.split("\t");
  const v = Number(mean);
  if (word && Number.isFinite(v)) VADER.set(word, v);
}

const exact = new Map<string, number>();
const prefixes: [string, number][] = [];
for (const [word, v] of Object.entries(EN_CAMPAIGN_LEXICON)) {
  if (word.endsWith("*")) prefixes.push([word.slice(0, -1), v]);
  else exact.set(word, v);
}
prefixes.sort((x, y) => y[0].length - x[0].length);

/** The valence of a lower-case English word: VADER's, else ours, else 0. */
function englishWordValence(word: string): number {
  if (word.includes("_")) return 0; // a masked topic, phrase or laugh
  const known = VADER.get(word);
  if (known !== undefined) return known;
  const own = exact.get(word);
  if (own !== undefined) return own;
  for (const [prefix, v] of prefixes) if (word.startsWith(prefix)) return v;
  return 0;
}

/** VADER's negations; any word ending in "n't" negates too. */
const NEGATIONS = new Set([
  "aint",
  "arent",
  "cannot",
  "cant",
  "couldnt",
  "darent",
  "didnt",
  "doesnt",
  "dont",
  "hadnt",
  "hasnt",
  "havent",
  "isnt",
  "mightnt",
  "mustnt",
  "neither",
  "never",
  "none",
  "nope",
  "nor",
  "not",
  "nothing",
  "nowhere",
  "no",
  "nobody",
  "oughtnt",
  "shant",
  "shouldnt",
  "wasnt",
  "werent",
  "without",
  "wont",
  "wouldnt",
  "rarely",
  "seldom",
  "despite",
  "uh-uh",
  "uhuh",
]);

/** VADER's boosters: +1 strengthens the next sentiment word, -1 weakens it. */
const BOOSTERS = new Map<string, 1 | -1>([
  ..."absolutely amazingly awfully completely considerably decidedly deeply enormously entirely especially exceptionally extremely fabulously fully greatly hella highly hugely incredibly intensely majorly more most particularly purely quite really remarkably so substantially thoroughly totally tremendously uber unbelievably unusually utterly very"
    .split(" ")
    .map((w): [string, 1] => [w, 1]),
  ..."almost barely hardly kinda kindof less little marginally occasionally partly scarcely slightly somewhat sorta sortof"
    .split(" ")
    .map((w): [string, -1] => [w, -1]),
]);

const negations: ReadonlySet<string> = {
  has: (w: string) => NEGATIONS.has(w) || w.endsWith("n't"),
} as ReadonlySet<string>;

const ENGLISH: LanguageProfile = {
  valence: englishWordValence,
  negations,
  boosters: BOOSTERS,
  contrast: new Set(["but"]),
  negationConcord: false,
};

// Idioms whose words VADER reads neutral or backwards: the valence the phrase carries.
const EN_PHRASES = phraseList(
  [
    [/\b(?:has|have|had)\s+(?:done|said)\s+nothing\b|\bdid\s+nothing\b/gi, -2],
    [/\bnever\s+(?:answered|explained|responded|addressed|apologi[sz]ed)\b/gi, -1.8],
    [/\bno\s+(?:idea|clue|plan)\b|\bzero\s+(?:plan|idea|clue)s?\b/gi, -1.5],
    [/\bnot\s+anymore\b|\bno\s+longer\s+(?:support|trust|believe)\b|\bused\s+to\s+(?:support|like|trust|believe\s+in)\b/gi, -1.8],
    [/\bwhat\s+are\s+they\s+hiding\b|\bstop\s+lying\b|\bdon'?t\s+add\s+up\b|\btells?\s+a\s+different\s+story\b/gi, -2],
    [/\bout\s+of\s+touch\b|\bgut(?:s|ted)?\s+(?:school|funding|medicare|medicaid|social)\b/gi, -2],
    [/\bis\s+cooked\b|\bcan'?t\s+run\s+a\b/gi, -2],
    [
      /\bate\s+(?:that|it)(?:\s+up)?\b|\bno\s+crumbs\b|\bcrushed\s+it\b|\bnailed\s+it\b|\bkilled\s+it\b|\bthe\s+real\s+deal\b|\bgave\s+me\s+chills\b|\bon\s+(?:its|their|our)\s+feet\b/gi,
      2,
    ],
    [/\b(?:stood|stands?|standing)\s+up\s+for\b|\blistened\s+to\s+us\b|\b(?:nobody|no\s+one)\s+(?:works|fights|cares)\s+(?:harder|more)\b/gi, 2],
    [/\b(?:is|are|was|were)\s+(?:a|such\s+a)\s+(?:joke|circus|clown\s+show)\b|\bword\s+salad\b/gi, -2],
    [/\bstill\s+(?:hasn'?t|haven'?t|won'?t|refuses\s+to)\s+(?:explained|answered|released|said|apologi[sz]ed|explain|answer|release)\b/gi, -1.8],
    [/\bunstoppable\b|\bclass\s+act\b|\bhappy\s+tears\b|\bwon\s+me\s+over\b/gi, 2],
    [/\b(?:looks?|looked|feels?|felt|seems?|seemed|sounds?|sounded)\s+like\b/gi, 0],
    [/\bby\s+a\s+mile\b|\bhas\s+my\s+vote\b|\bearned\s+my\s+(?:vote|respect)\b/gi, 2],
    [/\b(?:should|must|needs\s+to)\s+drop\s+out\b/gi, -1.5],
  ],
  "gi",
);

/** The sum of valences in an English text (emoji left out; analyze.ts adds them). */
export function englishValence(text: string): number {
  const phrased = maskPhrases(maskTopics(maskLaughter(withoutEmoji(text)), "en"), EN_PHRASES);
  const tokens = phrased.text.match(TOKEN) ?? [];
  return valenceSum(phrased.text, tokens, ENGLISH, (w) => phraseTokenValence(w, phrased.valences));
}
