// The detector's numerical helpers against known values.
import { describe, expect, test } from "vitest";
import { logCountUpperTail, logGamma, logIncompleteBeta, logNegBinomialUpperTail } from "./stats";

describe("stats", () => {
  test("logGamma matches factorials", () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(11)).toBeCloseTo(Math.log(3628800), 10);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });

  test("the incomplete beta function matches closed forms", () => {
    // I_x(1, b) = 1 − (1 − x)^b and I_x(a, 1) = x^a.
    expect(Math.exp(logIncompleteBeta(0.3, 1, 4))).toBeCloseTo(1 - 0.7 ** 4, 12);
    expect(Math.exp(logIncompleteBeta(0.3, 5, 1))).toBeCloseTo(0.3 ** 5, 12);
    expect(Math.exp(logIncompleteBeta(0.9, 2, 3))).toBeCloseTo(1 - (1 - 0.9) ** 3 * (1 + 3 * 0.9), 12);
  });

  test("a negative binomial with a huge shape is the Poisson tail", () => {
    // P(X ≥ 6 | λ = 1) and P(X ≥ 10 | λ = 1) for a Poisson count.
    expect(Math.exp(logCountUpperTail(6, 1, 1))).toBeCloseTo(5.9418e-4, 7);
    expect(Math.exp(logCountUpperTail(10, 1, 1)) / 1.1143e-7).toBeCloseTo(1, 3);
    expect(Math.exp(logCountUpperTail(60, 40, 40)) / 0.0018796).toBeCloseTo(1, 3);
  });

  test("with shape 1 it is the geometric tail, and far tails stay finite in log space", () => {
    // Geometric with mean 2: P(X ≥ k) = (2/3)^k.
    expect(logNegBinomialUpperTail(200, 2, 1)).toBeCloseTo(200 * Math.log(2 / 3), 6);
    expect(logCountUpperTail(2000, 8, 8)).toBeLessThan(-5000);
    expect(logCountUpperTail(0, 8, 8)).toBe(0);
  });
});
