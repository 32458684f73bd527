// The per-campaign crisis detector: pure, event-time, with an explicit serialisable state.
//
// Feed it mentions (`ingest`) and the passing of time (`advanceTo`); it answers with alert lifecycle
// events (opened / escalated / resolved). Time is the mentions' own timestamps, bucketed by minute.
// Each minute boundary the watermark crosses is evaluated (windows ending there); an evaluation also
// happens at the caller's `now`, with the current minute counted for the fraction that has elapsed,
// so a burst is caught on the batch that carries it, not a minute later. A minute is learned into
// the baselines SETTLE_MINUTES after it ends, so slightly late mentions are learned like on-time
// ones. Later mentions still count in the recent windows (while recent) and in the baselines (with
// the weight of their age); nothing older than the horizon (default 2 h before `now`) can open an
// alert, so a backfill pages no one.
//
// Signals (see README "Crisis detection" for the reasoning and measured rates):
// - volume: counts over the last 1, 3, 10, 30 minutes against the seasonal forecast, tested with the
//   negative-binomial posterior predictive of the Gamma–Poisson baseline: a spike needs ratio ≥
//   mentionSpike AND tail probability < significance (1e-7);
// - sentiment: mean over the newest ≥ 50 mentions (within 60 min) minus the baseline mean, ≤
//   sentimentDrop AND z ≤ −4.5;
// - engagement: geometric-mean engagement per mention over the newest ≥ 150 mentions, relative change
//   ≤ engagementDrop AND z ≤ −4.5;
// - crisis score = 0.45·volume + 0.45·sentiment + 0.10·negative reach share, where a component is 1
//   when its own trigger fires and at most ½ below it: at the default 0.8 a CRISIS needs both a
//   significant spike and a significant sentiment drop (a lower threshold accepts partial evidence).
// One alert per "slot" (the conversation: MENTION_SPIKE → SENTIMENT → CRISIS; engagement; each
// competitor) is open at a time: it escalates (type or severity up) instead of duplicating, and
// resolves after `resolveAfterMinutes` of calm (volume under 1 + (spike−1)/4 × baseline or not
// significant, sentiment within half the drop threshold).
import {
  HOURS,
  addDocumentTerms,
  addLateCount,
  addLateMoments,
  addLateVolume,
  clippedMoments,
  decayTerms,
  expectation,
  levelRate,
  momentsStats,
  newLevel,
  newMoments,
  newTerms,
  newVolume,
  normaliseSeason,
  updateLevel,
  updateMoments,
  updateVolume,
  type LevelParams,
  type LevelState,
  type MomentsParams,
  type MomentsState,
  type TermsState,
  type VolumeParams,
  type VolumeState,
} from "./baseline";
import {
  NEGATIVE_SENTIMENT,
  affectedPlatforms,
  describeAlert,
  platformImpacts,
  recommendedActions,
  round,
  topMentions,
  topTerms,
  type PlatformTally,
} from "./explain";
import { clamp, clamp01, fnv1a, logCountUpperTail } from "./stats";
import { competitorMatchers, competitorsNamed, distinctTerms, type CompetitorMatcher } from "./text";
import {
  DEFAULT_THRESHOLDS,
  type Alert,
  type AlertType,
  type BaselineSnapshot,
  type DetectorConfig,
  type DetectorConfigInput,
  type DetectorEvent,
  type DetectorMention,
  type DetectorOptions,
  type SampledMention,
  type Severity,
  type Trigger,
  type TriggerKind,
} from "./types";

const MINUTE = 60_000;
/** Mentions kept per minute as a uniform sample (smallest id hashes), for terms. */
const SAMPLE_PER_MINUTE = 12;
/** Highest-reach mentions (and highest-reach negative ones) kept per minute, for top mentions. */
const TOP_PER_MINUTE = 5;
/** Minutes of evidence (samples, top mentions) kept; older minutes keep aggregates only. */
const EXPLAIN_MINUTES = 15;
/** Sampled mentions per calm minute that teach the usual vocabulary. */
const VOCABULARY_DOCS_PER_MINUTE = 3;
const TEXT_LIMIT = 280;
/** Window (minutes) and significance used to decide that volume is back to normal. */
const CALM_WINDOW = 10;
const CALM_LOG_SIGNIFICANCE = Math.log(1e-3);
/** Volume windows at least this long set an alert's severity (sustained volume, not a few minutes' noise). */
const IMPACT_MINUTES = 10;
/** The share of a minute a volume window ending between two boundaries may take from the minute L back. */
const WINDOW_TAIL = 0.25;
/**
 * Minutes are learned into the baselines this many minutes after they end, so mentions up to that
 * late are learned like on-time ones (robustly), and the newest minutes never judge themselves.
 */
const SETTLE_MINUTES = 3;
/** Longer silences are not replayed minute by minute (two weeks teach the level enough). */
const MAX_GAP_MINUTES = 20_160;
const STATE_VERSION = 1;

/** The detector's defaults (the thresholds' defaults are the seed's). */
const DEFAULT_OPTIONS: DetectorOptions = {
  horizonMinutes: 120,
  volumeWindowsMinutes: [1, 3, 10, 30],
  significance: 1e-7,
  minZ: 4.5,
  sentimentWindowMentions: 50,
  sentimentMinMentions: 25,
  engagementWindowMentions: 150,
  engagementMinMentions: 100,
  maxWindowMinutes: 60,
  levelHalfLifeMinutes: 180,
  momentsHalfLifeMinutes: 360,
  seasonLearningRate: 0.2,
  utcOffsetMinutes: 0,
  clipSigma: 3,
  maxForecastShape: 400,
  resolveAfterMinutes: 15,
  warmupMinutes: 60,
  warmupMentions: 100,
  prior: { mentionsPerMinute: 2, weightMinutes: 0.5, sentiment: 0, sentimentWeight: 20 },
  topTerms: 8,
  topMentions: 5,
};

/** A configuration the detector cannot work with (the endpoint maps it to invalid_argument). */
export class DetectorConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DetectorConfigError";
  }
}

/** A state that is not one this detector wrote. */
export class DetectorStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DetectorStateError";
  }
}

/** Mentions, negative mentions, reach and sentiment of a set of mentions, by platform too. */
export interface Tally {
  mentions: number;
  negative: number;
  reach: number;
  negativeReach: number;
  sentimentSum: number;
  platforms: Record<string, PlatformTally>;
}

/** One minute of mentions. */
export interface Bucket {
  minute: number;
  all: Tally;
  sentimentSquares: number;
  /** Σ ln(max(engagement, 1)) and its squares. */
  engagementSum: number;
  engagementSquares: number;
  competitors: Record<string, Tally>;
  sample: SampledMention[];
  top: SampledMention[];
  topNegative: SampledMention[];
}

/** A minute as the persisted state keeps it: each kept mention once, the lists as indices into `kept`. */
export interface StoredBucket extends Omit<Bucket, "sample" | "top" | "topNegative"> {
  kept: SampledMention[];
  sample: number[];
  top: number[];
  topNegative: number[];
}

/** An open alert as the state keeps it. */
export interface IncidentState {
  id: string;
  slot: string;
  type: AlertType;
  severity: Severity;
  competitor?: string;
  openedAt: number;
  updatedAt: number;
  onsetMinute: number;
  /** Closed minutes up to this one are in `totals`. */
  accumulatedThrough: number;
  calmSince: number | null;
  crisisScore: number;
  triggers: Trigger[];
  totals: Tally;
  baselineSentiment: number;
  explanation: Pick<Alert, "topTerms" | "topMentions">;
}

