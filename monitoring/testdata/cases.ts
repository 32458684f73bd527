// The reference cases of docs/crisis-cases.md as seeded, deterministic generators,
// and a replay helper that feeds a case to the detector minute by minute.
//
// Conventions (docs/crisis-cases.md): time in minutes from midnight UTC of the case's first day;
// λ is the Poisson mean of mentions per minute; sentiment ~ Normal(mean, 0.3) clipped to [-1, 1];
// reach ~ log-normal with median 800; engagement per mention ~ log-normal with median 12. Every knob
// can be changed (CaseOptions) so the same cases run "with other seeds and slightly different
// parameters". Each minute draws from its own stream (seed, case, minute), so changing one part of a
// case does not reshuffle the rest.
import { CrisisDetector } from "../domain/detector";
import { logNormal, mixSeed, mulberry32, normal, pick, poisson, weighted, type Random } from "../domain/random";
import { fnv1a } from "../domain/stats";
import type { AlertThresholds, DetectorConfigInput, DetectorEvent, DetectorMention } from "../domain/types";

const MINUTE = 60_000;
/** Monday 4 March 2024, 00:00 UTC: minute 0 of every case. */
const CASE_START = Date.UTC(2024, 2, 4);

/** The cases of docs/crisis-cases.md. */
export type CaseName =
  | "steady-noise"
  | "scandal"
  | "escalation"
  | "resolution"
  | "slow-growth"
  | "evening-peak"
  | "sentiment-collapse"
  | "cold-start"
  | "tiny-blip"
  | "positive-viral"
  | "engagement-drop"
  | "custom-threshold"
  | "competitor-surge";

/** All of them, in the document's order. */
export const CASE_NAMES: readonly CaseName[] = [
  "steady-noise",
  "scandal",
  "escalation",
  "resolution",
  "slow-growth",
  "evening-peak",
  "sentiment-collapse",
  "cold-start",
  "tiny-blip",
  "positive-viral",
  "engagement-drop",
  "custom-threshold",
  "competitor-surge",
];

/** What people talk about in a stretch of a case (it shapes the text, hence the alert's top terms). */
export type Topic = "everyday" | "scandal" | "praise" | "grievance" | "attack";

/** How mentions are drawn during one minute. */
export interface Regime {
  /** Poisson mean of mentions this minute. */
  rate: number;
  /** Exactly this many mentions instead of a Poisson draw. */
  exact?: number;
  sentiment: number;
  /** Multiplies the engagement median (0.4: a 60 % fall). */
  engagementFactor?: number;
  topic: Topic;
  /** A share of the minute's mentions drawn from another topic (e.g. the everyday conversation under an attack). */
  others?: { share: number; topic: Topic; sentiment: number };
}

/** The knobs of the cases (each case documents the ones it reads; all have the document's defaults). */
export interface CaseOptions {
  seed?: number;
  /** Length in days (steady-noise, evening-peak). */
  days?: number;
  /** Everyday λ and mean sentiment. */
  baseRate?: number;
  baseSentiment?: number;
  /** The burst's λ, mean sentiment and length in minutes (scandal family, positive-viral). */
  burstRate?: number;
  burstSentiment?: number;
  burstMinutes?: number;
  /** escalation: the second wave's λ. */
  waveRate?: number;
  /** resolution: calm minutes between the two scandals. */
  gapMinutes?: number;
  /** evening-peak: the peak's λ and hours. */
  peakRate?: number;
  peakFromHour?: number;
  peakToHour?: number;
  /** tiny-blip: mentions in the blip. cold-start: mentions in the first two minutes. */
  blipSize?: number;
  /** sentiment-collapse: the mean after the fall; engagement-drop: the factor during the drop. */
  collapseSentiment?: number;
  engagementFactor?: number;
  /** Shape of the distributions. */
  sentimentSd?: number;
  reachSigma?: number;
  engagementSigma?: number;
  /** Override the thresholds the case runs with. */
  thresholds?: Partial<AlertThresholds>;
}

/** A reference case ready to generate. */
export interface ReferenceCase {
  name: CaseName;
  description: string;
  seed: number;
  /** Epoch ms of minute 0. */
  start: number;
  minutes: number;
  thresholds: Partial<AlertThresholds>;
  competitors: string[];
  /** Key minutes (onset, end, wave...). */
  marks: Record<string, number>;
  regime(minute: number): Regime;
  sentimentSd: number;
  reachSigma: number;
  engagementSigma: number;
}

const CANDIDATE = "Rivera";
const COMPETITOR = "Smith";

