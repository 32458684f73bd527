// Threat assessment: how much danger a campaign is in right now, from what monitoring and alerting
// know. Five factors, each scored in [0, 1] with the evidence that drove it, combined by weight; an
// open crisis sets a floor (a crisis in progress is never "low", however calm the rest looks).

export type ThreatLevel = "low" | "medium" | "high" | "critical";

export type ThreatFactorName = "crisis_state" | "negative_velocity" | "hostile_reach" | "influencer_involvement" | "competitor_activity";

/** An unresolved crisis record. */
export interface CrisisSignal {
  id: string;
  title: string;
  severity: "LOW" | "MEDIUM" | "HIGH" | "CRITICAL";
  status: "open" | "escalated" | "resolved";
}

/** An author of negative mentions in the window. */
export interface HostileAuthor {
  author: string;
  platform: string;
  reach: number;
  mentions: number;
}

/** A competitor's mentions in the window and the one before. */
export interface CompetitorSignal {
  name: string;
  mentions: number;
  previousMentions: number;
  averageSentiment: number;
}

/** Everything the assessment reads. */
export interface ThreatSignals {
  windowHours: number;
  openCrises: CrisisSignal[];
  openAlerts: { title: string; severity: string }[];
  /** Mentions in the window, negative ones in it, and negative ones in the window before. */
  mentions: number;
  negative: number;
  previousNegative: number;
  /** Reach of every mention in the window. */
  totalReach: number;
  hostileAuthors: HostileAuthor[];
  /** Influencers named in the monitoring config who wrote negative mentions in the window. */
  hostileInfluencers: HostileAuthor[];
  competitors: CompetitorSignal[];
}

/** One factor: its score in [0, 1], its weight in the total, and the evidence behind it. */
export interface ThreatFactor {
  name: ThreatFactorName;
  score: number;
  weight: number;
  evidence: string[];
}

export interface ThreatResult {
  threatLevel: ThreatLevel;
  score: number;
  factors: ThreatFactor[];
  recommendedActions: string[];
}

export const WEIGHTS: Record<ThreatFactorName, number> = {
  crisis_state: 0.35,
  negative_velocity: 0.25,
  hostile_reach: 0.2,
  influencer_involvement: 0.1,
  competitor_activity: 0.1,
};

const SEVERITY_SCORE: Record<CrisisSignal["severity"], number> = { LOW: 0.3, MEDIUM: 0.55, HIGH: 0.8, CRITICAL: 1 };
/** The least total score an open crisis of each severity implies. */
const SEVERITY_FLOOR: Record<CrisisSignal["severity"], number> = { LOW: 0.25, MEDIUM: 0.4, HIGH: 0.55, CRITICAL: 0.8 };

const clamp = (x: number) => Math.max(0, Math.min(1, x));
const r3 = (x: number) => Math.round(x * 1000) / 1000;
const saturate = (x: number, half: number) => (x <= 0 ? 0 : 1 - Math.exp((-x * Math.LN2) / half));

export function levelOf(score: number): ThreatLevel {
  return score >= 0.75 ? "critical" : score >= 0.5 ? "high" : score >= 0.25 ? "medium" : "low";
}

function crisisFactor(s: ThreatSignals): ThreatFactor {
  const evidence: string[] = [];
  let score = 0;
  for (const c of s.openCrises) {
    score = Math.max(score, clamp(SEVERITY_SCORE[c.severity] + (c.status === "escalated" ? 0.1 : 0)));
    evidence.push(`open crisis: ${c.title} (${c.severity}, ${c.status})`);
  }
  if (s.openAlerts.length) {
    score = Math.max(score, Math.min(0.3, 0.1 * s.openAlerts.length));
    evidence.push(`${s.openAlerts.length} unacknowledged alert(s)`);
  }
  if (!evidence.length) evidence.push("no open crisis and no unacknowledged alert");
  return { name: "crisis_state", score: r3(score), weight: WEIGHTS.crisis_state, evidence };
}