/** Everything the detector remembers about a campaign: plain JSON, persist it and resume from it. */
export interface DetectorState {
  version: number;
  campaignId: string;
  /** First minute observed (minutes since the epoch), null before any data. */
  startMinute: number | null;
  /** The minute being filled; every earlier minute is complete (passed). */
  openMinute: number | null;
  /** Minutes before this one are learned into the baselines (SETTLE_MINUTES behind the open minute). */
  learnedUntil: number | null;
  /** Latest event time the detector has been advanced to (ms). */
  watermark: number | null;
  lastEvaluatedAt: number | null;
  minutesObserved: number;
  mentionsObserved: number;
  volume: VolumeState;
  sentiment: MomentsState;
  engagement: MomentsState;
  competitorLevels: Record<string, LevelState>;
  vocabulary: TermsState;
  buckets: StoredBucket[];
  incidents: IncidentState[];
}

interface WindowReading {
  /** Window length in minutes (fractional with a partial current minute). */
  minutes: number;
  count: number;
  expected: number;
  ratio: number;
  logP: number;
  startMinute: number;
}

interface VolumeReading {
  triggered: boolean;
  /** The triggered window with the smallest tail probability (dates the onset). */
  best?: WindowReading;
  /** The triggered window with the highest ratio (what the alert shows). */
  peak?: WindowReading;
  /** The significant window with the highest ratio. */
  strongest?: WindowReading;
  /** Highest significant ratio over windows of IMPACT_MINUTES or more (else the strongest): sets severity. */
  impact: number;
  calm: boolean;
}

interface MomentReading {
  evidence: boolean;
  n: number;
  minutes: number;
  startMinute: number;
  mean: number;
  baseline: number;
  /** Sentiment: difference; engagement: relative change of the geometric mean. */
  change: number;
  z: number;
  triggered: boolean;
  calm: boolean;
  negativeReachShare: number;
}

const TYPE_RANK: Record<AlertType, number> = { ENGAGEMENT_DROP: 1, COMPETITOR: 1, MENTION_SPIKE: 1, SENTIMENT: 2, CRISIS: 3 };
const SEVERITY_RANK: Record<Severity, number> = { LOW: 0, MEDIUM: 1, HIGH: 2, CRITICAL: 3 };

/** Resolves a caller's configuration against the defaults and checks it. */
export function resolveConfig(input: DetectorConfigInput): DetectorConfig {
  if (typeof input.campaignId !== "string" || input.campaignId.trim() === "") throw new DetectorConfigError("campaignId is required");
  const t = { ...DEFAULT_THRESHOLDS, ...stripUndefined(input.thresholds ?? {}) };
  const o: DetectorOptions = {
    ...DEFAULT_OPTIONS,
    ...stripUndefined(input.options ?? {}),
    prior: { ...DEFAULT_OPTIONS.prior, ...stripUndefined(input.options?.prior ?? {}) },
  };
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new DetectorConfigError(what);
  };
  check(Number.isFinite(t.mentionSpike) && t.mentionSpike > 1, "mentionSpike must be a multiple greater than 1");
  check(
    Number.isFinite(t.sentimentDrop) && t.sentimentDrop !== 0 && Math.abs(t.sentimentDrop) <= 2,
    "sentimentDrop must be a non-zero change of at most 2 on the [-1, 1] scale",
  );
  check(
    Number.isFinite(t.engagementDrop) && t.engagementDrop !== 0 && Math.abs(t.engagementDrop) < 1,
    "engagementDrop must be a fraction between 0 and 1 (e.g. -0.5)",
  );
  check(Number.isFinite(t.crisisScore) && t.crisisScore > 0 && t.crisisScore <= 1, "crisisScore must be in (0, 1]");
  const windows = [...new Set(o.volumeWindowsMinutes)].sort((a, b) => a - b);
  check(Number.isInteger(o.maxWindowMinutes) && o.maxWindowMinutes >= 10 && o.maxWindowMinutes <= 240, "maxWindowMinutes must be an integer from 10 to 240");
  check(
    windows.length > 0 && windows.every((w) => Number.isInteger(w) && w >= 1 && w <= o.maxWindowMinutes),
    "volume windows must be whole minutes within maxWindowMinutes",
  );
  check(o.significance > 0 && o.significance < 0.5, "significance must be in (0, 0.5)");
  check(o.minZ > 0, "minZ must be positive");
  check(Number.isFinite(o.horizonMinutes) && o.horizonMinutes >= o.maxWindowMinutes, "horizonMinutes must be at least maxWindowMinutes");
  for (const [name, v] of Object.entries({
    sentimentWindowMentions: o.sentimentWindowMentions,
    sentimentMinMentions: o.sentimentMinMentions,
    engagementWindowMentions: o.engagementWindowMentions,
    engagementMinMentions: o.engagementMinMentions,
  })) {
    check(Number.isInteger(v) && v >= 2, `${name} must be an integer of at least 2`);
  }
  check(
    o.sentimentMinMentions <= o.sentimentWindowMentions && o.engagementMinMentions <= o.engagementWindowMentions,
    "a minimum number of mentions cannot exceed its window",
  );
  check(o.levelHalfLifeMinutes > 0 && o.momentsHalfLifeMinutes > 0, "half-lives must be positive");
  check(o.seasonLearningRate > 0 && o.seasonLearningRate <= 1, "seasonLearningRate must be in (0, 1]");
  check(
    Number.isInteger(o.utcOffsetMinutes) && o.utcOffsetMinutes >= -720 && o.utcOffsetMinutes <= 840,
    "utcOffsetMinutes must be whole minutes from -720 to 840",
  );
  check(o.clipSigma > 0 && o.maxForecastShape > 0, "clipSigma and maxForecastShape must be positive");
  check(Number.isFinite(o.resolveAfterMinutes) && o.resolveAfterMinutes >= 1, "resolveAfterMinutes must be at least 1");
  check(o.warmupMinutes >= 0 && o.warmupMentions >= 0, "warm-up must not be negative");
  check(o.prior.mentionsPerMinute > 0 && o.prior.weightMinutes > 0 && o.prior.sentimentWeight > 0, "prior rate and weights must be positive");
  check(o.prior.sentiment >= -1 && o.prior.sentiment <= 1, "prior sentiment must be in [-1, 1]");
  check(
    Number.isInteger(o.topTerms) && o.topTerms >= 0 && Number.isInteger(o.topMentions) && o.topMentions >= 0,
    "topTerms and topMentions must be whole numbers",
  );
  return {
    campaignId: input.campaignId,
    // Drops are stored negative whatever sign was given: "0.3" and "-0.3" both mean a fall of 0.3.
    thresholds: {
      mentionSpike: t.mentionSpike,
      crisisScore: t.crisisScore,
      sentimentDrop: -Math.abs(t.sentimentDrop),
      engagementDrop: -Math.abs(t.engagementDrop),
    },
    competitors: competitorMatchers(input.competitors ?? []).map((m) => m.name),
    options: { ...o, volumeWindowsMinutes: windows },
  };
}

/** A fresh state for a campaign. */
function initialState(campaignId: string): DetectorState {
  return {
    version: STATE_VERSION,
    campaignId,
    startMinute: null,
    openMinute: null,
    learnedUntil: null,
    watermark: null,
    lastEvaluatedAt: null,
    minutesObserved: 0,
    mentionsObserved: 0,
    volume: newVolume(),
    sentiment: newMoments(),
    engagement: newMoments(),
    competitorLevels: {},
    vocabulary: newTerms(),
    buckets: [],
    incidents: [],
  };
}