const VOCABULARY: Record<Topic, readonly string[]> = {
  everyday: [
    "rally",
    "jobs",
    "economy",
    "healthcare",
    "schools",
    "taxes",
    "volunteers",
    "townhall",
    "endorsement",
    "policy",
    "plan",
    "voters",
    "senate",
    "district",
    "infrastructure",
    "housing",
    "climate",
    "wages",
    "veterans",
    "farmers",
    "canvassing",
    "interview",
    "podcast",
    "budget",
    "transit",
    "families",
    "students",
    "seniors",
    "small business",
    "community",
  ],
  scandal: [
    "scandal",
    "leaked",
    "emails",
    "bribery",
    "investigation",
    "resign",
    "lied",
    "coverup",
    "fraud",
    "donor",
    "kickbacks",
    "#RiveraGate",
    "shameful",
    "corrupt",
    "subpoena",
    "prosecutors",
    "disgrace",
  ],
  praise: [
    "debate",
    "inspiring",
    "speech",
    "historic",
    "applause",
    "brilliant",
    "moment",
    "#RiveraWins",
    "powerful",
    "clip",
    "standing ovation",
    "nailed",
    "proud",
    "hope",
  ],
  grievance: ["broken", "promise", "disappointed", "betrayed", "flip-flop", "vote", "backtracked", "angry", "pension", "cuts", "failed", "excuses"],
  attack: ["attack", "ad", "false", "claims", "misleading", "spending", "super pac", "smear", "response", "fact-check"],
};
const FILLER = ["the", "about", "this", "with", "and", "on", "is", "for", "of", "a", "that", "so", "just", "really"];
const PLATFORMS: Record<Topic, readonly (readonly [string, number])[]> = {
  everyday: [
    ["twitter", 40],
    ["facebook", 25],
    ["instagram", 10],
    ["news", 10],
    ["reddit", 8],
    ["tiktok", 7],
  ],
  scandal: [
    ["twitter", 50],
    ["news", 20],
    ["facebook", 18],
    ["reddit", 12],
  ],
  praise: [
    ["twitter", 35],
    ["tiktok", 25],
    ["instagram", 20],
    ["facebook", 15],
    ["news", 5],
  ],
  grievance: [
    ["facebook", 40],
    ["twitter", 35],
    ["reddit", 15],
    ["news", 10],
  ],
  attack: [
    ["twitter", 45],
    ["facebook", 25],
    ["news", 20],
    ["youtube", 10],
  ],
};