function velocityFactor(s: ThreatSignals): ThreatFactor {
  const ratio = (s.negative + 1) / (s.previousNegative + 1);
  const share = s.mentions ? s.negative / s.mentions : 0;
  const growth = clamp((ratio - 1) / 4);
  // Volume matters: three angry posts are not a wave.
  const volume = saturate(s.negative, 20);
  const score = clamp((0.6 * growth + 0.4 * clamp(share * 1.5)) * (0.3 + 0.7 * volume));
  return {
    name: "negative_velocity",
    score: r3(score),
    weight: WEIGHTS.negative_velocity,
    evidence: [
      `${s.negative} negative mention(s) in the last ${s.windowHours} h (${r3(s.negative / s.windowHours)} per hour) against ${s.previousNegative} in the ${s.windowHours} h before`,
      `${Math.round(share * 100)}% of ${s.mentions} mention(s) are negative`,
    ],
  };
}

function reachFactor(s: ThreatSignals): ThreatFactor {
  const hostileReach = s.hostileAuthors.reduce((sum, a) => sum + a.reach, 0);
  const share = s.totalReach ? hostileReach / s.totalReach : 0;
  const score = clamp(0.5 * share + 0.5 * saturate(hostileReach, 50_000));
  const top = [...s.hostileAuthors].sort((a, b) => b.reach - a.reach).slice(0, 3);
  return {
    name: "hostile_reach",
    score: r3(score),
    weight: WEIGHTS.hostile_reach,
    evidence: [
      `hostile authors reached ${hostileReach} (${Math.round(share * 100)}% of the window's reach)`,
      ...top.map((a) => `${a.author || "anonymous"} on ${a.platform}: reach ${a.reach} over ${a.mentions} negative mention(s)`),
    ],
  };
}

function influencerFactor(s: ThreatSignals): ThreatFactor {
  const n = s.hostileInfluencers.length;
  const reach = s.hostileInfluencers.reduce((sum, a) => sum + a.reach, 0);
  const score = n ? clamp(0.4 + 0.2 * (n - 1) + 0.4 * saturate(reach, 100_000)) : 0;
  return {
    name: "influencer_involvement",
    score: r3(score),
    weight: WEIGHTS.influencer_involvement,
    evidence: n
      ? s.hostileInfluencers.map((a) => `influencer ${a.author} posted ${a.mentions} negative mention(s), reach ${a.reach}`)
      : ["no watched influencer posted negatively"],
  };
}

function competitorFactor(s: ThreatSignals): ThreatFactor {
  let score = 0;
  const evidence: string[] = [];
  for (const c of s.competitors) {
    const ratio = (c.mentions + 1) / (c.previousMentions + 1);
    score = Math.max(score, clamp(((ratio - 1) / 3) * saturate(c.mentions, 10)));
    evidence.push(`${c.name}: ${c.mentions} mention(s) against ${c.previousMentions} before, average sentiment ${r3(c.averageSentiment)}`);
  }
  if (!evidence.length) evidence.push("no competitor configured in monitoring");
  return { name: "competitor_activity", score: r3(score), weight: WEIGHTS.competitor_activity, evidence };
}

function recommend(factors: ThreatFactor[], s: ThreatSignals): string[] {
  const by = new Map(factors.map((f) => [f.name, f]));
  const actions: string[] = [];
  if (s.openCrises.length) actions.push("Convene the crisis team and agree one holding statement for the open crisis.");
  if (s.openAlerts.length) actions.push("Acknowledge the open alerts so escalation stops and an owner is named.");
  if (by.get("negative_velocity")!.score >= 0.3) actions.push("Put out a factual response on the channel where negative mentions are growing fastest.");
  if (by.get("hostile_reach")!.score >= 0.3) actions.push("Prioritise replies to the highest-reach hostile authors; prepare corrections with sources.");
  if (by.get("influencer_involvement")!.score > 0) actions.push("Reach out directly to the influencers involved before their posts spread further.");
  if (by.get("competitor_activity")!.score >= 0.3) actions.push("Review the competitor's messaging and prepare a contrast point.");
  if (!actions.length) actions.push("No action needed now: keep monitoring.");
  return actions;
}

/** Scores the signals: weighted factors, raised to the floor an open crisis implies. */
export function assessThreat(s: ThreatSignals): ThreatResult {
  const factors = [crisisFactor(s), velocityFactor(s), reachFactor(s), influencerFactor(s), competitorFactor(s)];
  let score = factors.reduce((sum, f) => sum + f.weight * f.score, 0);
  for (const c of s.openCrises) score = Math.max(score, SEVERITY_FLOOR[c.severity]);
  score = r3(clamp(score));
  return { threatLevel: levelOf(score), score, factors, recommendedActions: recommend(factors, s) };
}
