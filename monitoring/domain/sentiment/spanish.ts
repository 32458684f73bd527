// Spanish: the lexicons of NLP.js's Spanish package (@nlpjs/lang-es: an AFINN translation and
// ML-Senticon, keyed by its Snowball stems) under VADER's rules (engine.ts) with Spanish words:
// negation in the three words before ("no", "nunca", "ni", "nadie", "sin", "poco"…, as concord),
// boosters ("muy", "tan", "súper"), "-ísimo" superlatives, "pero"/"sino" contrast, and an
// "aunque" clause counted half. Campaign vocabulary the general lexicons lack or misread
// (ML-Senticon has "corrupto" positive) is ours and wins.
import { createRequire } from "node:module";
import { StemmerEs, StopwordsEs } from "@nlpjs/lang-es";
import { maskLaughter, maskPhrases, maskTopics, phraseList, phraseTokenValence, unicodeWords, withoutEmoji } from "./cues";
import { TOKEN, valenceSum, type LanguageProfile } from "./engine";

const require = createRequire(import.meta.url);
const AFINN_ES = require("@nlpjs/lang-es/src/sentiment/afinn_es.json") as Record<string, number>;
const SENTICON_ES = require("@nlpjs/lang-es/src/sentiment/senticon_es.json") as Record<string, number>;

/** AFINN is -5…5, ML-Senticon -1…1: both brought to VADER's -4…4. */
const AFINN_SCALE = 0.8;
const SENTICON_SCALE = 3;
/** ML-Senticon's weak entries are mostly noise in short posts ("plan" 0.25, "habla" 0.31, "precio" 0.38). */
const SENTICON_MIN = 0.4;

/** Our campaign vocabulary, lower case; a trailing "*" matches any ending. */
const ES_LEXICON: Record<string, number> = {
  "corrupt*": -3,
  "mentir*": -3,
  "mentira*": -3,
  mintió: -3,
  "miente*": -3,
  vergüenza: -3,
  "vergonzos*": -3,
  indignante: -3,
  "decepcion*": -2.5,
  asco: -3,
  "asqueros*": -3,
  "payaso*": -2.5,
  "fraude*": -3,
  "estafa*": -3,
  "cobarde*": -3,
  peligro: -2.5,
  "peligros*": -2.5,
  basura: -3,
  caos: -2.5,
  "desastre*": -3,
  fatal: -2.5,
  "hart*": -2,
  "arrepient*": -2,
  "racista*": -3.5,
  "cruel*": -3,
  "ladr*": -3,
  "robo*": -2.5,
  "escándalo*": -3,
  "escandal*": -3,
  "aburrid*": -2,
  "nervios*": -1.5,
  "abandon*": -2,
  "culpa*": -1.5,
  errores: -1.5,
  error: -1.5,
  "empeor*": -2,
  perdió: -2,
  perder: -1.5,
  "ahog*": -2,
  "triste*": -2,
  "terrible*": -3,
  "horrible*": -3,
  "pésim*": -3,
  peor: -2.5,
  falta: -1,
  "esquiv*": -2,
  "atac*": -1.5,
  fantasía: -1.5,
  "destruir*": -3,
  "destruy*": -3,
  "perjudic*": -2,
  mal: -2,
  "malo*": -2,
  "mala*": -2,
  flojo: -1.5,
  "falso*": -2.5,
  "cínic*": -2.5,
  "inútil*": -2.5,
  "incompetent*": -3,
  vergonzos: -3,
  olvida: -1.5,
  olvidó: -1.5,
  "encant*": 3,
  "excelente*": 3,
  "brillante*": 3,
  "genial*": 2.5,
  "increíble*": 2.5,
  "orgull*": 2.5,
  "valiente*": 2.5,
  "honest*": 2.5,
  "trabajador*": 1.5,
  felicidades: 3,
  "felicit*": 2.5,
  gracias: 2,
  alegría: 3,
  feliz: 3,
  felices: 3,
  apoyo: 1.5,
  apoyó: 1.5,
  respeto: 2,
  claridad: 1.5,
  "sólid*": 2,
  realista: 1,
  firme: 1.5,
  "segur*": 1,
  "clar*": 1,
  crack: 2.5,
  lució: 2.5,
  lucio: 2.5,
  ganó: 2.5,
  ganar: 2,
  gana: 2,
  gran: 2,
  bonito: 1.5,
  bonita: 1.5,
  "representad*": 1.5,
  mejor: 2,
  "convenc*": 2,
  escucha: 1,
  defendió: 1.5,
  bien: 2,
  bueno: 2,
  buena: 2,
  fuerte: 1.5,
  gusto: 2,
  gustó: 2.5,
  "ahorr*": 1.5,
  "engañ*": -2.5,
  vago: -1.5,
  vaga: -1.5,
  "imparable*": 2,
  animó: 1.5,
  ánimo: 1.5,
  "culp*": -1.5,
  sinsentido: -2,
  "inteligente*": 2,
  "sincer*": 2,
  "respetuos*": 2,
  "informativ*": 1.5,
  miedo: -2,
  creíble: 1,
  "list*": 0,
  cargo: 0,
  efectivo: 0,
  informe: 0,
  nuevo: 0,
  nueva: 0,
  vivo: 0,
  tope: 0,
  plan: 0,
  completa: 0,
  completo: 0,
  sabe: 0,
  "negocio*": 0,
  campaña: 0,
  intenciones: 0,
  "necesari*": 0,
  gusta: 2,
  ambiente: 1,
  cumplido: 1.5,
  "cumpli*": 1.5,
  "capacitad*": 2,
  "preparad*": 1.5,
};

