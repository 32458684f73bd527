// The sentiment evaluation: labelled mentions written by the team (testdata/mentions-*.tsv), a
// scorer run over them, and 3-class accuracy overall, per language and per tag (the hard cases:
// sarcasm, negation, emoji, policy topics, announcements…). A score above NEUTRAL_BAND is
// positive, below its opposite negative, neutral between: the band every report uses.
// Reading the files is the caller's (evaluate.ts, the test); this module is pure.
import { NEUTRAL_BAND } from "../windows";

export type SentimentClass = "positive" | "neutral" | "negative";

export interface LabelledMention {
  /** File and line, for reports. */
  where: string;
  language: string;
  label: SentimentClass;
  /** A score the source supplied with the mention (some feeds do), or null. */
  source: number | null;
  tags: string[];
  text: string;
}

/** What a scorer is given: the text, the source's score if any, and the language the source declared (none here). */
export type Scorer = (text: string, source: number | null) => number;

export interface Accuracy {
  total: number;
  correct: number;
  accuracy: number;
}

export interface EvaluationReport {
  overall: Accuracy;
  byLanguage: Record<string, Accuracy>;
  /** Per file group: "mentions" (the team's set), "holdout", "holdout2" (written after the scorer, see monitoring/README.md). */
  bySet: Record<string, Accuracy>;
  byTag: Record<string, Accuracy>;
  /** Every mention scored into the wrong class. */
  misses: { where: string; label: SentimentClass; got: SentimentClass; score: number; text: string }[];
}

const CLASSES = new Set<SentimentClass>(["positive", "neutral", "negative"]);

export function classify(score: number): SentimentClass {
  return score > NEUTRAL_BAND ? "positive" : score < -NEUTRAL_BAND ? "negative" : "neutral";
}

/** Parses one TSV file: `lang label source tags text`, `#` lines are comments. Throws on a malformed line. */
export function parseLabelled(name: string, content: string): LabelledMention[] {
  const out: LabelledMention[] = [];
  content.split("\n").forEach((line, i) => {
    if (line.trim() === "" || line.startsWith("#")) return;
    const where = `${name}:${i + 1}`;
    const cells = line.split("\t");
    if (cells.length !== 5) throw new Error(`${where}: expected 5 tab-separated cells, got ${cells.length}`);
    const [language, label, source, tags, text] = cells;
    if (!CLASSES.has(label as SentimentClass)) throw new Error(`${where}: unknown label ${label}`);
    const sourceScore = source === "" ? null : Number(source);
    if (sourceScore !== null && !(Number.isFinite(sourceScore) && Math.abs(sourceScore) <= 1)) throw new Error(`${where}: bad source score ${source}`);
    if (text.trim() === "") throw new Error(`${where}: empty text`);
    out.push({ where, language, label: label as SentimentClass, source: sourceScore, tags: tags === "" ? [] : tags.split(","), text });
  });
  return out;
}

function tally(map: Record<string, Accuracy>, key: string, ok: boolean): void {
  const a = (map[key] ??= { total: 0, correct: 0, accuracy: 0 });
  a.total++;
  if (ok) a.correct++;
}

function finish(a: Accuracy): Accuracy {
  return { ...a, accuracy: a.total === 0 ? 0 : Math.round((a.correct / a.total) * 1000) / 1000 };
}

/** Scores every mention and reports 3-class accuracy. */
export function evaluate(mentions: readonly LabelledMention[], scorer: Scorer): EvaluationReport {
  const overall: Record<string, Accuracy> = {};
  const byLanguage: Record<string, Accuracy> = {};
  const byTag: Record<string, Accuracy> = {};
  const bySet: Record<string, Accuracy> = {};
  const misses: EvaluationReport["misses"] = [];
  for (const m of mentions) {
    const score = scorer(m.text, m.source);
    const got = classify(score);
    const ok = got === m.label;
    tally(overall, "all", ok);
    tally(byLanguage, m.language, ok);
    tally(bySet, m.where.replace(/-[a-z]{2}\.tsv:\d+$/, ""), ok);
    for (const tag of m.tags) tally(byTag, tag, ok);
    if (!ok) misses.push({ where: m.where, label: m.label, got, score, text: m.text });
  }
  const map = (r: Record<string, Accuracy>) =>
    Object.fromEntries(
      Object.entries(r)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, finish(v)]),
    );
  return { overall: finish(overall.all ?? { total: 0, correct: 0, accuracy: 0 }), byLanguage: map(byLanguage), bySet: map(bySet), byTag: map(byTag), misses };
}
