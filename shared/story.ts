// The story of an incident in words, from the detector's explanation: what happened, the key figures
// against their usual values, what it is about, where, how far it reaches, what to do. Every
// channel (and the incident's stored title and message) takes its wording from here, so one figure
// has one wording everywhere: alerting's incidents and messages, and monitoring's own crisis titles.
// Pure.
import type { AlertType, Severity } from "./alert-types";

/** One trigger of the detector's explanation (monitoring's CrisisExplanation, the fields used here). */
export interface ExplanationTrigger {
  kind: string;
  observed: number;
  baseline: number;
  change: number;
  windowMinutes: number;
  mentions: number;
  pValue?: number;
  zScore?: number;
}

/** A post behind the incident. */
export interface ExplanationMention {
  platform: string;
  author?: string;
  text: string;
  url?: string;
  reach: number;
  sentiment: number;
}

/** The detector's explanation of a crisis (monitoring's CrisisExplanation; extra fields are ignored). */
export interface Explanation {
  triggers: ExplanationTrigger[];
  affectedPlatforms: string[];
  mentions: number;
  estimatedReach: number;
  negativeReach?: number;
  sentimentImpact: number;
  topTerms: { term: string }[];
  topMentions: ExplanationMention[];
  recommendedActions: string[];
  competitor?: string;
}

/** A key figure: its words, and the measured against the usual values for readers who want them. */
export interface Figure {
  /** "mentions 12x usual", "sentiment very negative (usually neutral)". */
  words: string;
  /** "48/min vs 4.0/min usual over 15 min". */
  detail: string;
}

/** The story of an incident. */
export interface Story {
  /** "Crisis", "Mention spike", … */
  label: string;
  figures: Figure[];
  /** The distinctive terms, at most 5. */
  terms: string[];
  platforms: string[];
  reach: number;
  /** The posts to look at first, at most 3. */
  posts: ExplanationMention[];
  actions: string[];
  /** Statistics (z, p, windows): for a details footer only. */
  statistics: string[];
}

const LABEL: Record<AlertType, string> = {
  CRISIS: "Crisis",
  SENTIMENT: "Sentiment drop",
  MENTION_SPIKE: "Mention spike",
  ENGAGEMENT_DROP: "Engagement drop",
  COMPETITOR: "Competitor surge",
};

/** A finite number, else 0 (explanations travel as JSON). */
const num = (x: unknown): number => (typeof x === "number" && Number.isFinite(x) ? x : 0);