/** The crisis detector of one campaign. */
export class CrisisDetector {
  readonly config: DetectorConfig;
  private readonly state: DetectorState;
  private readonly ring: (Bucket | undefined)[];
  private readonly matchers: CompetitorMatcher[];
  private readonly volumeParams: VolumeParams;
  private readonly competitorParams: LevelParams;
  private readonly sentimentParams: MomentsParams;
  private readonly engagementParams: MomentsParams;
  /** Mentions were added since the last evaluation. */
  private dirty = false;
  /** During `ingest`: the open minute the batch's newest mention implies (learning waits for it); else Infinity. */
  private learnCap = Infinity;

  /** A detector for a campaign, fresh or resumed from a state it wrote earlier (`toJSON`). */
  constructor(config: DetectorConfigInput, state?: DetectorState) {
    this.config = resolveConfig(config);
    const o = this.config.options;
    if (state !== undefined) checkState(state, this.config.campaignId);
    this.state = state ? structuredClone(state) : initialState(this.config.campaignId);
    // The ring keeps every minute a late mention can still reach (the horizon) with the windows behind
    // it, so minutes passed before their mentions came can be judged again (`reevaluate`).
    const longestWindow = Math.max(o.volumeWindowsMinutes[o.volumeWindowsMinutes.length - 1], CALM_WINDOW);
    this.ring = new Array(Math.max(o.maxWindowMinutes, EXPLAIN_MINUTES, o.horizonMinutes + longestWindow) + SETTLE_MINUTES + 2);
    for (const stored of this.state.buckets) {
      const b = decodeBucket(stored);
      const i = this.slot(b.minute);
      if (this.ring[i] === undefined || this.ring[i]!.minute < b.minute) this.ring[i] = b;
    }
    this.state.buckets = [];
    this.matchers = competitorMatchers(this.config.competitors);
    this.volumeParams = {
      halfLifeMinutes: o.levelHalfLifeMinutes,
      priorRate: o.prior.mentionsPerMinute,
      priorMinutes: o.prior.weightMinutes,
      clipSigma: o.clipSigma,
      maxShape: o.maxForecastShape,
      seasonLearningRate: o.seasonLearningRate,
    };
    this.competitorParams = { halfLifeMinutes: o.levelHalfLifeMinutes, priorRate: 0.1, priorMinutes: 10, clipSigma: o.clipSigma, maxShape: o.maxForecastShape };
    this.sentimentParams = {
      halfLifeMinutes: o.momentsHalfLifeMinutes,
      priorMean: o.prior.sentiment,
      priorSd: 0.35,
      priorWeight: o.prior.sentimentWeight,
      clipSigma: o.clipSigma,
      minSd: 0.1,
    };
    this.engagementParams = {
      halfLifeMinutes: o.momentsHalfLifeMinutes,
      priorMean: Math.log(10),
      priorSd: 1.2,
      priorWeight: 5,
      clipSigma: o.clipSigma,
      minSd: 0.2,
    };
  }

  /** Resumes from a persisted state (object or JSON text). */
  static fromJSON(config: DetectorConfigInput, state: DetectorState | string): CrisisDetector {
    let parsed: unknown = state;
    if (typeof state === "string") {
      try {
        parsed = JSON.parse(state);
      } catch {
        throw new DetectorStateError("the detector state is not valid JSON");
      }
    }
    return new CrisisDetector(config, parsed as DetectorState);
  }

  /** The state to persist (a copy: plain JSON, safe to stringify and store). */
  toJSON(): DetectorState {
    const buckets = this.ring
      .filter((b): b is Bucket => b !== undefined)
      .sort((a, b) => a.minute - b.minute)
      .map(encodeBucket);
    return structuredClone({ ...this.state, buckets });
  }

  /** Event time the detector has reached (ms), or null before any data. */
  get watermark(): number | null {
    return this.state.watermark;
  }

  /**
   * Adds mentions (any order, any age) and evaluates. `now` is the caller's clock (default: the
   * newest timestamp in the batch): timestamps after it are taken as `now`, and nothing older than
   * `now` − horizon can open an alert. A batch with recent mentions declares the data complete up to
   * `now`; a batch of history only (every mention older than the horizon: a backfill) moves event
   * time to its own newest mention, so history can be fed in order, in as many batches as needed.
   */
  ingest(mentions: readonly DetectorMention[], now?: Date | number): DetectorEvent[] {
    const events: DetectorEvent[] = [];
    const nowArg = now === undefined ? undefined : toMillis(now);
    if (nowArg !== undefined && !Number.isFinite(nowArg)) throw new RangeError("now must be a valid time");
    const items: { mention: DetectorMention; ts: number }[] = [];
    for (const mention of mentions) {
      let ts = toMillis(mention.timestamp);
      if (!Number.isFinite(ts)) continue;
      if (nowArg !== undefined && ts > nowArg) ts = nowArg;
      items.push({ mention, ts });
    }
    items.sort((a, b) => a.ts - b.ts);
    const newest = items.length > 0 ? items[items.length - 1].ts : undefined;
    const nowMs = nowArg ?? newest ?? this.state.watermark;
    if (nowMs === undefined || nowMs === null) return events;
    const oldest = nowMs - this.config.options.horizonMinutes * MINUTE;
    const history = newest !== undefined && newest < oldest;
    const asOf = Math.max(history ? newest : nowMs, this.state.watermark ?? -Infinity);
    if (this.state.openMinute === null) this.start(items.length > 0 ? Math.min(items[0].ts, asOf) : asOf);
    /** The earliest passed minute (within the horizon) that received mentions in this batch. */
    let reopened = Infinity;
    this.learnCap = history || newest === undefined ? Infinity : Math.floor(newest / MINUTE) + 1;
    for (const { mention, ts } of items) {
      const minute = Math.floor(ts / MINUTE);
      if (minute > this.state.openMinute!) this.advance(minute * MINUTE, oldest, events);
      if (minute === this.state.openMinute) this.add(mention, ts, minute);
      else {
        this.addLate(mention, ts, minute, ts >= oldest);
        if (ts >= oldest) reopened = Math.min(reopened, minute);
      }
      this.state.mentionsObserved++;
    }
    this.advance(asOf, oldest, events);
    this.learnCap = Infinity;
    if (reopened < this.state.openMinute!) this.reevaluate(reopened, asOf, oldest, events);
    if (asOf >= oldest && (this.state.lastEvaluatedAt !== asOf || this.dirty)) this.evaluate(asOf, events);
    return events;
  }

  /** Declares that time has reached `now` (data complete up to it): closes minutes, evaluates, resolves. */
  advanceTo(now: Date | number): DetectorEvent[] {
    const events: DetectorEvent[] = [];
    const nowMs = toMillis(now);
    if (!Number.isFinite(nowMs)) throw new RangeError("now must be a valid time");
    if (this.state.openMinute === null) this.start(nowMs);
    const asOf = Math.max(nowMs, this.state.watermark ?? -Infinity);
    this.advance(asOf, asOf - this.config.options.horizonMinutes * MINUTE, events);
    this.learnSettled();
    if (this.state.lastEvaluatedAt !== asOf) this.evaluate(asOf, events);
    return events;
  }

  /** The open alerts, with their explanations refreshed. */
  openAlerts(): Alert[] {
    const at = this.state.watermark ?? 0;
    return this.state.incidents.map((i) => this.snapshot(i, at, "peek"));
  }

