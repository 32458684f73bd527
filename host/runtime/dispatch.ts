// Dispatch: the registry of handlers and the one place where a call (from HTTP, from another
// service, from a cron job) meets its handler. Keeps Encore's semantics for in-process calls:
// the payload travels as JSON and is decoded by the callee's schema, auth data is carried along.
import type { AppMeta, EndpointMeta, ParamsMeta, Schema } from "../meta.ts";
import { decodeParams, decodeMessage, ValidationError } from "../server/decode.ts";
import { toJSONValue } from "../server/encode.ts";
import { ApiCallError, Request, newSpanId, type APICallData } from "./request.ts";
import { inNewContext } from "./context.ts";
import { databaseUnavailableParts, ERROR_CODES, isDatabaseUnavailable } from "../server/errors.ts";
import type { Logger } from "./log.ts";

export interface ApiRoute {
  service: string;
  name: string;
  raw: boolean;
  streamingRequest: boolean;
  streamingResponse: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: any handler an app declares; each is called with the arguments its own kind takes
  handler: (...args: any[]) => any;
}

export interface HandlerResult {
  payload: unknown;
  extraHeaders?: Record<string, string | string[]>;
  status?: number;
}

export interface AuthOutcome {
  authData: Record<string, unknown> | null;
}

/** Reads a thrown value as Encore does: code, message, details; anything unknown is internal. */
export function errorParts(err: unknown): { code: string; message: string; details: Record<string, unknown> | null; internal: boolean } {
  const e = err as { code?: unknown; message?: unknown; details?: unknown } | null;
  const code = e && typeof e.code === "string" && KNOWN_CODES.has(e.code) ? e.code : null;
  if (!code || code === "internal" || code === "unknown") {
    // A database that cannot be reached is transient: 503 with a retry hint, never 500.
    if (isDatabaseUnavailable(err)) return { ...databaseUnavailableParts(), internal: false };
    return { code: code ?? "internal", message: "an internal error occurred", details: null, internal: true };
  }
  const details = e!.details && typeof e!.details === "object" ? (e!.details as Record<string, unknown>) : null;
  return { code, message: typeof e!.message === "string" ? e!.message : code, details, internal: false };
}

const KNOWN_CODES = new Set(ERROR_CODES);

export function paramsSchema(p: ParamsMeta): Schema {
  return { kind: "object", fields: p.fields };
}

export class Dispatcher {
  readonly endpoints = new Map<string, EndpointMeta>();
  private readonly routes = new Map<string, ApiRoute>();
  private authFn: ((req: Request) => unknown) | null = null;
  private readonly decodeOpts: { decimal: (s: string) => unknown };

  constructor(
    readonly meta: AppMeta,
    private readonly log: Logger,
    decimal: (s: string) => unknown,
  ) {
    this.decodeOpts = { decimal };
    for (const svc of meta.services) for (const ep of svc.endpoints) this.endpoints.set(key(ep.service, ep.name), ep);
  }

  register(route: ApiRoute): void {
    const k = key(route.service, route.name);
    this.routes.set(k, route);
    const waiting = this.awaited.get(k);
    if (waiting) {
      this.awaited.delete(k);
      waiting.resolve(route);
    }
  }

  /**
   * Calls made while the app's modules load (an `initClients()` at the top of a module) come before
   * the entrypoint registers the handlers: they wait for the endpoint's registration, as they
   * would wait for the service to come up under Encore.
   */
  private readonly awaited = new Map<string, { promise: Promise<ApiRoute>; resolve: (r: ApiRoute) => void }>();
  private registered(k: string): Promise<ApiRoute> {
    let w = this.awaited.get(k);
    if (!w) {
      let resolve!: (r: ApiRoute) => void;
      const promise = new Promise<ApiRoute>((r) => (resolve = r));
      w = { promise, resolve };
      this.awaited.set(k, w);
    }
    return w.promise;
  }

  route(service: string, name: string): ApiRoute | undefined {
    return this.routes.get(key(service, name));
  }

  setAuthHandler(fn: ((req: Request) => unknown) | null): void {
    this.authFn = fn;
  }

  get hasAuthHandler(): boolean {
    return this.authFn !== null && this.meta.authHandler !== null;
  }

  get types() {
    return this.meta.types;
  }

  get decimalOptions() {
    return this.decodeOpts;
  }

