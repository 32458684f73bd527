// CORS as Encore's gateway does it (runtimes/core/src/api/cors): the allowed origins depend on
// whether the request carries credentials (Authorization or Cookie), the origin is mirrored
// (never "*", so credentialed requests work), the requested method is mirrored on preflight,
// allowed headers are a fixed set plus the configured ones plus the app's own header fields.
import type { AppMeta, CorsConfig } from "../meta.ts";

export interface CorsRequest {
  method: string;
  origin?: string;
  /** Access-Control-Request-Headers */
  requestHeaders?: string;
  /** Access-Control-Request-Method */
  requestMethod?: string;
  /** Authorization or Cookie present. */
  hasCredentials: boolean;
  /** Access-Control-Request-Private-Network: true (Chrome's private network access preflight). */
  requestPrivateNetwork?: boolean;
}

export interface CorsOptions {
  /** Access-Control-Max-Age on preflight responses, in seconds (Chrome caps it at 7200). */
  maxAgeSeconds?: number;
  /** Answer private-network preflights (Encore allows them locally). */
  allowPrivateNetwork?: boolean;
}

/** Encore's always-allowed request headers. */
export const ALWAYS_ALLOWED_HEADERS = [
  "accept",
  "authorization",
  "content-type",
  "origin",
  "user-agent",
  "x-correlation-id",
  "x-request-id",
  "x-requested-with",
];

/** Encore's always-exposed response headers. */
export const ALWAYS_EXPOSED_HEADERS = ["x-request-id", "x-correlation-id", "x-encore-trace-id"];

/** Encore's token for "any origin, even with credentials" (local development). */
export const UNSAFE_ALL_ORIGINS_WITH_CREDENTIALS = "UNSAFE_ALL_ORIGINS_WITH_CREDENTIALS";

const VARY = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
const DEFAULT_MAX_AGE = 7200;

type OriginMatcher = (origin: string) => boolean;

interface CompiledCors {
  withCredentials: OriginMatcher;
  withoutCredentials: OriginMatcher;
  allowHeaders: string | null; // null: mirror the request's
  exposeHeaders: string;
}

const compiled = new WeakMap<CorsConfig, CompiledCors>();

function originMatcher(list: string[]): OriginMatcher {
  const exact = new Set<string>();
  const wildcards: { prefix: string; suffix: string }[] = [];
  for (const raw of list) {
    const o = raw.trim().toLowerCase();
    if (o === "*" || raw === UNSAFE_ALL_ORIGINS_WITH_CREDENTIALS) return () => true;
    const star = o.indexOf("*");
    if (star < 0) exact.add(o);
    else wildcards.push({ prefix: o.slice(0, star), suffix: o.slice(star + 1) });
  }
  return (origin) => {
    const o = origin.toLowerCase();
    if (exact.has(o)) return true;
    // `https://*.example.com`: the wildcard stands for at least one character.
    for (const w of wildcards) {
      if (o.length > w.prefix.length + w.suffix.length && o.startsWith(w.prefix) && o.endsWith(w.suffix)) return true;
    }
    return false;
  };
}

function uniqueLower(names: string[]): string[] {
  return [...new Set(names.map((n) => n.trim().toLowerCase()).filter((n) => n !== ""))];
}

function compile(cfg: CorsConfig): CompiledCors {
  let c = compiled.get(cfg);
  if (c === undefined) {
    const mirror = cfg.allowHeaders.some((h) => h.trim() === "*");
    c = {
      withCredentials: originMatcher(cfg.allowOriginsWithCredentials),
      withoutCredentials: originMatcher(cfg.allowOriginsWithoutCredentials),
      allowHeaders: mirror ? null : uniqueLower([...ALWAYS_ALLOWED_HEADERS, ...cfg.allowHeaders]).join(", "),
      exposeHeaders: uniqueLower([...ALWAYS_EXPOSED_HEADERS, ...cfg.exposeHeaders]).join(", "),
    };
    compiled.set(cfg, c);
  }
  return c;
}

/** A preflight asking to send Authorization or Cookie counts as credentialed, as in Encore. */
function asksForCredentials(requestHeaders: string | undefined): boolean {
  if (!requestHeaders) return false;
  for (const h of requestHeaders.split(",")) {
    const name = h.trim().toLowerCase();
    if (name === "authorization" || name === "cookie") return true;
  }
  return false;
}

/**
 * The CORS response headers for a request. Every OPTIONS request is a preflight (Encore's gateway
 * answers them itself, 200/204 with these headers). A disallowed origin gets no
 * Access-Control-Allow-Origin, which makes the browser refuse the response.
 */
export function corsHeaders(cfg: CorsConfig, req: CorsRequest, opts: CorsOptions = {}): { preflight: boolean; headers: Record<string, string> } {
  const c = compile(cfg);
  const preflight = req.method === "OPTIONS";
  const headers: Record<string, string> = { vary: VARY };
  if (req.origin === undefined) return { preflight, headers };

  const credentialed = req.hasCredentials || (preflight && asksForCredentials(req.requestHeaders));
  const allowed = credentialed ? c.withCredentials(req.origin) : c.withoutCredentials(req.origin);
  if (!allowed) return { preflight, headers };

  headers["access-control-allow-origin"] = req.origin;
  headers["access-control-allow-credentials"] = "true";
  if (preflight) {
    if (req.requestMethod) headers["access-control-allow-methods"] = req.requestMethod;
    const allowHeaders = c.allowHeaders ?? req.requestHeaders;
    if (allowHeaders) headers["access-control-allow-headers"] = allowHeaders;
    headers["access-control-max-age"] = String(opts.maxAgeSeconds ?? DEFAULT_MAX_AGE);
    if (req.requestPrivateNetwork && (opts.allowPrivateNetwork ?? true)) headers["access-control-allow-private-network"] = "true";
  } else {
    headers["access-control-expose-headers"] = c.exposeHeaders;
  }
  return { preflight, headers };
}

/**
 * The config plus the header names the app's own endpoints use, as Encore adds them: request
 * header fields of exposed endpoints and of the auth handler become allowed, response header
 * fields become exposed. Call once at start.
 */
export function withAppHeaders(cfg: CorsConfig, meta: Pick<AppMeta, "services" | "authHandler">): CorsConfig {
  const allow = [...cfg.allowHeaders];
  const expose = [...cfg.exposeHeaders];
  for (const svc of meta.services) {
    for (const ep of svc.endpoints) {
      if (!ep.expose) continue;
      for (const f of [...(ep.request?.fields ?? []), ...(ep.handshake?.fields ?? [])]) if (f.location === "header") allow.push(f.wireName ?? f.name);
      for (const f of ep.response?.fields ?? []) if (f.location === "header") expose.push(f.wireName ?? f.name);
    }
  }
  for (const f of meta.authHandler?.params.fields ?? []) if (f.location === "header") allow.push(f.wireName ?? f.name);
  return { ...cfg, allowHeaders: allow, exposeHeaders: expose };
}