  /** The campaign's baselines at a time (default: the watermark). */
  baseline(at?: Date | number): BaselineSnapshot {
    const time = at === undefined ? (this.state.watermark ?? 0) : toMillis(at);
    const factor = this.state.volume.hourFactors[this.hourOf(Math.floor(time / MINUTE))];
    const level = levelRate(this.state.volume, this.volumeParams);
    const sentiment = momentsStats(this.state.sentiment, this.sentimentParams);
    const engagement = momentsStats(this.state.engagement, this.engagementParams);
    return {
      mentionsPerMinute: level * factor,
      level,
      hourFactor: factor,
      sentiment: sentiment.mean,
      sentimentSd: sentiment.sd,
      engagement: Math.exp(engagement.mean),
      warm: this.warm(),
    };
  }

  // ---- time ----

  private start(ts: number): void {
    const minute = Math.floor(ts / MINUTE);
    this.state.startMinute = minute;
    this.state.openMinute = minute;
    this.state.learnedUntil = minute;
    this.state.watermark = ts;
  }

  /** Passes every minute that ends at or before `target`, evaluating each boundary not older than `oldest`. */
  private advance(target: number, oldest: number, events: DetectorEvent[]): void {
    const s = this.state;
    const targetMinute = Math.floor(target / MINUTE);
    if (targetMinute - s.openMinute! > MAX_GAP_MINUTES) {
      // A long silence: learn what is pending, then skip to the last two weeks of it.
      while (s.learnedUntil! < s.openMinute!) this.learnMinute(s.learnedUntil!);
      s.openMinute = targetMinute - MAX_GAP_MINUTES;
      s.learnedUntil = s.openMinute;
    }
    while ((s.openMinute! + 1) * MINUTE <= target) {
      const boundary = (s.openMinute! + 1) * MINUTE;
      if (boundary >= oldest) this.evaluate(boundary, events);
      this.passMinute(s.openMinute!);
    }
    if (s.watermark === null || target > s.watermark) s.watermark = target;
  }

  /** A minute is complete: it joins the open alerts' totals, and the minute SETTLE_MINUTES before it is learned. */
  private passMinute(minute: number): void {
    const s = this.state;
    const b = this.bucketAt(minute);
    for (const incident of s.incidents) {
      if (minute > incident.accumulatedThrough && minute >= incident.onsetMinute) {
        if (b) mergeTally(incident.totals, incident.competitor ? b.competitors[incident.competitor] : b.all);
        incident.accumulatedThrough = minute;
      }
    }
    s.openMinute = minute + 1;
    this.learnSettled();
    const stale = this.bucketAt(minute - EXPLAIN_MINUTES);
    if (stale) {
      stale.sample = [];
      stale.top = [];
      stale.topNegative = [];
    }
  }

  /**
   * Mentions arrived for minutes already passed (a source catching up, or a story sent after it
   * happened): the minute boundaries from theirs to now are judged again with them, in order, as they
   * would have been had the mentions come on time. Otherwise only the windows ending at `now` would
   * see them, and whether a story counted as a crisis depended on how its mentions were batched.
   * Boundaries whose longest volume window is no longer kept are skipped (older than the horizon).
   */
  private reevaluate(fromMinute: number, asOf: number, oldest: number, events: DetectorEvent[]): void {
    const windows = this.config.options.volumeWindowsMinutes;
    const longest = Math.max(windows[windows.length - 1], CALM_WINDOW);
    const first = Math.max(fromMinute, this.state.openMinute! - this.ring.length + longest + 1);
    for (let minute = first; minute < this.state.openMinute!; minute++) {
      const boundary = (minute + 1) * MINUTE;
      if (boundary >= oldest && boundary < asOf) this.evaluate(boundary, events);
    }
    this.dirty = true; // and `now` again, last
  }

  /**
   * Learns the minutes SETTLE_MINUTES behind both the clock and, during `ingest`, the batch's newest
   * mention: a batch of a story that happened earlier (sent after the fact, or a source catching up)
   * does not first teach the baselines that its minutes were silent. The clock alone (`advanceTo`)
   * learns silence.
   */
  private learnSettled(): void {
    const s = this.state;
    const until = Math.min(s.openMinute!, this.learnCap) - SETTLE_MINUTES;
    while (s.learnedUntil! < until) this.learnMinute(s.learnedUntil!);
  }

  /** Learns a settled minute into the baselines. */
  private learnMinute(minute: number): void {
    const s = this.state;
    s.learnedUntil = minute + 1;
    if (minute < s.startMinute!) return;
    const b = this.bucketAt(minute);
    const n = b?.all.mentions ?? 0;
    const hour = this.hourOf(minute);
    const warm = this.warm();
    updateVolume(s.volume, this.volumeParams, n, hour, warm);
    if (this.minuteOfHour(minute) === 59 && warm) normaliseSeason(s.volume);
    updateMoments(s.sentiment, this.sentimentParams, n, b?.all.sentimentSum ?? 0, b?.sentimentSquares ?? 0);
    updateMoments(s.engagement, this.engagementParams, n, b?.engagementSum ?? 0, b?.engagementSquares ?? 0);
    for (const m of this.matchers) {
      const level = (s.competitorLevels[m.name] ??= newLevel());
      updateLevel(level, this.competitorParams, b?.competitors[m.name]?.mentions ?? 0, s.volume.hourFactors[hour], s.volume.dispersion);
    }
    decayTerms(s.vocabulary);
    // The usual vocabulary learns from calm minutes only (a scandal's words must keep their lift).
    if (b && b.sample.length > 0 && !s.incidents.some((i) => i.slot === "conversation")) {
      const docs = [...b.sample].sort((x, y) => x.h - y.h).slice(0, VOCABULARY_DOCS_PER_MINUTE);
      for (const doc of docs) addDocumentTerms(s.vocabulary, distinctTerms(doc.text));
    }
    s.minutesObserved++;
  }

  // ---- mentions ----

  private add(mention: DetectorMention, ts: number, minute: number): void {
    const b = this.bucketFor(minute);
    if (!b) return;
    this.dirty = true;
    const sentiment = clamp(Number.isFinite(mention.sentiment) ? mention.sentiment : 0, -1, 1);
    const reach = Number.isFinite(mention.reach) ? Math.max(0, mention.reach) : 0;
    const engagement = Number.isFinite(mention.engagement) ? Math.max(0, mention.engagement) : 0;
    const platform = (mention.platform || "unknown").trim().toLowerCase() || "unknown";
    addToTally(b.all, platform, sentiment, reach);
    b.sentimentSquares += sentiment * sentiment;
    const logEngagement = Math.log(Math.max(engagement, 1));
    b.engagementSum += logEngagement;
    b.engagementSquares += logEngagement * logEngagement;
    let named: string[] | undefined;
    if (this.matchers.length > 0) {
      named = competitorsNamed(String(mention.text ?? "").toLowerCase(), this.matchers);
      for (const name of named) addToTally((b.competitors[name] ??= newTally()), platform, sentiment, reach);
    }
    if (minute > this.state.openMinute! - EXPLAIN_MINUTES) keepEvidence(b, mention, ts, platform, sentiment, reach, engagement, named);
  }

