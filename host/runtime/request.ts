// The native runtime's Request: what the SDK's handlers, auth handler and subscriptions receive.
import { randomFillSync } from "node:crypto";

export interface APIDesc {
  service: string;
  endpoint: string;
  raw: boolean;
  requiresAuth: boolean;
  tags: string[];
}

export interface APICallData {
  api: APIDesc;
  method: string;
  path: string;
  pathAndQuery: string;
  pathParams?: Record<string, unknown>;
  parsedPayload?: unknown;
  headers: Record<string, string | string[]>;
}

export interface PubSubMessageData {
  service: string;
  topic: string;
  subscription: string;
  id: string;
  publishedAt: string;
  deliveryAttempt: number;
  parsedPayload?: unknown;
}

export interface TraceData {
  traceId: string;
  spanId: string;
  parentTraceId?: string;
  parentSpanId?: string;
  extCorrelationId?: string;
}

export interface RequestMeta {
  startedAt: string;
  trace?: TraceData;
  apiCall?: APICallData;
  pubsubMessage?: PubSubMessageData;
}

// Ids come from a pooled random buffer: one randomFillSync per few hundred requests instead of
// one per id, which showed up in the request path's profile.
const POOL_BYTES = 8192;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;
function randomHex(bytes: number): string {
  if (poolOffset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const hex = pool.toString("hex", poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return hex;
}
export function newTraceId(): string {
  return randomHex(16);
}
export function newSpanId(): string {
  return randomHex(8);
}

/** One step of a request's work, for the dev dashboard: a query, a service call, a publish. */
export interface Span {
  kind: "sql" | "call" | "publish";
  name: string; // the database, the called endpoint, the topic
  detail: string;
  startMs: number; // performance.now() at start
  durationMs: number;
  error?: string;
}

/** What runtime code records spans on (a Request that keeps a trace). */
export interface SpanSink {
  readonly tracing: boolean;
  recordSpan(span: Span): void;
}

const MAX_SPANS = 100;

export interface RequestInit {
  payload: unknown;
  authData?: Record<string, unknown> | null;
  apiCall?: APICallData;
  pubsubMessage?: PubSubMessageData;
  trace?: TraceData;
  /** Keep the spans of this request's work (the dev dashboard's request log). */
  tracing?: boolean;
  /** The request this one serves (an in-process service call): its spans go to the parent's trace. */
  parent?: Request | null;
}

export class Request implements SpanSink {
  private readonly startedMs = Date.now();
  private readonly init: RequestInit;
  private traceData: TraceData | undefined;
  readonly tracing: boolean;
  /** Recorded work, oldest first (bounded); null when not tracing. */
  readonly spans: Span[] | null;
  spansDropped = 0;

  constructor(init: RequestInit) {
    this.init = init;
    this.traceData = init.trace;
    this.tracing = init.parent ? init.parent.tracing : init.tracing === true;
    this.spans = init.parent ? init.parent.spans : this.tracing ? [] : null;
  }

  recordSpan(span: Span): void {
    if (!this.spans) return;
    if (this.spans.length < MAX_SPANS) this.spans.push(span);
    else this.spansDropped++;
  }

  get startedAtMs(): number {
    return this.startedMs;
  }

  get authUserID(): string | null {
    const auth = this.init.authData as { userID?: unknown } | null | undefined;
    return auth && typeof auth.userID === "string" ? auth.userID : null;
  }

  /** Created on first use: most requests never log or call another service. */
  get trace(): TraceData {
    return (this.traceData ??= { traceId: newTraceId(), spanId: newSpanId() });
  }

  payload(): unknown {
    return this.init.payload === undefined ? null : this.init.payload;
  }

  meta(): RequestMeta {
    return {
      startedAt: new Date(this.startedMs).toISOString(),
      trace: this.trace,
      apiCall: this.init.apiCall,
      pubsubMessage: this.init.pubsubMessage,
    };
  }

  getAuthData(): unknown {
    return this.init.authData ?? null;
  }

  /** Fields every log line written during this request carries. */
  logFields(): Record<string, unknown> {
    const f: Record<string, unknown> = { trace_id: this.trace.traceId, span_id: this.trace.spanId };
    const a = this.init.apiCall;
    if (a) {
      f.service = a.api.service;
      f.endpoint = a.api.endpoint;
    }
    const m = this.init.pubsubMessage;
    if (m) {
      f.service = m.service;
      f.topic = m.topic;
      f.subscription = m.subscription;
      f.message_id = m.id;
    }
    const auth = this.init.authData as { userID?: unknown } | null | undefined;
    if (auth && typeof auth.userID === "string") f.uid = auth.userID;
    return f;
  }
}

/** The error an API call resolves with on failure; the SDK turns it into an APIError. */
export class ApiCallError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
  constructor(code: string, message: string, details?: Record<string, unknown> | null) {
    this.code = code;
    this.message = message;
    if (details != null) this.details = details;
  }
}
