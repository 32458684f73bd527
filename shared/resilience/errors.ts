// The one error type provider clients throw, classified so the retry policy and the endpoints can act on it.

/** Why a provider call failed. */
export type ProviderErrorKind =
  | "rate_limited" // 429 or a provider's own throttling signal
  | "server" // 5xx
  | "timeout" // no answer in time
  | "network" // connection refused/reset
  | "malformed" // the answer is not the JSON we expect
  | "auth" // 401/403: credentials wrong
  | "client" // other 4xx: our request is wrong
  | "not_configured" // no credentials
  | "circuit_open"; // the breaker refuses calls for now

/** A failed call to a provider. */
export class ProviderError extends Error {
  constructor(
    readonly provider: string,
    readonly kind: ProviderErrorKind,
    message: string,
    readonly options: { status?: number; retryAfterMs?: number; code?: string | number; cause?: unknown; noRetry?: boolean } = {},
  ) {
    super(`${provider}: ${message}`, { cause: options.cause });
    this.name = "ProviderError";
  }
  get code(): string | number | undefined {
    return this.options.code;
  }
  get status(): number | undefined {
    return this.options.status;
  }
  get retryAfterMs(): number | undefined {
    return this.options.retryAfterMs;
  }
  /** Retry only what may succeed on a second try: throttling, 5xx, timeouts, network failures. */
  get retryable(): boolean {
    if (this.options.noRetry) return false;
    return this.kind === "rate_limited" || this.kind === "server" || this.kind === "timeout" || this.kind === "network";
  }
  /** Whether the failure says the provider is unhealthy (counts against its circuit). */
  get countsAgainstCircuit(): boolean {
    return this.kind === "server" || this.kind === "timeout" || this.kind === "network" || this.kind === "malformed";
  }
}

/**
 * Parses a Retry-After header (delta seconds or an HTTP date) into milliseconds from `now`;
 * undefined when absent or unparseable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value == null || value.trim() === "") return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
