// Baselines: what "normal" looks like for a campaign, learned minute by minute on event time.
//
// Volume: a Gamma–Poisson model with exponential forgetting and an hour-of-day profile
//   forecast(minute) = level × hourFactor[hour of day]
//   level = (prior counts + Σ decay^age · count/hourFactor) / (prior minutes + Σ decay^age)
// so a new campaign starts from the prior and is taken over by its own data within minutes, and the
// Gamma shape (prior counts + discounted counts) says how sure the level is: the test statistic is the
// negative-binomial posterior predictive, wide for a new campaign, narrow for an established one.
// Moments (sentiment, log engagement): mention-weighted exponentially weighted mean and variance with
// a prior worth a few mentions.
// All updates are robust: a minute's value is clipped to the forecast ± clipSigma standard deviations
// before it is learned, so a 20-minute scandal moves the baselines by a few percent, while a lasting
// change (or a regular evening peak) is learned within hours or days.
import { clamp, decayPerStep } from "./stats";

/** Hours in the seasonal profile. */
export const HOURS = 24;

/** A Gamma–Poisson level with exponential forgetting: discounted counts over discounted minutes. */
export interface LevelState {
  /** Discounted sum of (deseasonalised) counts. */
  counts: number;
  /** Discounted number of minutes observed. */
  minutes: number;
}

/** The campaign's volume model: a level and its hour-of-day profile. */
export interface VolumeState extends LevelState {
  /** Hour-of-day factors (mean 1 once normalised). */
  hourFactors: number[];
  /** Minutes each hour slot has been learned from. */
  hourMinutes: number[];
  /** Overdispersion of minute counts against the forecast (1 = Poisson). */
  dispersion: number;
}

/** A level model's parameters. */
export interface LevelParams {
  halfLifeMinutes: number;
  priorRate: number;
  priorMinutes: number;
  clipSigma: number;
  maxShape: number;
}

/** The volume model's parameters. */
export interface VolumeParams extends LevelParams {
  seasonLearningRate: number;
}

/** A fresh level. */
export function newLevel(): LevelState {
  return { counts: 0, minutes: 0 };
}

/** A fresh volume model. */
export function newVolume(): VolumeState {
  return { ...newLevel(), hourFactors: new Array(HOURS).fill(1), hourMinutes: new Array(HOURS).fill(0), dispersion: 1 };
}

/** Deseasonalised mentions per minute. */
export function levelRate(l: LevelState, p: LevelParams): number {
  return (p.priorRate * p.priorMinutes + l.counts) / (p.priorMinutes + l.minutes);
}

/** The Gamma shape of the level's posterior (how many counts support it), capped by maxShape. */
function levelShape(l: LevelState, p: LevelParams): number {
  return Math.min(p.priorRate * p.priorMinutes + l.counts, p.maxShape);
}

/**
 * Mean and variance of the count expected over a window, given its seasonal exposure
 * (Σ hour factor over the window's minutes): Poisson with overdispersion φ, plus the level's own
 * uncertainty, i.e. variance M·φ + M²/shape.
 */
export function expectation(l: LevelState, p: LevelParams, seasonalExposure: number, dispersion: number): { mean: number; variance: number } {
  const mean = levelRate(l, p) * seasonalExposure;
  const variance = mean * Math.max(1, dispersion) + (mean * mean) / levelShape(l, p);
  return { mean, variance };
}

/** The count a minute is learned as: clipped to the forecast ± clipSigma standard deviations. */
function clippedCount(l: LevelState, p: LevelParams, count: number, factor: number, dispersion: number): number {
  const forecast = levelRate(l, p) * factor;
  const sd = Math.sqrt(Math.max(forecast, 0.25) * Math.max(1, dispersion));
  return clamp(count, forecast - p.clipSigma * sd - 1, forecast + p.clipSigma * sd + 1);
}

/** Learns one closed minute's count into a level, clipped to forecast ± clipSigma·sd. Returns the clipped count. */
export function updateLevel(l: LevelState, p: LevelParams, count: number, factor: number, dispersion: number): number {
  const clipped = clippedCount(l, p, count, factor, dispersion);
  const d = decayPerStep(p.halfLifeMinutes);
  l.counts = d * l.counts + clipped / factor;
  l.minutes = d * l.minutes + 1;
  return clipped;
}

