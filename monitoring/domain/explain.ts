// How an alert explains itself: distinctive terms (against the campaign's usual vocabulary), the
// mentions that carry it (by reach, then engagement), the platforms involved, what to do, and a title
// and summary a person can read on a phone at 3 a.m.
import { storyOf, storyTitle } from "../../shared/story";
import { usualShare, type TermsState } from "./baseline";
import { distinctTerms } from "./text";
import type { AlertType, MentionDigest, PlatformImpact, SampledMention, TermStat, Trigger } from "./types";

/** A mention at or below this sentiment counts as negative. */
export const NEGATIVE_SENTIMENT = -0.25;

/** Mentions, negative mentions and reach of one platform. */
export interface PlatformTally {
  mentions: number;
  negative: number;
  reach: number;
}

/**
 * The terms that set these mentions apart: present in at least two of them and at least 1.5× more
 * common than in the campaign's usual conversation, ranked by count × ln(lift).
 */
export function topTerms(
  docs: readonly SampledMention[],
  usual: TermsState,
  windowMentions: number,
  limit: number,
  exclude: ReadonlySet<string> = new Set(),
): TermStat[] {
  if (docs.length === 0 || limit <= 0) return [];
  const counts = new Map<string, number>();
  for (const doc of docs) {
    for (const term of distinctTerms(doc.text)) {
      if (!exclude.has(term)) counts.set(term, (counts.get(term) ?? 0) + 1);
    }
  }
  const n = docs.length;
  const scored: { stat: TermStat; score: number }[] = [];
  for (const [term, k] of counts) {
    if (k < 2) continue;
    const share = k / n;
    const lift = share / usualShare(usual, term);
    if (lift < 1.5) continue;
    scored.push({ stat: { term, share: round(share, 3), lift: round(lift, 1), mentions: Math.round(share * windowMentions) }, score: k * Math.log(lift) });
  }
  scored.sort((a, b) => b.score - a.score || a.stat.term.localeCompare(b.stat.term));
  return scored.slice(0, limit).map((s) => s.stat);
}

/** The mentions to show: negative ones first when asked (all of them if there is none), by reach, then engagement, then influence. */
export function topMentions(candidates: readonly SampledMention[], preferNegative: boolean, limit: number): MentionDigest[] {
  const unique = new Map<string, SampledMention>();
  for (const m of candidates) unique.set(m.id, m);
  let pool = [...unique.values()];
  if (preferNegative) {
    const negative = pool.filter((m) => m.sentiment <= NEGATIVE_SENTIMENT);
    if (negative.length > 0) pool = negative;
  }
  pool.sort((a, b) => b.reach - a.reach || b.engagement - a.engagement || (b.authorInfluence ?? 0) - (a.authorInfluence ?? 0) || a.id.localeCompare(b.id));
  return pool.slice(0, limit).map(({ h: _h, ...digest }) => digest);
}

/** Platforms by mentions, with their shares. */
export function platformImpacts(platforms: Readonly<Record<string, PlatformTally>>): PlatformImpact[] {
  let total = 0;
  for (const t of Object.values(platforms)) total += t.mentions;
  return Object.entries(platforms)
    .map(([platform, t]) => ({
      platform,
      mentions: t.mentions,
      negativeMentions: t.negative,
      reach: t.reach,
      share: total > 0 ? round(t.mentions / total, 3) : 0,
    }))
    .sort((a, b) => b.mentions - a.mentions || a.platform.localeCompare(b.platform));
}

/** The platforms worth naming: every one with at least 5 % of the mentions (at least the busiest). */
export function affectedPlatforms(impacts: readonly PlatformImpact[]): string[] {
  const named = impacts.filter((p, i) => i === 0 || p.share >= 0.05).map((p) => p.platform);
  return named;
}

/** What the campaign team should do first, from the alert's type and evidence. */
export function recommendedActions(
  type: AlertType,
  terms: readonly TermStat[],
  platforms: readonly string[],
  mentions: readonly MentionDigest[],
  competitor?: string,
): string[] {
  const about = terms
    .slice(0, 3)
    .map((t) => t.term)
    .join(", ");
  const where = platforms.slice(0, 2).join(" and ");
  const loudest = mentions[0];
  const actions: string[] = [];
  switch (type) {
    case "CRISIS":
      actions.push("Convene the rapid-response team now");
      actions.push(about ? `Prepare a holding statement addressing: ${about}` : "Prepare a holding statement");
      if (where) actions.push(`Concentrate monitoring and response on ${where}`);
      if (loudest) actions.push(`Assess the highest-reach post first (${loudest.author ?? "unknown author"} on ${loudest.platform}, reach ${loudest.reach})`);
      actions.push("Pause scheduled promotional content until the situation is assessed");
      break;
    case "SENTIMENT":
      actions.push(about ? `Find the cause of the negative turn (recurring terms: ${about})` : "Find the cause of the negative turn");
      if (where) actions.push(`Consider a clarifying message on ${where}`);
      actions.push("Watch for a volume spike: together they make a crisis");
      break;
    case "MENTION_SPIKE":
      actions.push(about ? `Find what drives the attention (recurring terms: ${about})` : "Find what drives the attention");
      actions.push("Amplify it if it helps the campaign; prepare a response if it turns negative");
      break;
    case "ENGAGEMENT_DROP":
      actions.push("Review recent content and posting times: people are engaging less with each mention");
      actions.push("Check whether a platform changed how it reports engagement");
      break;
    case "COMPETITOR":
      actions.push(`Review what is being said about ${competitor ?? "the competitor"}${about ? ` (recurring terms: ${about})` : ""}`);
      actions.push("Prepare a contrast message if it is an attack on the campaign");
      break;
  }
  return actions;
}

/** A title and a one-paragraph summary. */
export function describeAlert(
  type: AlertType,
  triggers: readonly Trigger[],
  platforms: readonly string[],
  estimatedReach: number,
  competitor?: string,
): { title: string; summary: string } {
  // The title in the wording every alert channel uses (shared/story.ts).
  const story = storyOf(type, {
    triggers: [...triggers],
    affectedPlatforms: [...platforms],
    mentions: 0,
    estimatedReach,
    sentimentImpact: 0,
    topTerms: [],
    topMentions: [],
    recommendedActions: [],
    competitor,
  });
  const title = storyTitle(story);
  const summary = [...triggers.map((t) => t.message), `Estimated reach ${Math.round(estimatedReach).toLocaleString("en-US")}.`].join(" ");
  return { title, summary };
}

/** Rounds to the given number of decimals. */
export function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}