  /**
   * A mention for a passed minute: into its bucket while recent (and within the horizon); a minute
   * not yet learned learns it with the others, an older one adds it to the baselines with the weight
   * its age would have had. While the minute's bucket is kept, the baselines take what the whole
   * minute would have been learned as (clipped like an on-time minute) minus what it was learned as:
   * a story sent after it happened (every minute first passed empty) teaches the baselines what the
   * same story live would have, not a scandal's full volume.
   */
  private addLate(mention: DetectorMention, ts: number, minute: number, withinHorizon: boolean): void {
    const s = this.state;
    const learned = minute < s.learnedUntil! || minute < s.startMinute!;
    const kept = withinHorizon && minute >= s.startMinute! && minute > s.openMinute! - this.ring.length;
    const b = kept ? this.bucketAt(minute) : undefined;
    const before = b && learned ? minuteMoments(b) : undefined;
    if (kept) this.add(mention, ts, minute);
    if (!learned) return;
    const age = s.learnedUntil! - 1 - minute;
    const factor = s.volume.hourFactors[this.hourOf(minute)];
    const after = b && b.minute === minute ? minuteMoments(b) : undefined;
    if (before && after && after.n === before.n + 1) {
      addLateVolume(s.volume, this.volumeParams, before.n, after.n, this.hourOf(minute), age, this.warm());
      for (const [m, p, x0, x1] of [
        [s.sentiment, this.sentimentParams, before.sentiment, after.sentiment],
        [s.engagement, this.engagementParams, before.engagement, after.engagement],
      ] as const) {
        const c0 = clippedMoments(m, p, before.n, x0[0], x0[1]);
        const c1 = clippedMoments(m, p, after.n, x1[0], x1[1]);
        addLateMoments(m, p, 1, c1.sum - c0.sum, c1.sumSquares - c0.sumSquares, age);
      }
      return;
    }
    const sentiment = clamp(Number.isFinite(mention.sentiment) ? mention.sentiment : 0, -1, 1);
    const logEngagement = Math.log(Math.max(Number.isFinite(mention.engagement) ? mention.engagement : 0, 1));
    addLateCount(s.volume, this.volumeParams, 1, factor, age);
    addLateMoments(s.sentiment, this.sentimentParams, 1, sentiment, sentiment * sentiment, age);
    addLateMoments(s.engagement, this.engagementParams, 1, logEngagement, logEngagement * logEngagement, age);
  }

  // ---- evaluation ----

  private evaluate(at: number, events: DetectorEvent[]): void {
    const s = this.state;
    s.lastEvaluatedAt = at;
    this.dirty = false;
    const last = Math.ceil(at / MINUTE) - 1;
    const fraction = (at - last * MINUTE) / MINUTE;
    const t = this.config.thresholds;
    const volume = this.readVolume(last, fraction, (b) => b.all.mentions, s.volume, this.volumeParams);
    const sentiment = this.readSentiment(last, fraction);
    const engagement = this.readEngagement(last, fraction);
    const warm = this.warm();

    // The conversation: MENTION_SPIKE → SENTIMENT → CRISIS.
    const v = volume.triggered ? 1 : volume.strongest ? 0.5 * clamp01(Math.log(volume.strongest.ratio) / Math.log(t.mentionSpike)) : 0;
    const partialDrop = sentiment.evidence && sentiment.change < 0 && sentiment.z <= -this.config.options.minZ;
    const sv = sentiment.triggered ? 1 : partialDrop ? 0.5 * clamp01(sentiment.change / t.sentimentDrop) : 0;
    const score = round(0.45 * v + 0.45 * sv + 0.1 * sentiment.negativeReachShare, 4);
    const crisis = score >= t.crisisScore;
    const conversationType: AlertType | null = crisis
      ? "CRISIS"
      : warm && sentiment.triggered
        ? "SENTIMENT"
        : warm && volume.triggered
          ? "MENTION_SPIKE"
          : null;
    const conversationTriggers: Trigger[] = [];
    if (volume.triggered) conversationTriggers.push(this.spikeTrigger("MENTION_SPIKE", volume.peak!, at));
    if (sentiment.triggered) conversationTriggers.push(this.sentimentTrigger(sentiment, at));
    if (crisis) conversationTriggers.push(this.scoreTrigger(score, v, sv, sentiment.negativeReachShare, volume, sentiment, at));
    this.judge({
      slot: "conversation",
      at,
      events,
      type: conversationType,
      triggers: conversationTriggers,
      score,
      severity: conversationType ? this.severityFor(conversationType, volume, sentiment, engagement) : "LOW",
      calm: volume.calm && sentiment.calm,
      onsetMinute: Math.min(volume.triggered ? volume.best!.startMinute : last, sentiment.triggered ? sentiment.startMinute : last),
    });

    // Engagement per mention.
    this.judge({
      slot: "engagement",
      at,
      events,
      type: warm && engagement.triggered ? "ENGAGEMENT_DROP" : null,
      triggers: engagement.triggered ? [this.engagementTrigger(engagement, at)] : [],
      score: 0,
      severity: this.severityFor("ENGAGEMENT_DROP", volume, sentiment, engagement),
      calm: engagement.calm,
      onsetMinute: engagement.startMinute,
    });

    // Each competitor's share of the conversation.
    for (const m of this.matchers) {
      const level = (s.competitorLevels[m.name] ??= newLevel());
      const reading = this.readVolume(last, fraction, (b) => b.competitors[m.name]?.mentions ?? 0, level, this.competitorParams);
      this.judge({
        slot: `competitor:${m.name}`,
        competitor: m.name,
        at,
        events,
        type: warm && reading.triggered ? "COMPETITOR" : null,
        triggers: reading.triggered ? [this.spikeTrigger("COMPETITOR_SPIKE", reading.peak!, at, m.name)] : [],
        score: 0,
        severity: reading.impact >= 2 * t.mentionSpike ? "MEDIUM" : "LOW",
        calm: reading.calm,
        onsetMinute: reading.triggered ? reading.best!.startMinute : last,
      });
    }
  }

  /** Opens, escalates, keeps or resolves the alert of one slot. */
  private judge(j: {
    slot: string;
    competitor?: string;
    at: number;
    events: DetectorEvent[];
    type: AlertType | null;
    triggers: Trigger[];
    score: number;
    severity: Severity;
    calm: boolean;
    onsetMinute: number;
  }): void {
    const s = this.state;
    const incident = s.incidents.find((i) => i.slot === j.slot);
    if (!incident) {
      if (j.type === null) return;
      const opened: IncidentState = {
        id: `${s.campaignId}:${j.slot}:${new Date(j.at).toISOString()}`,
        slot: j.slot,
        type: j.type,
        severity: j.severity,
        competitor: j.competitor,
        openedAt: j.at,
        updatedAt: j.at,
        onsetMinute: j.onsetMinute,
        accumulatedThrough: j.onsetMinute - 1,
        calmSince: null,
        crisisScore: j.score,
        triggers: j.triggers,
        totals: newTally(),
        baselineSentiment: momentsStats(s.sentiment, this.sentimentParams).mean,
        explanation: { topTerms: [], topMentions: [] },
      };
      if (j.competitor === undefined) delete opened.competitor;
      for (let m = j.onsetMinute; m < s.openMinute!; m++) {
        const b = this.bucketAt(m);
        if (b) mergeTally(opened.totals, j.competitor ? b.competitors[j.competitor] : b.all);
        opened.accumulatedThrough = m;
      }
      s.incidents.push(opened);
      j.events.push({ kind: "opened", at: j.at, alert: this.snapshot(opened, j.at, "refresh") });
      return;
    }
    incident.updatedAt = j.at;
    if (j.type !== null) {
      incident.calmSince = null;
      incident.crisisScore = Math.max(incident.crisisScore, j.score);
      for (const trigger of j.triggers) {
        const previous = incident.triggers.findIndex((x) => x.kind === trigger.kind);
        if (previous >= 0) incident.triggers[previous] = { ...trigger, firstAt: incident.triggers[previous].firstAt };
        else incident.triggers.push(trigger);
      }
      const type = TYPE_RANK[j.type] > TYPE_RANK[incident.type] ? j.type : incident.type;
      const severity = SEVERITY_RANK[j.severity] > SEVERITY_RANK[incident.severity] ? j.severity : incident.severity;
      if (type !== incident.type || severity !== incident.severity) {
        const previousType = incident.type;
        const previousSeverity = incident.severity;
        incident.type = type;
        incident.severity = severity;
        j.events.push({ kind: "escalated", at: j.at, alert: this.snapshot(incident, j.at, "refresh"), previousType, previousSeverity });
      }
      return;
    }
    if (!j.calm) {
      incident.calmSince = null;
      return;
    }
    incident.calmSince ??= j.at;
    if (j.at - incident.calmSince >= this.config.options.resolveAfterMinutes * MINUTE) {
      s.incidents = s.incidents.filter((i) => i !== incident);
      const alert = this.snapshot(incident, j.at, "stored");
      j.events.push({ kind: "resolved", at: j.at, alert: { ...alert, status: "resolved", resolvedAt: j.at } });
    }
  }