/** 950, 12.3K, 480K, 1.2M, 3.4B, 5.6T: what fits a phone screen. */
export function compactNumber(n: number): string {
  const x = Math.max(0, num(n));
  if (x < 1000) return String(Math.round(x));
  const units: [number, string][] = [
    [1e3, "K"],
    [1e6, "M"],
    [1e9, "B"],
    [1e12, "T"],
  ];
  for (const [size, unit] of units) {
    const v = x / size;
    const shown = v >= 100 ? Math.round(v) : round1(v);
    if (shown < 1000 || unit === "T") return `${shown.toLocaleString("en-US")}${unit}`;
  }
  return String(Math.round(x));
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** 1.6x, 7.3x, 12x: a ratio in one wording. */
export function multiple(ratio: number): string {
  const r = num(ratio);
  return r >= 10 ? `${Math.round(r).toLocaleString("en-US")}x` : `${round1(r)}x`;
}

/** Mean sentiment in words. */
export function sentimentWords(s: number): string {
  const x = num(s);
  if (x <= -0.5) return "very negative";
  if (x <= -0.2) return "negative";
  if (x < 0.2) return "neutral";
  if (x < 0.5) return "positive";
  return "very positive";
}

const signed = (x: number) => `${x >= 0 ? "+" : "-"}${Math.abs(Math.round(num(x) * 100) / 100).toFixed(2)}`;
const perMinute = (x: number) => `${num(x) >= 10 ? Math.round(num(x)) : round1(num(x))}/min`;

/** p as a power of ten when tiny ("1e-36"), else two significant digits. */
function pWords(p: number): string {
  if (!(p > 0)) return "0";
  return p < 1e-4 ? `1e${Math.floor(Math.log10(p))}` : String(Number(p.toPrecision(2)));
}

function figureOf(t: ExplanationTrigger, competitor: string | undefined): Figure | null {
  const minutes = Math.max(1, Math.round(num(t.windowMinutes)));
  switch (t.kind) {
    case "MENTION_SPIKE":
      return { words: `mentions ${multiple(t.change)} usual`, detail: `${perMinute(t.observed)} vs ${perMinute(t.baseline)} usual over ${minutes} min` };
    case "COMPETITOR_SPIKE":
      return {
        words: `mentions of ${competitor ?? "a competitor"} ${multiple(t.change)} usual`,
        detail: `${perMinute(t.observed)} vs ${perMinute(t.baseline)} usual over ${minutes} min`,
      };
    case "SENTIMENT_DROP": {
      const now = sentimentWords(t.observed);
      const usual = sentimentWords(t.baseline);
      const words = now === usual ? `sentiment down to ${signed(t.observed)}` : `sentiment ${now} (usually ${usual})`;
      return { words, detail: `mean ${signed(t.observed)} vs ${signed(t.baseline)} usual over the last ${Math.round(num(t.mentions))} mentions` };
    }
    case "ENGAGEMENT_DROP":
      return {
        words: `engagement per mention down ${Math.abs(Math.round(num(t.change) * 100))}%`,
        detail: `${round1(num(t.observed))} vs ${round1(num(t.baseline))} usual per mention`,
      };
    default:
      return null;
  }
}

function statisticOf(t: ExplanationTrigger): string {
  const parts = [
    `${t.kind}: observed ${Number(num(t.observed).toPrecision(3))}, usual ${Number(num(t.baseline).toPrecision(3))}, change ${Number(num(t.change).toPrecision(3))}`,
  ];
  if (t.pValue !== undefined) parts.push(`p = ${pWords(t.pValue)}`);
  if (t.zScore !== undefined) parts.push(`z = ${round1(num(t.zScore))}`);
  parts.push(`window ${round1(num(t.windowMinutes))} min, ${Math.round(num(t.mentions))} mentions`);
  return parts.join(", ");
}

/** Figures in a fixed order (volume, sentiment, engagement, the rest), whatever order the triggers fired in. */
const KIND_ORDER = ["MENTION_SPIKE", "COMPETITOR_SPIKE", "SENTIMENT_DROP", "ENGAGEMENT_DROP"];
const kindRank = (kind: string) => (KIND_ORDER.includes(kind) ? KIND_ORDER.indexOf(kind) : KIND_ORDER.length);

/** The story of an explanation. */
export function storyOf(type: AlertType, e: Explanation): Story {
  const triggers = (Array.isArray(e.triggers) ? e.triggers : []).slice().sort((a, b) => kindRank(a.kind) - kindRank(b.kind));
  return {
    label: type === "COMPETITOR" && e.competitor ? `Competitor surge: ${e.competitor}` : LABEL[type],
    figures: triggers.map((t) => figureOf(t, e.competitor)).filter((f): f is Figure => f !== null),
    terms: (e.topTerms ?? [])
      .map((t) => t.term)
      .filter(Boolean)
      .slice(0, 5),
    platforms: (e.affectedPlatforms ?? []).slice(0, 5),
    reach: num(e.estimatedReach),
    posts: (e.topMentions ?? []).slice(0, 3),
    actions: (e.recommendedActions ?? []).slice(0, 5),
    statistics: triggers.map(statisticOf),
  };
}

/** "Crisis: mentions 12x usual, sentiment very negative (usually neutral)": the headline. */
export function headline(s: Story): string {
  return s.figures.length ? `${s.label}: ${s.figures.map((f) => f.words).join(", ")}` : s.label;
}

/** The incident's title: the headline and where. */
export function storyTitle(s: Story): string {
  return `${headline(s)}${s.platforms.length ? ` on ${s.platforms.slice(0, 3).join(", ")}` : ""}`;
}

/** What happened, in one sentence (the campaign named, never its id). */
export function storySentence(campaignName: string, severity: Severity, s: Story): string {
  const about = s.terms.length
    ? `, about ${s.terms
        .slice(0, 3)
        .map((t) => `"${t}"`)
        .join(", ")}`
    : "";
  const where = s.platforms.length ? ` on ${s.platforms.slice(0, 3).join(", ")}` : "";
  const figures = s.figures.length ? `: ${s.figures.map((f) => f.words).join(", ")}` : "";
  return `${severity} ${s.label.toLowerCase()} for ${campaignName}${figures}${where}${about}; estimated reach ${compactNumber(s.reach)}.`;
}

/** The incident's stored message: the sentence and what to do. */
export function storyMessage(campaignName: string, severity: Severity, s: Story): string {
  return `${storySentence(campaignName, severity, s)}${s.actions.length ? ` Recommended: ${s.actions.join("; ")}.` : ""}`;
}