/**
 * Learns one closed minute into the volume model. `learnSeason` is false until the campaign is warm
 * (the level must be trustworthy before hour factors are learned relative to it).
 */
export function updateVolume(v: VolumeState, p: VolumeParams, count: number, hour: number, learnSeason: boolean): void {
  const factor = v.hourFactors[hour];
  const level = levelRate(v, p);
  const forecast = level * factor;
  const clipped = updateLevel(v, p, count, factor, v.dispersion);
  if (!learnSeason) return;
  // Overdispersion: discounted mean of squared Pearson residuals (each capped), over about a day.
  const residual = Math.min(((count - forecast) * (count - forecast)) / Math.max(forecast, 0.5), 16);
  v.dispersion += (residual - v.dispersion) / 1440;
  // Hour factor: moves by `rate` per day of that hour; the first days count as a running mean.
  const days = v.hourMinutes[hour] / 60;
  const dailyRate = Math.max(1 / (days + 2), p.seasonLearningRate);
  const perMinute = 1 - (1 - dailyRate) ** (1 / 60);
  v.hourFactors[hour] = clamp(factor + perMinute * (clipped / Math.max(level, 1e-6) - factor), 0.05, 20);
  v.hourMinutes[hour] += 1;
}

/**
 * A minute already learned turned out to have more mentions (`before` → `after`, they came late):
 * the volume model takes the difference between what the minute is learned as with each count
 * (level, overdispersion and hour factor alike), with the weight of the minute's age, so the model
 * ends where the on-time minute would have left it.
 */
export function addLateVolume(v: VolumeState, p: VolumeParams, before: number, after: number, hour: number, ageMinutes: number, learnSeason: boolean): void {
  const factor = v.hourFactors[hour];
  const level = levelRate(v, p);
  const forecast = level * factor;
  const c0 = clippedCount(v, p, before, factor, v.dispersion);
  const c1 = clippedCount(v, p, after, factor, v.dispersion);
  addLateCount(v, p, c1 - c0, factor, ageMinutes);
  if (!learnSeason) return;
  const residual = (count: number) => Math.min(((count - forecast) * (count - forecast)) / Math.max(forecast, 0.5), 16);
  v.dispersion = Math.max(1e-6, v.dispersion + (residual(after) - residual(before)) / 1440);
  const days = v.hourMinutes[hour] / 60;
  const dailyRate = Math.max(1 / (days + 2), p.seasonLearningRate);
  const perMinute = 1 - (1 - dailyRate) ** (1 / 60);
  v.hourFactors[hour] = clamp(factor + (perMinute * (c1 - c0)) / Math.max(level, 1e-6), 0.05, 20);
}

/**
 * Keeps the hour factors averaging 1 (and the level consistent with them), so "1.8" reads as
 * "80 % busier than the day's average". Run once an hour.
 */
export function normaliseSeason(v: VolumeState): void {
  let sum = 0;
  for (const f of v.hourFactors) sum += f;
  const mean = sum / HOURS;
  if (!(mean > 0) || Math.abs(mean - 1) < 1e-9) return;
  for (let h = 0; h < HOURS; h++) v.hourFactors[h] /= mean;
  v.counts *= mean;
}

/** Adds a late (already closed) minute's count with the weight its age would have had. */
export function addLateCount(l: LevelState, p: LevelParams, count: number, factor: number, ageMinutes: number): void {
  l.counts += (decayPerStep(p.halfLifeMinutes) ** Math.max(0, ageMinutes) * count) / factor;
}

/** Exponentially weighted, mention-weighted mean and variance of one quantity. */
export interface MomentsState {
  weight: number;
  sum: number;
  sumSquares: number;
}

/** The moments model's parameters. */
export interface MomentsParams {
  halfLifeMinutes: number;
  priorMean: number;
  priorSd: number;
  priorWeight: number;
  clipSigma: number;
  /** Floor on the standard deviation (scores from a lexicon can be identical). */
  minSd: number;
}

/** A fresh moments model. */
export function newMoments(): MomentsState {
  return { weight: 0, sum: 0, sumSquares: 0 };
}