/** Builds a case by name. */
export function buildCase(name: CaseName, options: CaseOptions = {}): ReferenceCase {
  const seed = options.seed ?? 1;
  const base = options.baseRate ?? 8;
  const baseSentiment = options.baseSentiment ?? 0.15;
  const burstMinutes = options.burstMinutes ?? 20;
  const everyday = (rate = base, sentiment = baseSentiment): Regime => ({ rate, sentiment, topic: "everyday" });
  const common = {
    name,
    seed,
    start: CASE_START,
    thresholds: { ...(options.thresholds ?? {}) },
    competitors: [] as string[],
    sentimentSd: options.sentimentSd ?? 0.3,
    reachSigma: options.reachSigma ?? 1.2,
    engagementSigma: options.engagementSigma ?? 0.9,
  };
  const scandalRegime: Regime = { rate: options.burstRate ?? 60, sentiment: options.burstSentiment ?? -0.6, topic: "scandal" };
  switch (name) {
    case "steady-noise": {
      const days = options.days ?? 1;
      return {
        ...common,
        description: `${days * 24} h at λ = ${base}, sentiment +${baseSentiment}`,
        minutes: days * 1440,
        marks: {},
        regime: () => everyday(),
      };
    }
    case "scandal":
    case "custom-threshold": {
      const onset = 1380;
      const end = onset + burstMinutes;
      const thresholds = name === "custom-threshold" ? { mentionSpike: 12, ...common.thresholds } : common.thresholds;
      return {
        ...common,
        thresholds,
        description: `23 h at λ = ${base}; then ${burstMinutes} min at λ = ${scandalRegime.rate}, sentiment ${scandalRegime.sentiment}`,
        minutes: end + 40,
        marks: { onset, end },
        regime: (m) => (m >= onset && m < end ? scandalRegime : everyday()),
      };
    }
    case "escalation": {
      const onset = 1380;
      const wave = onset + 10;
      const end = onset + burstMinutes;
      const waveRegime: Regime = { ...scandalRegime, rate: options.waveRate ?? 150 };
      return {
        ...common,
        description: `scandal, then a second wave at λ = ${waveRegime.rate} from minute +10`,
        minutes: end + 40,
        marks: { onset, wave, end },
        regime: (m) => (m >= wave && m < end ? waveRegime : m >= onset && m < end ? scandalRegime : everyday()),
      };
    }
    case "resolution": {
      const onset = 1380;
      const end = onset + burstMinutes;
      const secondOnset = end + (options.gapMinutes ?? 120);
      const secondEnd = secondOnset + burstMinutes;
      return {
        ...common,
        description: "scandal, back to normal, then a new scandal",
        minutes: secondEnd + 40,
        marks: { onset, end, secondOnset, secondEnd },
        regime: (m) => ((m >= onset && m < end) || (m >= secondOnset && m < secondEnd) ? scandalRegime : everyday()),
      };
    }
    case "slow-growth": {
      const from = options.baseRate ?? 5;
      const to = options.burstRate ?? 15;
      const sentiment = options.baseSentiment ?? 0.1;
      return {
        ...common,
        description: `λ rising linearly from ${from} to ${to} over 24 h`,
        minutes: 1440,
        marks: {},
        regime: (m) => everyday(from + ((to - from) * m) / 1440, sentiment),
      };
    }
    case "evening-peak": {
      const days = options.days ?? 3;
      const rate = options.baseRate ?? 6;
      const peak = options.peakRate ?? 20;
      const fromHour = options.peakFromHour ?? 19;
      const toHour = options.peakToHour ?? 21;
      const sentiment = options.baseSentiment ?? 0.1;
      const last = days - 1;
      return {
        ...common,
        description: `${days} days at λ = ${rate}, ${fromHour}:00–${toHour}:00 at λ = ${peak}`,
        minutes: days * 1440,
        marks: { lastPeakStart: last * 1440 + fromHour * 60, lastPeakEnd: last * 1440 + toHour * 60 },
        regime: (m) => {
          const hour = (m % 1440) / 60;
          return everyday(hour >= fromHour && hour < toHour ? peak : rate, sentiment);
        },
      };
    }
    case "sentiment-collapse": {
      const rate = options.baseRate ?? 10;
      const before = options.baseSentiment ?? 0.3;
      const after = options.collapseSentiment ?? -0.35;
      const onset = 1300;
      return {
        ...common,
        description: `24 h at λ = ${rate}; from minute ${onset} the mean falls from ${before} to ${after}`,
        minutes: 1440,
        marks: { onset },
        regime: (m) => (m >= onset ? { rate, sentiment: after, topic: "grievance" } : everyday(rate, before)),
      };
    }
    case "cold-start": {
      const size = options.blipSize ?? 400;
      const sentiment = options.burstSentiment ?? -0.8;
      return {
        ...common,
        description: `a new campaign: ${size} mentions in 2 min, sentiment ${sentiment}`,
        minutes: 12,
        marks: { onset: 0 },
        regime: (m) =>
          m < 2
            ? { rate: 0, exact: Math.floor(size / 2) + (m === 0 ? size % 2 : 0), sentiment, topic: "scandal" }
            : { rate: 3, sentiment: -0.6, topic: "scandal" },
      };
    }
    case "tiny-blip": {
      const rate = options.baseRate ?? 1;
      const blip = 1440;
      const blipRegime: Regime = { rate: 0, exact: options.blipSize ?? 6, sentiment: options.burstSentiment ?? -0.5, topic: "scandal" };
      return {
        ...common,
        description: `24 h at λ = ${rate}; then ${blipRegime.exact} mentions in one minute, sentiment ${blipRegime.sentiment}`,
        minutes: blip + 60,
        marks: { blip },
        regime: (m) => (m === blip ? blipRegime : everyday(rate)),
      };
    }
    case "positive-viral": {
      const onset = 1380;
      const end = onset + (options.burstMinutes ?? 30);
      const viral: Regime = { rate: options.burstRate ?? 70, sentiment: options.burstSentiment ?? 0.7, topic: "praise" };
      return {
        ...common,
        description: `23 h at λ = ${base}; then ${end - onset} min at λ = ${viral.rate}, sentiment +${viral.sentiment}`,
        minutes: end + 40,
        marks: { onset, end },
        regime: (m) => (m >= onset && m < end ? viral : everyday()),
      };
    }
    case "engagement-drop": {
      const rate = options.baseRate ?? 10;
      const onset = 1200;
      const end = onset + 120;
      const factor = options.engagementFactor ?? 0.4;
      return {
        ...common,
        description: `24 h at λ = ${rate}; engagement per mention × ${factor} for 2 h from minute ${onset}`,
        minutes: 1440,
        marks: { onset, end },
        regime: (m) => ({ ...everyday(rate), engagementFactor: m >= onset && m < end ? factor : 1 }),
      };
    }
    case "competitor-surge": {
      const onset = 1380;
      const end = onset + burstMinutes;
      const attack: Regime = { rate: options.burstRate ?? 15, sentiment: options.burstSentiment ?? 0, topic: "attack" };
      return {
        ...common,
        competitors: [COMPETITOR],
        description: `23 h at λ = ${base}; then ${burstMinutes} min with λ = ${attack.rate} more mentions naming ${COMPETITOR}`,
        minutes: end + 40,
        marks: { onset, end },
        // The attack comes on top of the everyday conversation.
        regime: (m) =>
          m >= onset && m < end
            ? { ...attack, rate: attack.rate + base, others: { share: base / (attack.rate + base), topic: "everyday", sentiment: baseSentiment } }
            : everyday(),
      };
    }
  }
}