  private severityFor(type: AlertType, volume: VolumeReading, sentiment: MomentReading, engagement: MomentReading): Severity {
    const t = this.config.thresholds;
    const multiple = volume.impact / t.mentionSpike;
    switch (type) {
      case "CRISIS":
        return multiple >= 2 ? "CRITICAL" : "HIGH";
      case "MENTION_SPIKE":
        return multiple >= 2 ? "HIGH" : "MEDIUM";
      case "SENTIMENT":
        return sentiment.change <= 2 * t.sentimentDrop ? "HIGH" : "MEDIUM";
      case "ENGAGEMENT_DROP":
        return engagement.change <= (t.engagementDrop - 1) / 2 ? "MEDIUM" : "LOW";
      case "COMPETITOR":
        return multiple >= 2 ? "MEDIUM" : "LOW";
    }
  }

  /** Counts over each volume window ending at `last` (its own minute counted for `fraction`), against the forecast. */
  private readVolume(last: number, fraction: number, countOf: (b: Bucket) => number, level: LevelState, params: LevelParams): VolumeReading {
    const o = this.config.options;
    const spike = this.config.thresholds.mentionSpike;
    const windows = o.volumeWindowsMinutes;
    const longest = Math.max(windows[windows.length - 1], CALM_WINDOW);
    const logAlpha = Math.log(o.significance);
    const start = this.state.startMinute!;
    const dispersion = this.state.volume.dispersion;
    const reading: VolumeReading = { triggered: false, impact: 0, calm: true };
    let count = 0;
    let exposure = 0;
    let minutes = 0;
    let next = 0;
    // Sliding windows: a window of L minutes ending at `at` is the current minute's elapsed part, the
    // whole minutes before it, and up to WINDOW_TAIL of the minute L back (its count taken pro rata):
    // exactly L whole minutes at a boundary (fraction 1), at least L − 1 + WINDOW_TAIL between, so a
    // batch landing 5 s into a minute is not judged on a 5-second window (whose noise made verdicts
    // depend on where batches and minutes fell), while a burst still shows within half a minute.
    const tail = Math.min(1 - fraction, WINDOW_TAIL);
    for (let k = 0; k < longest; k++) {
      const minute = last - k;
      if (minute >= start) {
        const weight = k === 0 ? fraction : 1;
        const b = this.bucketAt(minute);
        if (b) count += countOf(b);
        exposure += weight * this.state.volume.hourFactors[this.hourOf(minute)];
        minutes += weight;
      }
      const length = k + 1;
      const isWindow = next < windows.length && windows[next] === length;
      if (!isWindow && length !== CALM_WINDOW) continue;
      if (isWindow) next++;
      let windowCount = count;
      let windowExposure = exposure;
      let windowMinutes = minutes;
      const before = minute - 1;
      if (tail > 0 && before >= start) {
        const b = this.bucketAt(before);
        if (b) windowCount += tail * countOf(b);
        windowExposure += tail * this.state.volume.hourFactors[this.hourOf(before)];
        windowMinutes += tail;
      }
      if (windowExposure <= 0) continue;
      const { mean, variance } = expectation(level, params, windowExposure, dispersion);
      const observed = Math.round(windowCount);
      const ratio = observed / mean;
      const logP = ratio >= 1.5 && observed >= 2 ? logCountUpperTail(observed, mean, variance) : 0;
      if (length === CALM_WINDOW && ratio >= 1 + (spike - 1) / 4 && logP < CALM_LOG_SIGNIFICANCE) reading.calm = false;
      if (!isWindow || logP >= logAlpha) continue;
      const w: WindowReading = {
        minutes: windowMinutes,
        count: observed,
        expected: mean,
        ratio,
        logP,
        startMinute: Math.max(tail > 0 && before >= start ? before : minute, start),
      };
      if (!reading.strongest || ratio > reading.strongest.ratio) reading.strongest = w;
      // Severity reads sustained volume (windows of IMPACT_MINUTES or more): a 3-minute window's
      // noise around twice the threshold flipped the same story between two severities.
      if (length >= IMPACT_MINUTES) reading.impact = Math.max(reading.impact, ratio);
      if (ratio >= spike) {
        reading.triggered = true;
        if (!reading.best || logP < reading.best.logP) reading.best = w;
        if (!reading.peak || ratio > reading.peak.ratio) reading.peak = w;
      }
    }
    if (reading.impact === 0 && reading.strongest) reading.impact = reading.strongest.ratio;
    return reading;
  }

  /** Mean sentiment of the newest mentions against the baseline. */
  private readSentiment(last: number, fraction: number): MomentReading {
    const o = this.config.options;
    const w = this.collect(last, fraction, o.sentimentWindowMentions, (b) => [b.all.sentimentSum, b.sentimentSquares]);
    const base = momentsStats(this.state.sentiment, this.sentimentParams);
    const threshold = this.config.thresholds.sentimentDrop;
    const negativeReachShare = w.reach > 0 ? w.negativeReach / w.reach : 0;
    if (w.n < o.sentimentMinMentions) return noEvidence(w, base.mean, negativeReachShare);
    const mean = w.sum / w.n;
    const sd = Math.max(Math.sqrt(Math.max(w.squares / w.n - mean * mean, 0)), this.sentimentParams.minSd);
    const change = mean - base.mean;
    const z = change / Math.sqrt((sd * sd) / w.n + base.se * base.se);
    return {
      evidence: true,
      n: w.n,
      minutes: w.minutes,
      startMinute: w.startMinute,
      mean,
      baseline: base.mean,
      change,
      z,
      triggered: change <= threshold && z <= -o.minZ,
      calm: change > threshold / 2,
      negativeReachShare,
    };
  }

  /** Typical (geometric-mean) engagement per mention of the newest mentions against the baseline. */
  private readEngagement(last: number, fraction: number): MomentReading {
    const o = this.config.options;
    const w = this.collect(last, fraction, o.engagementWindowMentions, (b) => [b.engagementSum, b.engagementSquares]);
    const base = momentsStats(this.state.engagement, this.engagementParams);
    if (w.n < o.engagementMinMentions) return noEvidence(w, Math.exp(base.mean), 0);
    const mean = w.sum / w.n;
    const sd = Math.max(Math.sqrt(Math.max(w.squares / w.n - mean * mean, 0)), this.engagementParams.minSd);
    const z = (mean - base.mean) / Math.sqrt((sd * sd) / w.n + base.se * base.se);
    const change = Math.exp(mean - base.mean) - 1;
    const threshold = this.config.thresholds.engagementDrop;
    return {
      evidence: true,
      n: w.n,
      minutes: w.minutes,
      startMinute: w.startMinute,
      mean: Math.exp(mean),
      baseline: Math.exp(base.mean),
      change,
      z,
      triggered: change <= threshold && z <= -o.minZ,
      calm: change > threshold / 2,
      negativeReachShare: 0,
    };
  }