  /** Runs the gateway's auth handler on already-decoded auth params. */
  async authenticate(params: Record<string, unknown>, apiCall: APICallData | undefined): Promise<AuthOutcome> {
    if (!this.authFn) return { authData: null };
    const req = new Request({ payload: params, apiCall });
    let result: unknown;
    try {
      result = await inNewContext(() => this.authFn!(req));
    } catch (err) {
      // Encore: `unauthenticated` lets the request continue anonymously; anything else fails it.
      if ((err as { code?: unknown })?.code === "unauthenticated") return { authData: null };
      throw err;
    }
    if (result === null || result === undefined) return { authData: null };
    const data = result as Record<string, unknown>;
    if (typeof data !== "object" || typeof data.userID !== "string") {
      this.log.error("auth handler returned auth data without a string userID; treating the request as unauthenticated");
      return { authData: null };
    }
    return { authData: data };
  }

  /** Calls a typed handler with a Request already built, in its own async context. */
  async invoke(route: ApiRoute, req: Request, ...extra: unknown[]): Promise<HandlerResult> {
    const out = await inNewContext(() => route.handler(req, ...extra));
    return (out ?? { payload: undefined }) as HandlerResult;
  }

  /** Service-to-service call (`~encore/clients`): resolves with the response or an ApiCallError. */
  async apiCall(
    service: string,
    endpoint: string,
    payload: unknown,
    source: Request | null | undefined,
    opts: { authData?: Record<string, unknown> } | null | undefined,
  ): Promise<Record<string, unknown> | null | ApiCallError> {
    const ep = this.endpoints.get(key(service, endpoint));
    let route = this.routes.get(key(service, endpoint));
    if (ep && !route && !ep.static) route = await this.registered(key(service, endpoint));
    if (!ep || !route) return new ApiCallError("not_found", `endpoint not found: ${service}.${endpoint}`);
    if (route.raw || route.streamingRequest || route.streamingResponse) {
      return new ApiCallError("invalid_argument", `${service}.${endpoint} cannot be called as a typed API`);
    }
    let decoded: Record<string, unknown> | null;
    try {
      decoded = decodeParams(ep.request, toJSON(ep.request ? paramsSchema(ep.request) : { kind: "any" }, payload, this.types), this.types, this.decodeOpts);
    } catch (err) {
      if (err instanceof ValidationError) return new ApiCallError("invalid_argument", err.message);
      throw err;
    }
    const authData = opts?.authData ?? (source?.getAuthData() as Record<string, unknown> | null) ?? null;
    if (authData !== null && typeof authData.userID !== "string") {
      return new ApiCallError("invalid_argument", "authData must contain a string userID");
    }
    if (ep.auth && !authData) return new ApiCallError("unauthenticated", "endpoint requires auth but none provided");
    const path = ep.path;
    const req = new Request({
      payload: decoded,
      authData,
      apiCall: {
        api: { service, endpoint, raw: false, requiresAuth: ep.auth, tags: ep.tags },
        method: ep.methods[0] === "*" ? "POST" : ep.methods[0],
        path,
        pathAndQuery: path,
        pathParams: {},
        parsedPayload: decoded ?? undefined,
        headers: {},
      },
      trace: source ? { traceId: source.trace.traceId, spanId: newSpanId(), parentSpanId: source.trace.spanId } : undefined,
      parent: source,
    });
    const started = performance.now();
    const span = (error?: string) =>
      source?.tracing &&
      source.recordSpan({ kind: "call", name: `${service}.${endpoint}`, detail: ep.path, startMs: started, durationMs: performance.now() - started, error });
    try {
      const res = await this.invoke(route, req);
      span();
      if (!ep.response || res.payload === undefined || res.payload === null) return null;
      const schema = paramsSchema(ep.response);
      return decodeMessage(schema, toJSON(schema, res.payload, this.types), this.types, this.decodeOpts) as Record<string, unknown>;
    } catch (err) {
      const parts = errorParts(err);
      span(parts.code);
      if (parts.internal) this.log.log(req, 5, "internal error in service-to-service call", err instanceof Error ? err : new Error(String(err)));
      return new ApiCallError(parts.code, parts.message, parts.details);
    }
  }
}

function key(service: string, name: string): string {
  return `${service}.${name}`;
}

/** The JSON a value becomes on the wire (Dates as RFC 3339, Decimals and BigInts as strings). */
function toJSON(schema: Schema, value: unknown, types: Record<string, Schema>): unknown {
  if (value === undefined || value === null) return value ?? null;
  return JSON.parse(JSON.stringify(toJSONValue(schema, value, types)));
}