/** The mentions of one minute of a case (deterministic for the case's seed). */
export function mentionsAt(c: ReferenceCase, minute: number): DetectorMention[] {
  const random = mulberry32(mixSeed(c.seed, fnv1a(c.name), minute));
  const regime = c.regime(minute);
  const count = regime.exact ?? poisson(random, regime.rate);
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(c.start + minute * MINUTE + Math.floor(random() * MINUTE));
  times.sort((a, b) => a - b);
  const mentions: DetectorMention[] = [];
  for (let i = 0; i < count; i++) {
    const other = regime.others !== undefined && random() < regime.others.share;
    const topic = other ? regime.others!.topic : regime.topic;
    const mean = other ? regime.others!.sentiment : regime.sentiment;
    const influencer = random() < 0.03;
    const reach = Math.round(logNormal(random, 800, c.reachSigma) * (influencer ? 30 : 1));
    mentions.push({
      id: `${c.name}-${c.seed}-${minute}-${i}`,
      platform: weighted(random, PLATFORMS[topic]),
      author: influencer ? `@${pick(random, ["newsdesk", "politico_watch", "capitol_beat", "the_wire"])}` : `@user${Math.floor(random() * 20000)}`,
      authorInfluence: influencer ? 0.8 + 0.2 * random() : 0.2 * random(),
      text: textFor(random, topic),
      sentiment: Math.max(-1, Math.min(1, mean + c.sentimentSd * normal(random))),
      reach,
      engagement: Math.round(logNormal(random, 12 * (regime.engagementFactor ?? 1), c.engagementSigma)),
      timestamp: new Date(times[i]),
      language: "en",
    });
  }
  return mentions;
}

function textFor(random: Random, topic: Topic): string {
  const words: string[] = [random() < 0.5 ? CANDIDATE : `#${CANDIDATE}ForSenate`];
  const own = VOCABULARY[topic];
  const topical = topic === "everyday" ? 3 + Math.floor(random() * 3) : 3 + Math.floor(random() * 2);
  for (let i = 0; i < topical; i++) words.push(pick(random, own));
  if (topic !== "everyday") words.push(pick(random, VOCABULARY.everyday));
  if (topic === "attack" || (topic === "everyday" && random() < 0.03)) words.push(COMPETITOR);
  for (let i = 0, n = 2 + Math.floor(random() * 3); i < n; i++) words.splice(1 + Math.floor(random() * words.length), 0, pick(random, FILLER));
  return words.join(" ");
}

/** The detector configuration a case runs with. */
export function caseConfig(c: ReferenceCase, overrides: Omit<DetectorConfigInput, "campaignId"> = {}): DetectorConfigInput {
  return {
    campaignId: `case-${c.name}`,
    competitors: c.competitors,
    ...overrides,
    thresholds: { ...c.thresholds, ...(overrides.thresholds ?? {}) },
  };
}

/** One step of a replay. */
export interface ReplayStep {
  minute: number;
  /** The step's events. */
  events: DetectorEvent[];
}

/**
 * Replays a case minute by minute: each minute's mentions are ingested with "now" at the end of that
 * minute (the data is complete up to it), as a live service would see them.
 */
export function replayCase(c: ReferenceCase, detector = new CrisisDetector(caseConfig(c)), onStep?: (step: ReplayStep) => void): DetectorEvent[] {
  const events: DetectorEvent[] = [];
  for (let minute = 0; minute < c.minutes; minute++) {
    const stepEvents = detector.ingest(mentionsAt(c, minute), c.start + (minute + 1) * MINUTE);
    events.push(...stepEvents);
    onStep?.({ minute, events: stepEvents });
  }
  return events;
}

/** Minutes from a case's start to an event. */
export function minuteOf(c: ReferenceCase, at: number): number {
  return (at - c.start) / MINUTE;
}

