// The document analyses, computed from the text itself (no model): an extractive summary, lexicon
// sentiment, named entities, checkable claims and opposition-research risks. Each finding points at
// the passage it comes from, so a reader can check it. Deterministic: the same text, the same result.
import nlp from "compromise";
import { sentences } from "./passages";

/** The analyses a document can get. */
export type AnalysisType = "summary" | "sentiment" | "entities" | "claims" | "risk";

export const ANALYSIS_TYPES: readonly AnalysisType[] = ["summary", "sentiment", "entities", "claims", "risk"];

export function isAnalysisType(v: unknown): v is AnalysisType {
  return typeof v === "string" && (ANALYSIS_TYPES as readonly string[]).includes(v);
}

/** A passage as the analyses read it. */
export interface AnalysedPassage {
  id: string;
  position: number;
  heading: string;
  body: string;
}

/** A sentence quoted from a passage. */
export interface Excerpt {
  passageId: string;
  position: number;
  text: string;
}

/** summary: the document's most representative sentences. */
export interface SummaryResult {
  summary: string;
  keyPoints: Excerpt[];
  wordCount: number;
  passageCount: number;
}

/** The tone of one passage. */
export interface PassageTone {
  passageId: string;
  position: number;
  score: number;
}

/** sentiment: overall tone in [-1, 1], per passage, and the most extreme sentences. */
export interface SentimentResult {
  score: number;
  label: "positive" | "neutral" | "negative";
  positiveSentences: number;
  negativeSentences: number;
  neutralSentences: number;
  byPassage: PassageTone[];
  mostNegative: Excerpt[];
  mostPositive: Excerpt[];
}

export type EntityType = "person" | "organization" | "place" | "law" | "program" | "other";

/** A named entity and where it appears. */
export interface Entity {
  name: string;
  type: EntityType;
  mentions: number;
  /** Positions of the passages it appears in. */
  positions: number[];
}

/** entities: people, organisations and places named in the document, most mentioned first. */
export interface EntitiesResult {
  entities: Entity[];
}

export type ClaimKind = "statistic" | "date" | "money" | "attribution" | "comparison" | "record";

/** A checkable factual claim, with the passage it comes from. */
export interface Claim {
  text: string;
  kinds: ClaimKind[];
  passageId: string;
  position: number;
}

/** claims: statements a fact-checker could verify. */
export interface ClaimsResult {
  claims: Claim[];
}

export type RiskCategory = "legal" | "financial" | "conduct" | "policy_reversal" | "controversial_statement" | "performance";

/** Something an opponent could use, with its evidence. */
export interface Risk {
  category: RiskCategory;
  severity: "low" | "medium" | "high";
  text: string;
  passageId: string;
  position: number;
  /** The words that flagged it. */
  signals: string[];
}

/** risk: what an opponent could use against the campaign, worst first. */
export interface RiskResult {
  riskLevel: "low" | "medium" | "high";
  score: number;
  risks: Risk[];
}

// --- sentiment lexicon (small, politics-flavoured) ---

const POSITIVE = new Set(
  "good great excellent strong success successful win wins won support supported praise praised improve improved improvement growth grew benefit benefits honest trust trusted popular progress achieve achieved achievement safe secure hope hopeful proud record-high thriving welcome welcomed effective fair gain gains boost boosted endorse endorsed endorsement positive leader leadership creating created protect protected".split(
    " ",
  ),
);
const NEGATIVE = new Set(
  "bad poor terrible awful fail failed failure failing scandal corrupt corruption lie lies lied liar fraud crisis weak loss lost lose decline declined worse worst attack attacked criticism criticised criticized angry outrage outraged disaster disgrace resign threat threats danger dangerous unpopular broken mismanagement waste wasted debt lawsuit investigation indicted arrest arrested controversy controversial problem problems risk risky negative cut cuts slashed collapse".split(
    " ",
  ),
);
const NEGATORS = new Set(["not", "no", "never", "without", "hardly", "isn't", "wasn't", "don't", "didn't", "won't", "can't"]);