/** Phrases whose words read neutral or backwards: the valence the phrase carries. */
const ES_PHRASES = phraseList(
  unicodeWords<[RegExp, number]>([
    [/\bno\s+(?:ha|han|hizo|hace|hicieron)\s+(?:hecho\s+)?nada\b/gi, -2],
    [/\bno\s+tiene\s+ni\s+idea\b|\bno\s+sabe\s+nada\b|\bno\s+supo\s+responder\b/gi, -1.5],
    [/\bdan\s+ganas\s+de\s+no\b|\bno\s+aguantamos\b|\bya\s+no\s+conf[ií]o\b|\bno\s+se\s+puede\s+confiar\b/gi, -2],
    [/\bse\s+saltó\b|\bsin\s+propuestas\b|\bno\s+cuadran\b|\bnunca\s+(?:respondió|contestó|explicó)\b/gi, -1.5],
    [/\b(?:es|son|fue|fueron)\s+un\s+(?:chiste|circo|payaso|desastre)\b|\bno\s+ha\s+explicado\b|\btodav[ií]a\s+no\s+ha\b/gi, -2],
    [/\bllor(?:ar|ó|aron)\s+de\s+(?:alegr[ií]a|emoci[oó]n|felicidad)\b|\ben\s+vivo\b/gi, 0],
    [/\bnadie\s+(?:trabaja|lucha|se\s+esfuerza)\s+m[aá]s\b|\bme\s+cae\s+bien\b/gi, 2],
    [/\bse\s+siente\b|\bson\s+lo\s+m[aá]s\b|\bhay\s+que\s+reconocerlo\b|\bcon\s+mucho\s+gusto\b|\bs[ií]\s+se\s+puede\b|\btiene\s+mi\s+(?:voto|apoyo)\b/gi, 2],
  ]),
);

const NEGATIONS = new Set(["no", "nunca", "jamás", "jamas", "ni", "tampoco", "nadie", "nada", "sin", "ningún", "ninguno", "ninguna", "poco", "poca"]);
const BOOSTERS = new Map<string, 1 | -1>([
  ..."muy tan súper super bastante demasiado realmente totalmente completamente absolutamente increíblemente sumamente tremendamente más"
    .split(" ")
    .map((w): [string, 1] => [w, 1]),
  ..."algo apenas ligeramente medio".split(" ").map((w): [string, -1] => [w, -1]),
]);

const exact = new Map<string, number>();
const prefixes: [string, number][] = [];
for (const [word, v] of Object.entries(ES_LEXICON)) {
  if (word.endsWith("*")) prefixes.push([word.slice(0, -1), v]);
  else exact.set(word, v);
}
prefixes.sort((a, b) => b[0].length - a[0].length);

const stemmer = new StemmerEs();
/** Function words carry no feeling, though the stem lexicons give some a value ("con" → "con…"). */
const STOPWORDS = new Set([
  ...Object.keys(new StopwordsEs().dictionary),
  ..."es son fue era eran está están estaba este esta estos estas hay ha han he lo les tu tus nuestro nuestra nuestros nuestras entre según".split(" "),
]);
const memo = new Map<string, number>();

/** The valence of one lower-case Spanish word (0 when no lexicon knows it). */
function spanishWordValence(word: string): number {
  if (word.includes("_")) return 0; // a masked topic, phrase or laugh
  const known = memo.get(word);
  if (known !== undefined) return known;
  let v = lookup(word);
  // "buenísimo" is "bueno" said louder.
  if (v === 0) {
    const base = /^(.{3,})ísim([oa])s?$/.exec(word);
    if (base) v = lookup(`${base[1]}${base[2]}`) * 1.3 || lookup(`${base[1]}o`) * 1.3;
  }
  if (memo.size > 50_000) memo.clear();
  memo.set(word, v);
  return v;
}

function lookup(word: string): number {
  const own = exact.get(word);
  if (own !== undefined) return own;
  for (const [prefix, v] of prefixes) if (word.startsWith(prefix)) return v;
  if (word.length < 3 || STOPWORDS.has(word)) return 0;
  const stem = stemmer.stem(word);
  // Irregular forms stem onto other words ("quiso" → "quer", querer; "plazo" → "plac", placer):
  // a stem that is not the word's beginning is a collision, not a reading.
  if (!word.startsWith(stem)) return 0;
  const afinn = AFINN_ES[stem];
  if (afinn !== undefined && stem !== "no" && stem !== "si") return afinn * AFINN_SCALE;
  const senticon = SENTICON_ES[stem];
  if (senticon !== undefined && Math.abs(senticon) >= SENTICON_MIN) return senticon * SENTICON_SCALE;
  return 0;
}

const SPANISH: LanguageProfile = {
  valence: spanishWordValence,
  negations: NEGATIONS,
  boosters: BOOSTERS,
  contrast: new Set(["pero", "sino"]),
  negationConcord: true,
};

/** The sum of valences in a Spanish text (emoji left out; analyze.ts adds them). */
export function spanishValence(text: string): number {
  const phrased = maskPhrases(maskTopics(maskLaughter(withoutEmoji(text)), "es"), ES_PHRASES);
  // An "aunque" clause (up to the next comma) concedes: it counts half.
  const clean = phrased.text.replace(/(?<![\p{L}])aunque\s+([^,.;]*)/giu, (_m, clause: string) => `aunque ${clause.replace(TOKEN, (w) => `${w}_half`)}`);
  const tokens = clean.match(TOKEN) ?? [];
  return valenceSum(clean, tokens, SPANISH, (w) => {
    const phrase = phraseTokenValence(w, phrased.valences);
    if (phrase !== undefined) return phrase;
    if (w.endsWith("_half")) return spanishWordValence(w.slice(0, -5)) * 0.5;
    return undefined;
  });
}