  /** Sums over the newest whole minutes (ending at `last`) until `target` mentions, within maxWindowMinutes. */
  private collect(last: number, fraction: number, target: number, pick: (b: Bucket) => [number, number]) {
    const start = this.state.startMinute!;
    const acc = { n: 0, sum: 0, squares: 0, reach: 0, negativeReach: 0, minutes: 0, startMinute: last };
    for (let k = 0; k < this.config.options.maxWindowMinutes; k++) {
      const minute = last - k;
      if (minute < start) break;
      const b = this.bucketAt(minute);
      if (b) {
        const [sum, squares] = pick(b);
        acc.n += b.all.mentions;
        acc.sum += sum;
        acc.squares += squares;
        acc.reach += b.all.reach;
        acc.negativeReach += b.all.negativeReach;
      }
      acc.minutes += k === 0 ? fraction : 1;
      acc.startMinute = minute;
      if (acc.n >= target) break;
    }
    return acc;
  }

  // ---- triggers and explanations ----

  private spikeTrigger(kind: TriggerKind, w: WindowReading, at: number, competitor?: string): Trigger {
    const observed = w.count / w.minutes;
    const baseline = w.expected / w.minutes;
    const what = competitor ? `mentions of ${competitor}` : "mentions";
    return {
      kind,
      metric: `${what} per minute`,
      observed: round(observed, 2),
      baseline: round(baseline, 2),
      threshold: this.config.thresholds.mentionSpike,
      change: round(w.ratio, 2),
      windowMinutes: round(w.minutes, 2),
      mentions: w.count,
      pValue: Math.exp(w.logP),
      firstAt: at,
      message: `${capitalise(what)}: ${round(observed, 1)}/min over ${round(w.minutes, 1)} min vs ${round(baseline, 1)}/min usual, ${round(w.ratio, 1)}× (threshold ${this.config.thresholds.mentionSpike}×, p ${formatP(w.logP)}).`,
    };
  }

  private sentimentTrigger(r: MomentReading, at: number): Trigger {
    const threshold = this.config.thresholds.sentimentDrop;
    return {
      kind: "SENTIMENT_DROP",
      metric: "mean sentiment",
      observed: round(r.mean, 3),
      baseline: round(r.baseline, 3),
      threshold,
      change: round(r.change, 3),
      windowMinutes: round(r.minutes, 2),
      mentions: r.n,
      zScore: round(r.z, 1),
      firstAt: at,
      message: `Sentiment: mean ${round(r.mean, 2)} over the last ${r.n} mentions vs ${round(r.baseline, 2)} usual, ${round(r.change, 2)} (threshold ${threshold}, z = ${round(r.z, 1)}).`,
    };
  }

  private engagementTrigger(r: MomentReading, at: number): Trigger {
    const threshold = this.config.thresholds.engagementDrop;
    return {
      kind: "ENGAGEMENT_DROP",
      metric: "typical engagement per mention",
      observed: round(r.mean, 2),
      baseline: round(r.baseline, 2),
      threshold,
      change: round(r.change, 3),
      windowMinutes: round(r.minutes, 2),
      mentions: r.n,
      zScore: round(r.z, 1),
      firstAt: at,
      message: `Engagement: typically ${round(r.mean, 1)} per mention over the last ${r.n} mentions vs ${round(r.baseline, 1)} usual, ${Math.round(r.change * 100)} % (threshold ${Math.round(threshold * 100)} %, z = ${round(r.z, 1)}).`,
    };
  }

  private scoreTrigger(score: number, v: number, s: number, negativeShare: number, volume: VolumeReading, sentiment: MomentReading, at: number): Trigger {
    const threshold = this.config.thresholds.crisisScore;
    const window = volume.peak ?? volume.strongest;
    return {
      kind: "CRISIS_SCORE",
      metric: "crisis score",
      observed: score,
      baseline: 0,
      threshold,
      change: score,
      windowMinutes: round(Math.max(window?.minutes ?? 0, sentiment.minutes), 2),
      mentions: Math.max(window?.count ?? 0, sentiment.n),
      firstAt: at,
      message: `Crisis score ${round(score, 2)} (threshold ${threshold}): volume ${round(v, 2)}, sentiment ${round(s, 2)}, negative share of reach ${round(negativeShare, 2)}.`,
    };
  }

  /**
   * The alert as callers see it. Terms and top mentions are recomputed from the recent minutes and
   * kept ("refresh", at open and escalation), recomputed for this answer only ("peek"), or the ones
   * kept last ("stored", at resolution, when the crisis's minutes may be gone).
   */
  private snapshot(incident: IncidentState, at: number, evidence: "refresh" | "peek" | "stored"): Alert {
    const totals = cloneTally(incident.totals);
    const openMinute = this.state.openMinute!;
    if (openMinute > incident.accumulatedThrough && openMinute >= incident.onsetMinute) {
      const b = this.bucketAt(openMinute);
      if (b) mergeTally(totals, incident.competitor ? b.competitors[incident.competitor] : b.all);
    }
    let explanation = incident.explanation;
    if (evidence !== "stored") {
      const from = Math.max(incident.onsetMinute, openMinute - EXPLAIN_MINUTES + 1);
      const sample: SampledMention[] = [];
      const candidates: SampledMention[] = [];
      for (let m = from; m <= openMinute; m++) {
        const b = this.bucketAt(m);
        if (!b) continue;
        sample.push(...b.sample);
        candidates.push(...b.top, ...b.topNegative, ...b.sample);
      }
      const concerns = (x: SampledMention) => !incident.competitor || (x.competitors ?? []).includes(incident.competitor);
      const docs = sample.filter(concerns);
      const exclude = new Set(incident.competitor ? distinctTerms(incident.competitor) : []);
      const preferNegative = incident.type === "CRISIS" || incident.type === "SENTIMENT";
      const o = this.config.options;
      explanation = {
        topTerms: topTerms(docs, this.state.vocabulary, totals.mentions, o.topTerms, exclude),
        topMentions: topMentions(candidates.filter(concerns), preferNegative, o.topMentions),
      };
      if (evidence === "refresh") incident.explanation = explanation;
    }
    const breakdown = platformImpacts(totals.platforms);
    const platforms = affectedPlatforms(breakdown);
    const { title, summary } = describeAlert(incident.type, incident.triggers, platforms, totals.reach, incident.competitor);
    const alert: Alert = {
      id: incident.id,
      campaignId: this.state.campaignId,
      type: incident.type,
      severity: incident.severity,
      status: "open",
      openedAt: incident.openedAt,
      updatedAt: at,
      crisisScore: incident.crisisScore,
      triggers: incident.triggers.map((t) => ({ ...t })),
      affectedPlatforms: platforms,
      platformBreakdown: breakdown,
      mentions: totals.mentions,
      estimatedReach: Math.round(totals.reach),
      negativeReach: Math.round(totals.negativeReach),
      sentimentImpact: totals.mentions > 0 ? round(totals.sentimentSum / totals.mentions - incident.baselineSentiment, 3) : 0,
      topTerms: explanation.topTerms.map((t) => ({ ...t })),
      topMentions: explanation.topMentions.map((m) => ({ ...m })),
      recommendedActions: recommendedActions(incident.type, explanation.topTerms, platforms, explanation.topMentions, incident.competitor),
      title,
      summary,
    };
    if (incident.competitor) alert.competitor = incident.competitor;
    return alert;
  }

