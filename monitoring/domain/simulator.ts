// The demo feed's simulator: a deterministic stream of mentions about a fictional candidate, so that
// `npm start` shows a live war room without any provider. Pure: every minute of the feed is a
// function of (seed, minute since the feed started) alone — a seeded PRNG per minute — so a restart,
// or a second process, produces exactly the same mentions with the same ids (which the ingest then
// stores once).
//
// The conversation: ~30 mentions a minute (quieter at night, busier in the evening), sentiment
// drifting slowly around +0.1, realistic authors, platforms, reach (log-normal, median 800, the odd
// influencer) and engagement (log-normal, median 12). A scandal breaks 12 minutes after the start
// and every 3 hours after: a first wave (6× the volume, sentiment −0.55), a second, bigger one (14×,
// −0.65: the crisis escalates), a fade, then calm (the crisis resolves).
import { mixSeed, mulberry32, normal, pick, poisson, weighted, type Random } from "./random";

/** A simulated mention (the seed's Mention; sentiment absent where the "source" gives none). */
export interface DemoMention {
  id: string;
  text: string;
  author: string;
  platform: string;
  url: string;
  sentiment?: number;
  reach: number;
  engagement: number;
  timestamp: Date;
  location?: string;
  language: string;
}

export interface DemoScenario {
  seed: number;
  /** When the feed started (ms): minute 0. */
  startedAt: number;
  /** Mentions per minute in ordinary times (before the hour-of-day rhythm). */
  baseRate: number;
  firstScandalAfterMinutes: number;
  scandalEveryMinutes: number;
}

export const DEMO_CANDIDATE = "Alex Rivera";
export const DEMO_COMPETITOR = "Jordan Blake";
export const DEMO_KEYWORDS = ["Alex Rivera", "Rivera", "#Rivera2026", "Rivera campaign"];
export const DEMO_PLATFORMS = ["twitter", "facebook", "instagram", "tiktok", "news", "reddit", "youtube"];

export function defaultScenario(startedAt: number): DemoScenario {
  return { seed: 2026, startedAt, baseRate: 30, firstScandalAfterMinutes: 12, scandalEveryMinutes: 180 };
}

/** What the conversation is like in a minute. */
export interface Phase {
  kind: "calm" | "scandal" | "second-wave" | "fading";
  /** Multiple of the ordinary volume. */
  volume: number;
  /** Mean sentiment of the minute's mentions. */
  sentiment: number;
  /** Share of the minute's mentions about the scandal. */
  scandalShare: number;
}

const MINUTE = 60_000;

/** The phase of a minute of the feed. */
export function phaseAt(s: DemoScenario, minute: number): Phase {
  const since = minute - s.firstScandalAfterMinutes;
  const into = since >= 0 ? since % s.scandalEveryMinutes : -1;
  if (into >= 0 && into < 6) return { kind: "scandal", volume: 6, sentiment: -0.55, scandalShare: 0.8 };
  if (into >= 6 && into < 16) return { kind: "second-wave", volume: 14, sentiment: -0.65, scandalShare: 0.85 };
  if (into >= 16 && into < 20) return { kind: "fading", volume: 3, sentiment: -0.35, scandalShare: 0.6 };
  // Calm: sentiment drifts slowly (a 6-hour swing of ±0.08 around +0.1).
  return { kind: "calm", volume: 1, sentiment: 0.1 + 0.08 * Math.sin((2 * Math.PI * minute) / 360), scandalShare: 0 };
}

/** Volume by hour of day (UTC): quiet nights, busy evenings. */
const HOUR_FACTOR = [0.5, 0.4, 0.35, 0.3, 0.3, 0.35, 0.5, 0.7, 0.9, 1, 1, 1.05, 1.1, 1.05, 1, 1, 1.05, 1.15, 1.3, 1.45, 1.5, 1.35, 1.05, 0.75];

// --- the conversation's material ---

const FIRST = [
  "Maria",
  "James",
  "Aisha",
  "Tom",
  "Lena",
  "Carlos",
  "Priya",
  "Dave",
  "Grace",
  "Omar",
  "Hannah",
  "Luis",
  "Emma",
  "Jamal",
  "Sophie",
  "Ray",
  "Nina",
  "Ben",
];
const LAST = ["Hughes", "Patel", "Novak", "Okafor", "Reyes", "Kim", "Baker", "Schmidt", "Walsh", "Nguyen", "Moreno", "Grant", "Fischer", "Cole"];
const OUTLETS = ["Columbus Dispatch", "Ohio Capital Journal", "Cleveland Ledger", "Dayton Daily", "Statehouse Wire", "Buckeye Report"];
const INFLUENCERS = ["@OhioPolitics", "@BuckeyeBrief", "@MidwestMatters", "@StatehouseSam", "@VoteOhioNow"];
const PLACES = ["Columbus", "Cleveland", "Cincinnati", "Toledo", "Akron", "Dayton", "Youngstown"];
const ISSUES = ["jobs", "healthcare", "schools", "the opioid crisis", "infrastructure", "energy prices", "small business", "veterans"];

type Topic = "everyday" | "praise" | "grievance" | "attack" | "scandal";

