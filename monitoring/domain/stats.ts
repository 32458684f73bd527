// Small numerical helpers for the crisis detector: log-gamma, the regularised incomplete beta
// function and the negative-binomial upper tail built on it. Everything works in log space, because
// the detector compares tail probabilities of 1e-7 and far below (a scandal's are under 1e-30).

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7; about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

// Continued fraction of the incomplete beta function (modified Lentz), as in Numerical Recipes' betacf.
function betaContinuedFraction(a: number, b: number, x: number): number {
  const TINY = 1e-300;
  const EPS = 1e-13;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 5000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < EPS) break;
  }
  return h;
}

/** ln I_x(a, b), the log of the regularised incomplete beta function, for a, b > 0 and x in [0, 1]. */
export function logIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return -Infinity;
  if (x >= 1) return 0;
  const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) {
    return logFront + Math.log(betaContinuedFraction(a, b, x)) - Math.log(a);
  }
  // The other side converges fast: I_x(a, b) = 1 − I_{1−x}(b, a).
  const complement = Math.exp(logFront + Math.log(betaContinuedFraction(b, a, 1 - x)) - Math.log(b));
  return Math.log1p(-Math.min(complement, 1));
}

/**
 * ln P(X ≥ k) for a negative binomial count with the given mean and shape r (variance
 * mean + mean²/r): the posterior predictive of a Poisson count whose rate is Gamma-distributed.
 * As r grows it becomes the Poisson tail.
 */
export function logNegBinomialUpperTail(k: number, mean: number, shape: number): number {
  if (k <= 0) return 0;
  if (mean <= 0) return -Infinity;
  // P(X ≥ k) = I_{mean/(mean+r)}(k, r).
  return logIncompleteBeta(mean / (mean + shape), k, shape);
}

/**
 * ln P(X ≥ k) for a count with the given mean and variance (variance ≥ mean), matched to a negative
 * binomial by its first two moments. Variance at or barely above the mean is treated as Poisson-like
 * with a very large shape.
 */
export function logCountUpperTail(k: number, mean: number, variance: number): number {
  const excess = Math.max(variance - mean, (mean * mean) / 1e6);
  return logNegBinomialUpperTail(k, mean, (mean * mean) / excess);
}

/** Clamps x into [lo, hi]. */
export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}

/** Clamps x into [0, 1]. */
export function clamp01(x: number): number {
  return Math.min(Math.max(x, 0), 1);
}

/** The per-step decay factor of an exponentially weighted sum with the given half-life (in steps). */
export function decayPerStep(halfLife: number): number {
  return 0.5 ** (1 / halfLife);
}

/** 32-bit FNV-1a hash of a string: cheap, stable, used for order-independent sampling. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