  // ---- small helpers ----

  private warm(): boolean {
    const o = this.config.options;
    return this.state.minutesObserved >= o.warmupMinutes && this.state.mentionsObserved >= o.warmupMentions;
  }

  private hourOf(minute: number): number {
    const local = minute + this.config.options.utcOffsetMinutes;
    return ((Math.floor(local / 60) % HOURS) + HOURS) % HOURS;
  }

  private minuteOfHour(minute: number): number {
    return (((minute + this.config.options.utcOffsetMinutes) % 60) + 60) % 60;
  }

  private slot(minute: number): number {
    return ((minute % this.ring.length) + this.ring.length) % this.ring.length;
  }

  private bucketAt(minute: number): Bucket | undefined {
    const b = this.ring[this.slot(minute)];
    return b !== undefined && b.minute === minute ? b : undefined;
  }

  /** The bucket of a minute, created if needed; undefined when the minute is older than the ring. */
  private bucketFor(minute: number): Bucket | undefined {
    const i = this.slot(minute);
    const existing = this.ring[i];
    if (existing !== undefined && existing.minute === minute) return existing;
    if (existing !== undefined && existing.minute > minute) return undefined;
    const b: Bucket = {
      minute,
      all: newTally(),
      sentimentSquares: 0,
      engagementSum: 0,
      engagementSquares: 0,
      competitors: {},
      sample: [],
      top: [],
      topNegative: [],
    };
    this.ring[i] = b;
    return b;
  }
}

/** A minute's count and (Σ, Σ²) of sentiment and log engagement. */
function minuteMoments(b: Bucket): { n: number; sentiment: readonly [number, number]; engagement: readonly [number, number] } {
  return { n: b.all.mentions, sentiment: [b.all.sentimentSum, b.sentimentSquares], engagement: [b.engagementSum, b.engagementSquares] };
}

function noEvidence(w: { n: number; minutes: number; startMinute: number }, baseline: number, negativeReachShare: number): MomentReading {
  return {
    evidence: false,
    n: w.n,
    minutes: w.minutes,
    startMinute: w.startMinute,
    mean: NaN,
    baseline,
    change: 0,
    z: 0,
    triggered: false,
    calm: true,
    negativeReachShare,
  };
}

function newTally(): Tally {
  return { mentions: 0, negative: 0, reach: 0, negativeReach: 0, sentimentSum: 0, platforms: {} };
}

function cloneTally(t: Tally): Tally {
  const platforms: Record<string, PlatformTally> = {};
  for (const [name, p] of Object.entries(t.platforms)) platforms[name] = { ...p };
  return { ...t, platforms };
}

function addToTally(t: Tally, platform: string, sentiment: number, reach: number): void {
  const negative = sentiment <= NEGATIVE_SENTIMENT;
  t.mentions++;
  t.reach += reach;
  t.sentimentSum += sentiment;
  const p = (t.platforms[platform] ??= { mentions: 0, negative: 0, reach: 0 });
  p.mentions++;
  p.reach += reach;
  if (negative) {
    t.negative++;
    t.negativeReach += reach;
    p.negative++;
  }
}

function mergeTally(into: Tally, from: Tally | undefined): void {
  if (!from) return;
  into.mentions += from.mentions;
  into.negative += from.negative;
  into.reach += from.reach;
  into.negativeReach += from.negativeReach;
  into.sentimentSum += from.sentimentSum;
  for (const [name, p] of Object.entries(from.platforms)) {
    const q = (into.platforms[name] ??= { mentions: 0, negative: 0, reach: 0 });
    q.mentions += p.mentions;
    q.negative += p.negative;
    q.reach += p.reach;
  }
}

/** Keeps a mention as evidence if it is among the minute's sample (smallest hashes) or its highest reach. */
function keepEvidence(
  b: Bucket,
  mention: DetectorMention,
  ts: number,
  platform: string,
  sentiment: number,
  reach: number,
  engagement: number,
  named?: string[],
): void {
  const h = fnv1a(String(mention.id));
  let digest: SampledMention | undefined;
  const make = (): SampledMention => {
    if (digest) return digest;
    digest = {
      id: String(mention.id),
      platform,
      text: String(mention.text ?? "").slice(0, TEXT_LIMIT),
      sentiment: round(sentiment, 3),
      reach,
      engagement,
      timestamp: ts,
      h,
    };
    if (mention.author !== undefined) digest.author = mention.author;
    if (mention.authorInfluence !== undefined && Number.isFinite(mention.authorInfluence)) digest.authorInfluence = round(mention.authorInfluence, 3);
    if (mention.url !== undefined) digest.url = mention.url;
    if (named && named.length > 0) digest.competitors = named;
    return digest;
  };
  if (b.sample.length < SAMPLE_PER_MINUTE) b.sample.push(make());
  else {
    let worst = 0;
    for (let i = 1; i < b.sample.length; i++) if (b.sample[i].h > b.sample[worst].h) worst = i;
    if (h < b.sample[worst].h) b.sample[worst] = make();
  }
  keepTop(b.top, reach, make);
  if (sentiment <= NEGATIVE_SENTIMENT) keepTop(b.topNegative, reach, make);
}

function keepTop(list: SampledMention[], reach: number, make: () => SampledMention): void {
  if (list.length < TOP_PER_MINUTE) {
    list.push(make());
    return;
  }
  let lowest = 0;
  for (let i = 1; i < list.length; i++) if (list[i].reach < list[lowest].reach) lowest = i;
  if (reach > list[lowest].reach) list[lowest] = make();
}

function encodeBucket(b: Bucket): StoredBucket {
  const kept: SampledMention[] = [];
  const index = new Map<SampledMention, number>();
  const ref = (m: SampledMention) => {
    let i = index.get(m);
    if (i === undefined) {
      i = kept.push(m) - 1;
      index.set(m, i);
    }
    return i;
  };
  return { ...b, kept, sample: b.sample.map(ref), top: b.top.map(ref), topNegative: b.topNegative.map(ref) };
}

function decodeBucket(stored: StoredBucket): Bucket {
  const { kept, sample, top, topNegative, ...aggregates } = stored;
  const at = (i: number) => kept[i];
  return { ...aggregates, sample: sample.map(at), top: top.map(at), topNegative: topNegative.map(at) };
}

function checkState(state: DetectorState, campaignId: string): void {
  if (typeof state !== "object" || state === null || state.version !== STATE_VERSION || !Array.isArray(state.buckets) || !Array.isArray(state.incidents)) {
    throw new DetectorStateError(`the detector state is not version ${STATE_VERSION}`);
  }
  if (state.campaignId !== campaignId) throw new DetectorStateError(`the detector state belongs to campaign ${state.campaignId}, not ${campaignId}`);
}

function toMillis(t: Date | number): number {
  return t instanceof Date ? t.getTime() : Number(t);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function formatP(logP: number): string {
  const log10 = logP / Math.LN10;
  if (log10 < -300) return "< 1e-300";
  const p = Math.exp(logP);
  return p < 1e-3 ? `= ${p.toExponential(1)}` : `= ${round(p, 4)}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