/** Baseline mean, standard deviation of one observation, and standard error of the mean. */
export function momentsStats(m: MomentsState, p: MomentsParams): { mean: number; sd: number; se: number } {
  const w = p.priorWeight + m.weight;
  const mean = (p.priorWeight * p.priorMean + m.sum) / w;
  const second = (p.priorWeight * (p.priorSd * p.priorSd + p.priorMean * p.priorMean) + m.sumSquares) / w;
  const sd = Math.max(Math.sqrt(Math.max(second - mean * mean, 0)), p.minSd);
  return { mean, sd, se: sd / Math.sqrt(w) };
}

/** Learns one closed minute's observations (n, Σx, Σx²), its mean clipped to the baseline's band. */
export function updateMoments(m: MomentsState, p: MomentsParams, n: number, sum: number, sumSquares: number): void {
  const d = decayPerStep(p.halfLifeMinutes);
  m.weight *= d;
  m.sum *= d;
  m.sumSquares *= d;
  if (n <= 0) return;
  const c = clippedMoments(m, p, n, sum, sumSquares);
  m.weight += n;
  m.sum += c.sum;
  m.sumSquares += c.sumSquares;
}

/** A minute's observations as they are learned: its mean moved into the baseline's band (± clipSigma·sd/√n). */
export function clippedMoments(m: MomentsState, p: MomentsParams, n: number, sum: number, sumSquares: number): { sum: number; sumSquares: number } {
  if (n <= 0) return { sum: 0, sumSquares: 0 };
  const { mean, sd } = momentsStats(m, p);
  const minuteMean = sum / n;
  const halfWidth = (p.clipSigma * sd) / Math.sqrt(n);
  const shift = clamp(minuteMean, mean - halfWidth, mean + halfWidth) - minuteMean;
  return { sum: sum + n * shift, sumSquares: sumSquares + 2 * shift * sum + n * shift * shift };
}

/** Adds late observations with the weight their age would have had. */
export function addLateMoments(m: MomentsState, p: MomentsParams, n: number, sum: number, sumSquares: number, ageMinutes: number): void {
  const w = decayPerStep(p.halfLifeMinutes) ** Math.max(0, ageMinutes);
  m.weight += w * n;
  m.sum += w * sum;
  m.sumSquares += w * sumSquares;
}

/**
 * The campaign's usual vocabulary: discounted document frequencies of terms (half-life a day),
 * learned from a small uniform sample of each calm minute's mentions. Weights are stored scaled
 * by `scale` (which grows each minute instead of decaying every entry) and pruned to the most
 * frequent terms, so the state stays small.
 */
export interface TermsState {
  scale: number;
  documents: number;
  frequencies: Record<string, number>;
}

/** Terms kept after pruning, and the size that triggers it. */
const TERMS_KEEP = 600;
const TERMS_PRUNE_AT = 1200;
const TERMS_HALF_LIFE_MINUTES = 1440;

/** A fresh vocabulary. */
export function newTerms(): TermsState {
  return { scale: 1, documents: 0, frequencies: {} };
}

/** Moves the vocabulary's clock on by one minute. */
export function decayTerms(t: TermsState): void {
  t.scale /= decayPerStep(TERMS_HALF_LIFE_MINUTES);
  if (t.scale > 1e6) {
    for (const term of Object.keys(t.frequencies)) {
      const w = t.frequencies[term] / t.scale;
      if (w < 1e-3) delete t.frequencies[term];
      else t.frequencies[term] = w;
    }
    t.documents /= t.scale;
    t.scale = 1;
  }
}

/** Learns one document's distinct terms. */
export function addDocumentTerms(t: TermsState, terms: Iterable<string>): void {
  t.documents += t.scale;
  let added = 0;
  for (const term of terms) {
    t.frequencies[term] = (t.frequencies[term] ?? 0) + t.scale;
    added++;
  }
  if (added > 0 && Object.keys(t.frequencies).length > TERMS_PRUNE_AT) pruneTerms(t);
}

function pruneTerms(t: TermsState): void {
  const kept = Object.entries(t.frequencies)
    .sort((a, b) => b[1] - a[1])
    .slice(0, TERMS_KEEP);
  t.frequencies = Object.fromEntries(kept);
}

/** Share of usual documents containing a term (smoothed, never 0). */
export function usualShare(t: TermsState, term: string): number {
  return ((t.frequencies[term] ?? 0) + 0.5 * t.scale) / (t.documents + 2 * t.scale);
}
