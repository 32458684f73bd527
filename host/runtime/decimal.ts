// The native runtime's Decimal (napi.d.cts). Encore's is an exact rational (malachite Rational):
// add/sub/mul/div never round, and only toString() rounds, to 10 decimals, for values with no
// finite decimal expansion (1/3 → "0.3333333333"). We keep the same model with BigInt fractions.

export interface Rational {
  readonly num: bigint; // sign lives here
  readonly den: bigint; // > 0, coprime with num
}

// Encore's bounds on decimal strings (runtimes/core api/pvalue.rs).
const MAX_DECIMAL_STR_LEN = 1 << 18;
const MAX_DECIMAL_ABS_EXPONENT = 1 << 14;
// Digits shown after the point for values without a finite decimal expansion.
const NON_TERMINATING_SCALE = 10;
// malachite's default: exponents at or below this print in scientific notation (1e-6, 0.00001).
const SCI_EXPONENT_THRESHOLD = -6;

const DECIMAL_RE = /^([+-])?(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/;

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function makeRational(num: bigint, den: bigint): Rational {
  if (den === 0n) throw new Error("division by zero");
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const g = gcd(num, den);
  return g > 1n ? { num: num / g, den: den / g } : { num, den };
}

/** Parses "12", "-1.50", ".5", "1e-3"; returns null for anything else. */
export function parseRational(s: string): Rational | null {
  if (s.length > MAX_DECIMAL_STR_LEN) return null;
  const m = DECIMAL_RE.exec(s);
  if (!m) return null;
  const [, sign, int = "", frac1, frac2, expStr] = m;
  const frac = frac1 ?? frac2 ?? "";
  const exp = expStr === undefined ? 0 : Number(expStr);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > MAX_DECIMAL_ABS_EXPONENT) return null;
  let num = BigInt(int + frac || "0");
  if (sign === "-") num = -num;
  const scale = frac.length - exp;
  return scale > 0 ? makeRational(num, 10n ** BigInt(scale)) : makeRational(num * 10n ** BigInt(-scale), 1n);
}

export function isInteger(r: Rational): boolean {
  return r.den === 1n;
}

// The decimal digits of |r| scaled by 10^scale: exact when r terminates within scale digits,
// else rounded to nearest (never a tie: a tie would need a denominator of only 2s and 5s).
function scaledDigits(r: Rational): { digits: bigint; scale: number } {
  let rest = r.den;
  let twos = 0;
  let fives = 0;
  while (rest % 2n === 0n) {
    rest /= 2n;
    twos++;
  }
  while (rest % 5n === 0n) {
    rest /= 5n;
    fives++;
  }
  const n = abs(r.num);
  if (rest === 1n) {
    const scale = Math.max(twos, fives);
    return { digits: (n * 10n ** BigInt(scale)) / r.den, scale };
  }
  const scaled = n * 10n ** BigInt(NON_TERMINATING_SCALE);
  let digits = scaled / r.den;
  if ((scaled % r.den) * 2n > r.den) digits += 1n;
  return { digits, scale: NON_TERMINATING_SCALE };
}

/** The canonical text of a rational, as Encore's Decimal prints it. */
export function formatRational(r: Rational): string {
  if (r.num === 0n) return "0";
  const { digits, scale } = scaledDigits(r);
  if (digits === 0n) return "0";
  const sign = r.num < 0n ? "-" : "";
  const text = digits.toString();
  const exponent = text.length - scale - 1; // position of the leading digit
  if (exponent <= SCI_EXPONENT_THRESHOLD) {
    const mantissa = text.replace(/0+$/, "");
    return `${sign}${mantissa[0]}${mantissa.length > 1 ? `.${mantissa.slice(1)}` : ""}e${exponent}`;
  }
  if (scale === 0) return sign + text;
  const padded = text.padStart(scale + 1, "0");
  return `${sign}${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
}

const RATIONAL = Symbol("rational");

export class Decimal {
  private readonly [RATIONAL]: Rational;

  constructor(value: string) {
    const r = parseRational(String(value));
    if (!r) throw new Error(`Invalid decimal format: 'Failed to parse decimal from string: ${value}'`);
    this[RATIONAL] = r;
  }

  static fromRational(r: Rational): Decimal {
    const d = Object.create(Decimal.prototype) as Decimal;
    (d as unknown as { [RATIONAL]: Rational })[RATIONAL] = r;
    return d;
  }

  get rational(): Rational {
    return this[RATIONAL];
  }

  toString(): string {
    return formatRational(this[RATIONAL]);
  }

  add(other: Decimal): Decimal {
    const a = this[RATIONAL];
    const b = other[RATIONAL];
    return Decimal.fromRational(makeRational(a.num * b.den + b.num * a.den, a.den * b.den));
  }

  sub(other: Decimal): Decimal {
    const a = this[RATIONAL];
    const b = other[RATIONAL];
    return Decimal.fromRational(makeRational(a.num * b.den - b.num * a.den, a.den * b.den));
  }

  mul(other: Decimal): Decimal {
    const a = this[RATIONAL];
    const b = other[RATIONAL];
    return Decimal.fromRational(makeRational(a.num * b.num, a.den * b.den));
  }

  div(other: Decimal): Decimal {
    const a = this[RATIONAL];
    const b = other[RATIONAL];
    if (b.num === 0n) throw new Error("division by zero");
    return Decimal.fromRational(makeRational(a.num * b.den, a.den * b.num));
  }
}