const words = (s: string) => s.toLowerCase().match(/[a-z][a-z'-]*/g) ?? [];

/** A sentence's tone in [-1, 1]: (positive - negative) / sqrt(words), a negator flips the next word. */
export function sentenceTone(sentence: string): number {
  const ws = words(sentence);
  let score = 0;
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    const sign = POSITIVE.has(w) ? 1 : NEGATIVE.has(w) ? -1 : 0;
    if (!sign) continue;
    const negated = (i > 0 && NEGATORS.has(ws[i - 1]!)) || (i > 1 && NEGATORS.has(ws[i - 2]!));
    score += negated ? -sign : sign;
  }
  if (!ws.length) return 0;
  return Math.max(-1, Math.min(1, score / Math.sqrt(ws.length)));
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

function allSentences(passages: AnalysedPassage[]): Excerpt[] {
  return passages.flatMap((p) => sentences(p.body).map((text) => ({ passageId: p.id, position: p.position, text })));
}

// --- summary ---

const STOP = new Set(
  "the a an and or but if of to in on at for with by from as is are was were be been being this that these those it its it's he she they them his her their we our you your i me my not no so than then there here which who whom what when where why how all any some more most such can could will would should may might must do does did has have had also into about over after before".split(
    " ",
  ),
);

/** Extractive summary: sentences scored by their words' document frequency, the best few in document order. */
/** A transcript's turn: "KESSLER: …", "Dana Whitfield: …", "Q: …" at the start of a line. */
const SPEAKER = /^\s*([A-Z][A-Za-z.'’-]*(?: [A-Z][A-Za-z.'’-]*){0,3}|[A-Z]{1,3}):\s+(\S.*)$/;

/** A speaker label as people write it: "KESSLER" → "Kessler"; "Dana Whitfield" stays. */
const speakerName = (label: string) =>
  label === label.toUpperCase() && label.length > 3 ? label.toLowerCase().replace(/\b[a-z]/g, (c) => c.toUpperCase()) : label;

/**
 * Sentences with who said them: in a transcript (lines opening with "SPEAKER:"), each sentence of a
 * turn carries its speaker ("Kessler: I never said I would ban fracking."), so a summary keeps who
 * said what. Other text is unchanged.
 */
export function attributedSentences(passages: AnalysedPassage[]): Excerpt[] {
  return passages.flatMap((p) => {
    const lines = p.body.split(/\n/);
    if (!lines.some((l) => SPEAKER.test(l))) return sentences(p.body).map((text) => ({ passageId: p.id, position: p.position, text }));
    const out: Excerpt[] = [];
    let speaker: string | null = null;
    let turn: string[] = [];
    const flush = () => {
      for (const text of sentences(turn.join(" "))) out.push({ passageId: p.id, position: p.position, text: speaker ? `${speaker}: ${text}` : text });
      turn = [];
    };
    for (const line of lines) {
      const m = SPEAKER.exec(line);
      if (m) {
        flush();
        speaker = speakerName(m[1]!);
        turn.push(m[2]!);
      } else if (line.trim()) turn.push(line.trim());
    }
    flush();
    return out;
  });
}

export function summarise(passages: AnalysedPassage[], maxSentences = 3): SummaryResult {
  const all = attributedSentences(passages);
  const freq = new Map<string, number>();
  for (const s of all) for (const w of new Set(words(s.text))) if (!STOP.has(w) && w.length > 2) freq.set(w, (freq.get(w) ?? 0) + 1);
  const scored = all.map((s, i) => {
    const ws = words(s.text).filter((w) => !STOP.has(w) && w.length > 2);
    const score = ws.length ? ws.reduce((sum, w) => sum + (freq.get(w) ?? 0), 0) / Math.sqrt(ws.length) : 0;
    // The opening sentences carry the point more often than not.
    return { s, i, score: score * (i === 0 ? 1.3 : 1) };
  });
  const best = scored
    .filter((x) => x.s.text.length >= 20)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, maxSentences)
    .sort((a, b) => a.i - b.i)
    .map((x) => x.s);
  const keyPoints = best.length ? best : all.slice(0, maxSentences);
  const wordCount = passages.reduce((n, p) => n + (p.body.match(/\S+/g)?.length ?? 0), 0);
  return { summary: keyPoints.map((k) => k.text).join(" "), keyPoints, wordCount, passageCount: passages.length };
}

