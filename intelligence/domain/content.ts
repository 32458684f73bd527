// Threat assessment of a piece of content (the seed's `threat-assessment {data}`): a post, an
// article, a page's text or free text. What an opponent could use in it (risk rules), how hostile
// it is (tone), how far it travels (reach, when known) and, with a campaign for context, whether it
// is about that campaign at all. Pure; the same levels as the campaign assessment (threat.ts).
import { analyseSentiment, assessRisk, type AnalysedPassage } from "./analysis";
import { splitPassages } from "./passages";
import { levelOf, type ThreatLevel } from "./threat";

export type ContentKind = "post" | "article" | "url" | "text";
export type ContentFactorName = "content_risk" | "hostile_tone" | "audience_reach" | "campaign_relevance";

/** The content to assess. */
export interface ContentInput {
  kind: ContentKind;
  text: string;
  title?: string;
  /** Known audience (followers, views, circulation). */
  reach?: number;
}

/** The campaign a piece is assessed for: its name and the terms that mean it (keywords, candidates). */
export interface CampaignContext {
  name: string;
  terms: string[];
}

export interface ContentFactor {
  name: ContentFactorName;
  score: number;
  weight: number;
  evidence: string[];
}

export interface ContentThreat {
  threatLevel: ThreatLevel;
  score: number;
  factors: ContentFactor[];
  recommendedActions: string[];
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const clamp = (x: number) => Math.max(0, Math.min(1, x));
const saturate = (x: number, half: number) => (x <= 0 ? 0 : 1 - Math.exp((-x * Math.LN2) / half));

/** The content as passages (what the document analyses read). */
export function contentPassages(c: ContentInput): AnalysedPassage[] {
  const text = c.title ? `${c.title}\n\n${c.text}` : c.text;
  return splitPassages(text, false).map((p) => ({ id: `p${p.position}`, position: p.position, heading: p.heading, body: p.body }));
}

/** Which of the campaign's terms the text names (case-insensitive, whole words). */
export function termsNamed(text: string, terms: readonly string[]): string[] {
  const lower = text.toLowerCase();
  return [...new Set(terms.map((t) => t.trim()).filter((t) => t.length >= 2))].filter((t) => {
    const escaped = t.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, "u").test(lower);
  });
}

export function assessContent(c: ContentInput, campaign?: CampaignContext): ContentThreat {
  const passages = contentPassages(c);
  const risk = assessRisk(passages, 5);
  const tone = analyseSentiment(passages);
  const factors: ContentFactor[] = [];
  factors.push({
    name: "content_risk",
    score: r3(risk.score),
    weight: 0.45,
    evidence: risk.risks.length
      ? risk.risks.map((r) => `${r.category} (${r.severity}): "${r.text.slice(0, 160)}"`)
      : ["nothing an opponent could quote: no legal, financial, conduct, reversal, controversy or failure language"],
  });
  factors.push({
    name: "hostile_tone",
    score: r3(clamp(-tone.score * 1.5)),
    weight: 0.3,
    evidence: [
      `tone ${r3(tone.score)} (${tone.label}): ${tone.negativeSentences} negative, ${tone.positiveSentences} positive sentence(s)`,
      ...tone.mostNegative.slice(0, 2).map((e) => `"${e.text.slice(0, 160)}"`),
    ],
  });
  factors.push(
    c.reach === undefined
      ? { name: "audience_reach", score: 0, weight: 0, evidence: ["reach unknown: not weighed"] }
      : { name: "audience_reach", score: r3(saturate(c.reach, 10_000)), weight: 0.25, evidence: [`reach ${c.reach}`] },
  );
  const weighed = factors.reduce((s, f) => s + f.weight, 0);
  let score = factors.reduce((s, f) => s + f.weight * f.score, 0) / weighed;
  if (campaign) {
    const named = termsNamed(passages.map((p) => p.body).join("\n"), [campaign.name, ...campaign.terms]);
    // A piece that never names the campaign threatens it less: it counts half.
    const relevance = named.length ? 1 : 0.5;
    score *= relevance;
    factors.push({
      name: "campaign_relevance",
      score: relevance,
      weight: 0,
      evidence: [
        named.length
          ? `names ${named.map((t) => `"${t}"`).join(", ")} of campaign ${campaign.name}`
          : `names neither campaign ${campaign.name} nor its keywords: its score counts half`,
      ],
    });
  }
  score = r3(clamp(score));
  const threatLevel = levelOf(score);
  return {
    threatLevel,
    score,
    factors,
    recommendedActions: actionsFor(
      threatLevel,
      risk.risks.map((r) => r.category),
      c.kind,
    ),
  };
}

function actionsFor(level: ThreatLevel, categories: string[], kind: ContentKind): string[] {
  const actions: string[] = [];
  if (level === "critical" || level === "high") actions.push("brief the communications lead now and prepare a holding statement");
  if (categories.includes("legal")) actions.push("have counsel review the legal claims before any response");
  if (categories.includes("financial")) actions.push("gather the financial records that answer the claims");
  if (categories.includes("policy_reversal")) actions.push("prepare the record of the candidate's position over time");
  if (level !== "low")
    actions.push(kind === "post" ? "watch the post's spread (shares, replies) over the next hours" : "track pick-up of the piece by other outlets");
  if (!actions.length) actions.push("no action needed: keep monitoring");
  return actions;
}

/** The seed's `data` as sent: free text, or a piece with what is known of it. */
export interface ContentData {
  kind?: ContentKind;
  text: string;
  title?: string;
  url?: string;
  author?: string;
  platform?: string;
  reach?: number;
  campaignId?: string;
}

/** The content to read, or why it cannot be read. `maxChars` bounds the text. */
export function readContent(
  data: string | ContentData,
  maxChars: number,
): { ok: true; content: ContentInput & { url?: string; author?: string; platform?: string }; campaignId?: string } | { ok: false; message: string } {
  const d: ContentData = typeof data === "string" ? { text: data } : data;
  if (typeof d.text !== "string" || !d.text.trim())
    return { ok: false, message: "data.text is empty: send the post's, article's or page's text (a URL is not fetched)" };
  if (d.text.length > maxChars) return { ok: false, message: `data.text is longer than ${maxChars} characters` };
  if (d.url !== undefined && !/^https?:\/\/\S+$/i.test(d.url)) return { ok: false, message: "data.url must be an http(s) URL" };
  const content: ContentInput & { url?: string; author?: string; platform?: string } = { kind: d.kind ?? (d.url ? "url" : "text"), text: d.text.trim() };
  if (d.title?.trim()) content.title = d.title.trim();
  if (d.url) content.url = d.url;
  if (d.author?.trim()) content.author = d.author.trim();
  if (d.platform?.trim()) content.platform = d.platform.trim();
  if (d.reach !== undefined) content.reach = d.reach;
  return d.campaignId !== undefined ? { ok: true, content, campaignId: d.campaignId } : { ok: true, content };
}