/** How a shifted replay delivers a case: its mentions in batches, and a clock. */
export interface ShiftedReplay {
  /** Moves the whole case this much later (ms; need not be whole minutes). */
  offsetMs: number;
  /**
   * Batches: each minute's mentions at the minute's end ("minute"), every mention of an `every`
   * seconds slice of absolute time at the slice's end ("seconds"), or `size` mentions at a time with
   * `now` at the newest one ("mentions").
   */
  batches: { kind: "minute" } | { kind: "seconds"; every: number } | { kind: "mentions"; size: number; atEnd?: boolean };
  /** A clock calling advanceTo every minute, this many seconds past the absolute minute (as a cron would). */
  clockSecond?: number;
}

/** Replays a case shifted in time and cut in other batches (the same mentions, the same story). */
export function replayShifted(c: ReferenceCase, plan: ShiftedReplay, detector = new CrisisDetector(caseConfig(c))): DetectorEvent[] {
  const shift = plan.offsetMs;
  const all: DetectorMention[] = [];
  for (let minute = 0; minute < c.minutes; minute++) {
    for (const m of mentionsAt(c, minute)) all.push({ ...m, timestamp: new Date(+m.timestamp + shift) });
  }
  const begin = c.start + shift;
  const end = begin + c.minutes * MINUTE;
  // Calls in time order: batches with their `now`, clock ticks.
  const calls: { at: number; mentions?: DetectorMention[] }[] = [];
  const b = plan.batches;
  if (b.kind === "minute") {
    let i = 0;
    for (let minute = 0; minute < c.minutes; minute++) {
      const until = begin + (minute + 1) * MINUTE;
      const batch: DetectorMention[] = [];
      while (i < all.length && +all[i].timestamp < until) batch.push(all[i++]);
      calls.push({ at: until, mentions: batch });
    }
  } else if (b.kind === "seconds") {
    const step = b.every * 1000;
    let i = 0;
    for (let t = Math.floor(begin / step) * step + step; t <= end + step; t += step) {
      const batch: DetectorMention[] = [];
      while (i < all.length && +all[i].timestamp < t) batch.push(all[i++]);
      if (batch.length > 0) calls.push({ at: t, mentions: batch });
    }
  } else {
    for (let i = 0; i < all.length; i += b.size) {
      const batch = all.slice(i, i + b.size);
      // atEnd: the whole story is sent at once after it happened (a replay through the API), every batch then.
      calls.push({ at: b.atEnd ? end : +batch[batch.length - 1].timestamp, mentions: batch });
    }
  }
  if (plan.clockSecond !== undefined) {
    for (let t = Math.floor(begin / MINUTE) * MINUTE + MINUTE + plan.clockSecond * 1000; t <= end; t += MINUTE) calls.push({ at: t });
  }
  calls.sort((x, y) => x.at - y.at || (x.mentions ? 0 : 1) - (y.mentions ? 0 : 1));
  const events: DetectorEvent[] = [];
  for (const call of calls) events.push(...(call.mentions ? detector.ingest(call.mentions, call.at) : detector.advanceTo(call.at)));
  return events;
}

const TYPE_RANK: Record<string, number> = { MENTION_SPIKE: 1, SENTIMENT: 2, CRISIS: 3, ENGAGEMENT_DROP: 1, COMPETITOR: 1 };
const SEVERITY_RANK: Record<string, number> = { LOW: 0, MEDIUM: 1, HIGH: 2, CRITICAL: 3 };

/**
 * A replay's verdict: for each kind of story (the conversation, engagement, a competitor), the highest
 * type and the highest severity its alerts reached, e.g. "CRISIS/HIGH", or "nothing".
 */
export function verdictOf(steps: readonly { alert: { type: string; severity: string; competitor?: string } }[]): string {
  const peaks = new Map<string, { type: string; severity: string }>();
  for (const { alert } of steps) {
    const story = alert.type === "ENGAGEMENT_DROP" ? "engagement" : alert.type === "COMPETITOR" ? `competitor ${alert.competitor ?? ""}` : "conversation";
    const peak = peaks.get(story);
    if (!peak) peaks.set(story, { type: alert.type, severity: alert.severity });
    else {
      if (TYPE_RANK[alert.type] > TYPE_RANK[peak.type]) peak.type = alert.type;
      if (SEVERITY_RANK[alert.severity] > SEVERITY_RANK[peak.severity]) peak.severity = alert.severity;
    }
  }
  return (
    [...peaks.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, p]) => `${p.type}/${p.severity}`)
      .join(" ") || "nothing"
  );
}