// --- sentiment ---

export function analyseSentiment(passages: AnalysedPassage[]): SentimentResult {
  const all = allSentences(passages).map((e) => ({ e, tone: sentenceTone(e.text) }));
  const toned = all.filter((x) => x.tone !== 0);
  const score = toned.length ? toned.reduce((s, x) => s + x.tone, 0) / all.length : 0;
  const byPassage = passages.map((p) => {
    const own = all.filter((x) => x.e.passageId === p.id);
    return { passageId: p.id, position: p.position, score: round(own.length ? own.reduce((s, x) => s + x.tone, 0) / own.length : 0) };
  });
  const negative = all.filter((x) => x.tone < -0.05);
  const positive = all.filter((x) => x.tone > 0.05);
  return {
    score: round(score),
    label: score > 0.05 ? "positive" : score < -0.05 ? "negative" : "neutral",
    positiveSentences: positive.length,
    negativeSentences: negative.length,
    neutralSentences: all.length - positive.length - negative.length,
    byPassage,
    mostNegative: [...negative]
      .sort((a, b) => a.tone - b.tone)
      .slice(0, 3)
      .map((x) => x.e),
    mostPositive: [...positive]
      .sort((a, b) => b.tone - a.tone)
      .slice(0, 3)
      .map((x) => x.e),
  };
}

// --- entities ---

const ORG_WORDS =
  /\b(Inc|Corp|Corporation|Company|Co|LLC|Ltd|Party|Committee|Council|Department|Agency|Association|Union|University|College|Foundation|Institute|Bank|Group|Campaign|PAC|Senate|House|Congress|Commission|Board|Times|News|Post|Journal|Network)\.?$/;
const PLACE_WORDS = /\b(City|County|State|Street|Avenue|Valley|River|Park|Square|District|Province|Island|Mountains?)$/;
const PERSON_TITLES = /^(Mr|Mrs|Ms|Dr|Sen|Senator|Rep|Representative|Gov|Governor|Mayor|President|Judge|Councilman|Councilwoman|Secretary)\.?$/;
const PLACES = new Set(
  "Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia Hawaii Idaho Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan Minnesota Mississippi Missouri Montana Nebraska Nevada Ohio Oklahoma Oregon Pennsylvania Tennessee Texas Utah Vermont Virginia Washington Wisconsin Wyoming America Columbus Chicago Boston Atlanta Denver Phoenix Dallas Houston Austin Seattle Portland Miami Detroit Cleveland Cincinnati London Paris Berlin Canada Mexico Europe".split(
    " ",
  ),
);
const NOT_NAMES = new Set(
  "The A An This That These Those It He She They We I You Our Their His Her In On At For With By From As But And Or If When While After Before During Since Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December However Meanwhile Also Today Yesterday Tomorrow".split(
    " ",
  ),
);

// Laws and public programmes are named like people ("Social Security") or organisations
// ("Medicare Advantage"): they are recognised by their own words before anything else.
const LAW_WORDS = /\b(Act|Law|Bill|Amendment|Statute|Code|Ordinance|Resolution|Treaty)$/;
const PROGRAM_HEADS =
  /^(Medicare|Medicaid|Social Security|Obamacare|Affordable Care|Head Start|Pell|Section 8|Supplemental Nutrition|Food Stamps|Unemployment Insurance|Child Tax Credit|Earned Income)\b/;