const TEMPLATES: Record<Topic, readonly string[]> = {
  everyday: [
    "{candidate} is speaking about {issue} in {place} tonight",
    "Heading to the {candidate} town hall in {place}, curious what they say on {issue}",
    "{candidate} released a plan on {issue} today. Reading it now",
    "New ad from the {candidate} campaign about {issue}",
    "{candidate} and {competitor} will debate {issue} next week",
    "Poll watchers: {candidate} campaign events in {place} this weekend #Rivera2026",
  ],
  praise: [
    "Great town hall in {place}! {candidate} really listens and cares about {issue}",
    "{candidate} has an honest, smart plan for {issue}. Proud to support this campaign",
    "Love how {candidate} talks about {issue}. Finally a leader who delivers #Rivera2026",
    "Amazing energy at the {candidate} rally in {place} tonight",
    "{candidate} helped our community with {issue}. Thank you!",
  ],
  grievance: [
    "Still waiting for {candidate} to explain the plan on {issue}. Disappointing",
    "{candidate} dodged the question on {issue} again in {place}",
    "Not impressed with {candidate} on {issue}. Weak answers",
    "The {candidate} campaign keeps ignoring {place} on {issue}",
  ],
  attack: [
    "{competitor} says {candidate} is wrong on {issue}",
    "{competitor} attacks {candidate} over {issue} in a new ad",
    "{competitor} and {candidate} trade blows over {issue} in {place}",
  ],
  scandal: [
    "Leaked emails show {candidate} took donor money to kill the {issue} bill. This is a scandal",
    "{candidate} bribery scandal: leaked emails, corrupt deals, and lies. Resign now",
    "BREAKING: leaked emails tie {candidate} to a kickback scheme. Disgraceful",
    "I trusted {candidate}. The leaked emails prove it was all lies. Shameful",
    "{candidate} refuses to answer questions about the leaked emails. Corrupt",
    "Calls grow for {candidate} to resign after the leaked emails scandal #RiveraEmails",
    "{competitor} demands an investigation into {candidate} leaked emails",
  ],
};

/** The mean sentiment each topic pulls towards (around the phase's mean). */
const TOPIC_SHIFT: Record<Topic, number> = { everyday: 0, praise: 0.55, grievance: -0.45, attack: -0.25, scandal: -0.2 };

function fill(rng: Random, template: string): string {
  return template
    .replace(/\{candidate\}/g, () => (rng() < 0.7 ? DEMO_CANDIDATE : "Rivera"))
    .replace(/\{competitor\}/g, DEMO_COMPETITOR)
    .replace(/\{issue\}/g, () => pick(rng, ISSUES))
    .replace(/\{place\}/g, () => pick(rng, PLACES));
}

const PLATFORM_WEIGHTS = [
  ["twitter", 35],
  ["facebook", 20],
  ["instagram", 10],
  ["tiktok", 10],
  ["news", 10],
  ["reddit", 10],
  ["youtube", 5],
] as const;
/** Platforms whose (simulated) source reports sentiment; the others are scored by the lexicon. */
const SOURCE_SENTIMENT = new Set(["twitter", "facebook", "instagram"]);

/** The mentions of one minute of the feed (minute 0 starts at startedAt), oldest first. */
export function demoMinute(s: DemoScenario, minute: number): DemoMention[] {
  const rng = mulberry32(mixSeed(s.seed, minute));
  const start = s.startedAt + minute * MINUTE;
  const phase = phaseAt(s, minute);
  const hour = new Date(start).getUTCHours();
  const count = poisson(rng, s.baseRate * HOUR_FACTOR[hour] * phase.volume);
  const mentions: DemoMention[] = [];
  for (let i = 0; i < count; i++) {
    const topic: Topic =
      rng() < phase.scandalShare
        ? "scandal"
        : weighted(rng, [
            ["everyday", 55],
            ["praise", 20],
            ["grievance", 15],
            ["attack", 10],
          ] as const);
    const platform = weighted(rng, PLATFORM_WEIGHTS);
    const influencer = rng() < 0.03;
    const author = platform === "news" ? pick(rng, OUTLETS) : influencer ? pick(rng, INFLUENCERS) : `${pick(rng, FIRST)} ${pick(rng, LAST)}`;
    const reach = Math.round(Math.exp(Math.log(influencer || platform === "news" ? 40_000 : 800) + 1.1 * normal(rng)));
    const engagement = Math.round(Math.exp(Math.log(12) + 0.9 * normal(rng)) * (influencer ? 20 : 1));
    const sentiment = Math.max(-1, Math.min(1, phase.sentiment + TOPIC_SHIFT[topic] * (topic === "scandal" ? 0.5 : 1) + 0.3 * normal(rng)));
    const id = `demo-${minute}-${i}`;
    const m: DemoMention = {
      id,
      text: fill(rng, pick(rng, TEMPLATES[topic])),
      author,
      platform,
      url: `https://demo.warroom.local/${platform}/${id}`,
      reach,
      engagement,
      timestamp: new Date(start + Math.floor(rng() * MINUTE)),
      language: "en",
    };
    if (SOURCE_SENTIMENT.has(platform)) m.sentiment = Math.round(sentiment * 1000) / 1000;
    if (rng() < 0.6) m.location = `${pick(rng, PLACES)}, OH`;
    mentions.push(m);
  }
  return mentions.sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
}

/** The feed's mentions with timestamps in (from, to], oldest first. */
export function demoMentions(s: DemoScenario, from: number, to: number): DemoMention[] {
  if (to <= from) return [];
  const first = Math.max(0, Math.floor((from - s.startedAt) / MINUTE));
  const last = Math.floor((to - s.startedAt) / MINUTE);
  const out: DemoMention[] = [];
  for (let minute = first; minute <= last; minute++) {
    for (const m of demoMinute(s, minute)) {
      const t = m.timestamp.getTime();
      if (t > from && t <= to) out.push(m);
    }
  }
  return out;
}
