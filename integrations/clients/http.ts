// The HTTP step every provider client shares: one attempt of one request, its failures classified
// as ProviderErrors (429 with Retry-After, 5xx, timeouts, network, malformed JSON), each attempt
// reported to an observer (the call log).
import { parseRetryAfter, ProviderError, TimeoutError, type ProviderPolicy } from "../../shared/resilience";

/** One attempt as the call log records it. */
export interface CallRecord {
  provider: string;
  method: string;
  /** The path without query (never credentials). */
  path: string;
  status: number | null;
  durationMs: number;
  error: string | null;
}

/** Receives every attempt (to persist the call log). Must not throw. */
export type CallObserver = (call: CallRecord) => void;

/** One HTTP request to a provider. */
export interface ProviderRequest {
  method: "GET" | "POST";
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** POSTs that create something must not be retried when it is unknown whether they landed (a timeout). */
  retryOnTimeout?: boolean;
}

/** A provider's answer: the parsed JSON body and the headers. */
export interface ProviderResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** Turns a provider's error body into a message and code; each client knows its provider's error shape. */
export type ErrorReader = (
  status: number,
  body: unknown,
  headers: Headers,
) => { message: string; code?: string | number; kind?: "rate_limited" | "auth" | "client" | "server"; retryAfterMs?: number } | null;

/** Checks a 2xx body's shape and maps it; returns a string describing what is wrong to reject it as malformed. */
export type Decoder<T> = (body: unknown) => T | { malformed: string };

/** What one call needs besides the request: how to read errors and bodies, who observes. */
export interface SendOptions<T> {
  readError: ErrorReader;
  decode: Decoder<T>;
  observe?: CallObserver;
  signal?: AbortSignal;
}

/**
 * Performs `req` under `policy`: retried, rate limited, circuit-broken, timed out. The body is
 * decoded inside the attempt, so a malformed answer counts against the provider's circuit.
 */
export function send<T>(policy: ProviderPolicy, req: ProviderRequest, o: SendOptions<T>): Promise<ProviderResponse<T>> {
  return policy.run((attemptSignal) => attempt<T>(policy.o.provider, req, o, attemptSignal, policy.o.clock.now.bind(policy.o.clock)), o.signal);
}

/** True for a decoder's rejection. */
function isMalformed(v: unknown): v is { malformed: string } {
  return typeof v === "object" && v !== null && typeof (v as { malformed?: unknown }).malformed === "string" && Object.keys(v).length === 1;
}

async function attempt<T>(provider: string, req: ProviderRequest, o: SendOptions<T>, signal: AbortSignal, now: () => number): Promise<ProviderResponse<T>> {
  const { readError, observe } = o;
  const started = performance.now();
  const path = safePath(req.url);
  let status: number | null = null;
  let error: string | null = null;
  try {
    let res: Response;
    let text: string;
    try {
      res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal });
      status = res.status;
      text = await res.text();
    } catch (err) {
      throw transportError(provider, err, signal, req.retryOnTimeout ?? true);
    }
    let body: unknown;
    let parsed = true;
    try {
      body = text === "" ? null : JSON.parse(text);
    } catch {
      parsed = false;
    }
    if (res.status >= 200 && res.status < 300) {
      if (!parsed)
        throw new ProviderError(
          provider,
          "malformed",
          `malformed JSON in a ${res.status} answer (${text.length} bytes: ${JSON.stringify(text.slice(0, 60))})`,
          { status: res.status },
        );
      const decoded = o.decode(body);
      if (isMalformed(decoded)) throw new ProviderError(provider, "malformed", `unexpected answer: ${decoded.malformed}`, { status: res.status });
      return { status: res.status, body: decoded, headers: res.headers };
    }
    const described = parsed ? readError(res.status, body, res.headers) : null;
    const message = described?.message ?? `HTTP ${res.status}${parsed ? "" : ` (${JSON.stringify(text.slice(0, 60))})`}`;
    const retryAfterMs = parseRetryAfter(res.headers.get("retry-after"), now()) ?? described?.retryAfterMs;
    const kind = described?.kind ?? kindOf(res.status);
    throw new ProviderError(provider, kind, message, { status: res.status, code: described?.code, retryAfterMs });
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
    throw err;
  } finally {
    observe?.({ provider, method: req.method, path, status, durationMs: Math.round(performance.now() - started), error });
  }
}

function kindOf(status: number): "rate_limited" | "auth" | "client" | "server" {
  if (status === 429) return "rate_limited";
  if (status === 401 || status === 403) return "auth";
  if (status >= 500) return "server";
  return "client";
}

function transportError(provider: string, err: unknown, signal: AbortSignal, retryOnTimeout: boolean): ProviderError {
  if (signal.aborted && signal.reason instanceof TimeoutError) {
    return new ProviderError(provider, "timeout", signal.reason.message, { cause: err, noRetry: !retryOnTimeout });
  }
  if (signal.aborted) return new ProviderError(provider, "client", "call cancelled", { cause: err, noRetry: true });
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return new ProviderError(provider, "network", `cannot reach the provider (${cause?.code ?? cause?.message ?? (err as Error).message})`, { cause: err });
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