const PROGRAM_WORDS = /\b(Program|Programme|Initiative|Fund|Benefits?|Credit|Insurance|Assistance|Scheme)$/;
const NEWS_WORDS = /\b(Gazette|Tribune|Herald|Inquirer|Chronicle|Courier|Register|Observer|Globe|Examiner|Press|Review|Sentinel|Dispatch)$/;

/** What compromise (an NLP library whose English model ships in its npm package) makes of a passage. */
interface NlpTypes {
  person: Set<string>;
  organization: Set<string>;
  place: Set<string>;
}

const cleanName = (s: string) =>
  s
    .replace(/[\s,.;:!?"'”’)]+$/, "")
    .replace(/^[("'“]+/, "")
    .replace(/['’]s$/, "")
    .trim();

function nlpTypes(text: string): NlpTypes {
  const doc = nlp(text);
  const names = (list: string[]) =>
    new Set(
      list
        .flatMap((x) => cleanName(x).split(/,\s*/))
        .map((x) => x.replace(/^((Mr|Mrs|Ms|Dr|Sen|Senator|Rep|Representative|Gov|Governor|Mayor|President|Judge)\.?\s+)+/, ""))
        .filter(Boolean),
    );
  return {
    person: names(doc.people().out("array") as string[]),
    organization: names(doc.organizations().out("array") as string[]),
    place: names(doc.places().out("array") as string[]),
  };
}

function classify(name: string, titled: boolean, nlpSays: NlpTypes): EntityType {
  if (LAW_WORDS.test(name)) return "law";
  if (PROGRAM_HEADS.test(name) || PROGRAM_WORDS.test(name)) return "program";
  if (titled) return "person";
  if (ORG_WORDS.test(name) || NEWS_WORDS.test(name) || /^[A-Z]{2,6}$/.test(name)) return "organization";
  if (nlpSays.person.has(name)) return "person";
  if (nlpSays.organization.has(name)) return "organization";
  if (nlpSays.place.has(name) || PLACE_WORDS.test(name) || PLACES.has(name)) return "place";
  const parts = name.split(" ");
  if (parts.length === 2 || parts.length === 3) return "person";
  return "other";
}

/**
 * People, organisations, places, laws and programmes: capitalised word runs (and acronyms), typed by
 * their own words (laws, programmes, news titles), titles like "Senator", and compromise's reading
 * of the passage. A surname or first name alone ("Whitfield") counts for the one person named in
 * full ("Dana Whitfield") it belongs to.
 */
export function extractEntities(passages: AnalysedPassage[], limit = 25): EntitiesResult {
  const found = new Map<string, Entity & { single: boolean }>();
  for (const p of passages) {
    const nlpSays = nlpTypes(p.body);
    for (const sentence of sentences(p.body)) {
      const tokens = sentence.split(/\s+/);
      let run: string[] = [];
      let titled = false;
      const close = () => {
        while (run.length && NOT_NAMES.has(run[0]!)) run.shift();
        if (run.length) {
          const name = run.join(" ").replace(/\s+(of|de|van|von)$/, "");
          if (name.length > 1) {
            const type = classify(name, titled, nlpSays);
            // A lone capitalised word is kept only when something says what it is (or it may be a surname: resolved below).
            const single =
              run.length === 1 &&
              /^[A-Z][a-z]+$/.test(name) &&
              !titled &&
              type !== "place" &&
              type !== "organization" &&
              type !== "program" &&
              type !== "law" &&
              !nlpSays.person.has(name);
            const e = found.get(name) ?? { name, type, mentions: 0, positions: [], single };
            e.mentions++;
            if (!e.positions.includes(p.position)) e.positions.push(p.position);
            found.set(name, e);
          }
        }
        run = [];
        titled = false;
      };
      for (const raw of tokens) {
        const t = raw.replace(/^[("'“]+/, "");
        const word = t.replace(/[),.;:!?"'”’]+$/, "").replace(/['’]s$/, "");
        const endsClause = /[,.;:!?)]["'”]?$/.test(t);
        if (PERSON_TITLES.test(word)) {
          close();
          titled = true;
          continue;
        }
        if (/^([A-Z][a-zA-Z&-]+|[A-Z]{2,6})$/.test(word) || (run.length > 0 && /^(of|de|van|von)$/.test(word) && !endsClause)) {
          run.push(word);
        } else close();
        if (endsClause) close();
      }
      close();
    }
  }
  // Aliases: a lone name that is a part of exactly one person's full name counts for that person.
  const people = [...found.values()].filter((e) => e.type === "person" && e.name.includes(" "));
  for (const e of [...found.values()]) {
    if (e.name.includes(" ") || (e.type !== "person" && !e.single)) continue;
    const owners = people.filter((x) => x.name.split(" ").includes(e.name));
    if (owners.length !== 1) continue;
    const owner = owners[0]!;
    owner.mentions += e.mentions;
    for (const pos of e.positions) if (!owner.positions.includes(pos)) owner.positions.push(pos);
    owner.positions.sort((a, b) => a - b);
    found.delete(e.name);
  }
  const entities = [...found.values()].filter((e) => !e.single).map(({ single: _s, ...e }) => e);
  return { entities: entities.sort((a, b) => b.mentions - a.mentions || a.name.localeCompare(b.name)).slice(0, limit) };
}

// --- claims ---

const CLAIM_RULES: { kind: ClaimKind; re: RegExp }[] = [
  { kind: "statistic", re: /\b\d[\d,.]*\s?(%|(percent|per cent|million|billion|thousand|people|jobs|votes|voters|times)\b)/i },
  { kind: "money", re: /([$€£]\s?\d[\d,.]*|\b\d[\d,.]*\s?(dollars|euros|pounds)\b)/i },
  { kind: "date", re: /\b(19|20)\d{2}\b|\b(January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2}\b/ },
  { kind: "attribution", re: /\b(according to|said|says|stated|reported|announced|voted (for|against)|signed|sponsored)\b/i },
  {
    kind: "comparison",
    re: /\b(more than|less than|fewer than|higher than|lower than|doubled|tripled|halved|increased|decreased|rose|fell|grew|dropped|cut)\b/i,
  },
  { kind: "record", re: /\b(first|largest|highest|lowest|biggest|smallest|record|most|least|only)\b/i },
];

/** Sentences with a number, an amount, a date, an attribution or a comparison: what a fact-checker can verify. */
export function extractClaims(passages: AnalysedPassage[], limit = 50): ClaimsResult {
  const claims: Claim[] = [];
  for (const e of allSentences(passages)) {
    if (e.text.endsWith("?") || e.text.length < 15) continue;
    const kinds = CLAIM_RULES.filter((r) => r.re.test(e.text)).map((r) => r.kind);
    // An attribution or a superlative alone is checkable only with something concrete beside it.
    const concrete = kinds.some((k) => k === "statistic" || k === "money" || k === "date" || k === "comparison");
    if (kinds.length && (concrete || kinds.length >= 2)) claims.push({ text: e.text, kinds, passageId: e.passageId, position: e.position });
  }
  return { claims: claims.slice(0, limit) };
}

// --- risk ---

const RISK_RULES: { category: RiskCategory; weight: number; re: RegExp }[] = [
  // Legal threats weigh most: one defamation threat or settlement is already a high finding.
  {
    category: "legal",
    weight: 4,
    re: /\b(lawsuits?|sued|sue|suing|indicted|indictment|investigation|investigated|subpoena(ed)?|arrest(ed)?|charged|convicted|illegal|violation|ethics complaint|fraud|defamation|defamatory|libel(lous|ous)?|slander(ous)?|cease[- ]and[- ]desist|settle(d|ment|ments)?|litigation|legal action|class action|injunction|non-disclosure agreement|nda)\b/gi,
  },
  {
    category: "financial",
    weight: 2,
    re: /\b(debt|bankrupt(cy)?|donations?|donors?|lobbyists?|tax(es)? (evasion|dodge)|overspen[dt]|wasted?|misused? funds|misspent|kickbacks?|loans?|payouts?|paid|payments? to|hush money|dark money|super pac|campaign funds|undisclosed (income|payments?|gifts?)|stock trades?)\b/gi,
  },
  // Ethics: conflicts of interest, gifts, self-dealing (the "conduct" category).
  {
    category: "conduct",
    weight: 3,
    re: /\b(ethics|unethical|conflicts? of interest|self-dealing|nepotism|gifts? from|recus(e|al|ed)|quid pro quo|pay[- ]to[- ]play|insider)\b/gi,
  },
  // Votes an opponent can quote: against a popular measure, missed or skipped, or a cut.
  {
    category: "policy_reversal",
    weight: 2,
    re: /\b(voted (against|to cut|to repeal|to end)|missed \d* ?votes?|skipped (the )?votes?|abstained|vote to cut)\b/gi,
  },
  {
    category: "conduct",
    weight: 3,
    re: /\b(affair|harass(ment|ed)?|misconduct|lied|lie|lies|scandal|drunk|racist|sexist|bribe(ry|d)?|cover[- ]up|plagiari[sz]ed?)\b/gi,
  },
  {
    category: "policy_reversal",
    weight: 2,
    re: /\b(flip[- ]flop(ped)?|reversed|u-turn|changed (his|her|their) (position|mind)|backtrack(ed)?|broke (a|his|her|their) promise|previously (supported|opposed))\b/gi,
  },
  { category: "controversial_statement", weight: 2, re: /\b(controversial|offensive|gaffe|outrage(d)?|apologi[sz]ed|backlash|slur|insult(ed)?)\b/gi },
  { category: "performance", weight: 1, re: /\b(failed|failure|missed (targets?|deadlines?)|over budget|delayed|mismanage(d|ment)|declined?|worst)\b/gi },
];

/** Sentences an opponent could quote: legal, financial, conduct, reversals, controversy, failures. */
export function assessRisk(passages: AnalysedPassage[], limit = 30): RiskResult {
  const risks: (Risk & { weight: number })[] = [];
  for (const e of allSentences(passages)) {
    for (const rule of RISK_RULES) {
      const signals = [...new Set((e.text.match(rule.re) ?? []).map((s) => s.toLowerCase()))];
      if (!signals.length) continue;
      const weight = rule.weight * signals.length + (sentenceTone(e.text) < -0.2 ? 1 : 0);
      risks.push({
        category: rule.category,
        severity: weight >= 4 ? "high" : weight >= 2 ? "medium" : "low",
        text: e.text,
        passageId: e.passageId,
        position: e.position,
        signals,
        weight,
      });
    }
  }
  risks.sort((a, b) => b.weight - a.weight || a.position - b.position);
  const total = risks.reduce((s, r) => s + r.weight, 0);
  // Saturating: a handful of serious findings is already a high risk.
  const score = round(1 - Math.exp(-total / 10));
  // The worst findings set a floor: a legal threat is never a low risk, two serious findings are high.
  const high = risks.filter((r) => r.severity === "high");
  const floor =
    high.length >= 2 || high.some((r) => r.category === "legal" && r.signals.length > 1) ? 2 : high.length || risks.some((r) => r.category === "legal") ? 1 : 0;
  const byScore = score >= 0.6 ? 2 : score >= 0.25 ? 1 : 0;
  return {
    riskLevel: (["low", "medium", "high"] as const)[Math.max(floor, byScore)]!,
    score,
    risks: risks.slice(0, limit).map(({ weight: _w, ...r }) => r),
  };
}
