// The native runtime's Request: what the SDK's handlers, auth handler and subscriptions receive.
import { randomBytes } from "node:crypto";

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

export function newTraceId(): string {
  return randomBytes(16).toString("hex");
}
export function newSpanId(): string {
  return randomBytes(8).toString("hex");
}

export interface RequestInit {
  payload: unknown;
  authData?: Record<string, unknown> | null;
  apiCall?: APICallData;
  pubsubMessage?: PubSubMessageData;
  trace?: TraceData;
}

export class Request {
  private readonly startedAt = new Date().toISOString();
  private readonly init: RequestInit;
  readonly trace: TraceData;

  constructor(init: RequestInit) {
    this.init = init;
    this.trace = init.trace ?? { traceId: newTraceId(), spanId: newSpanId() };
  }

  payload(): unknown {
    return this.init.payload === undefined ? null : this.init.payload;
  }

  meta(): RequestMeta {
    return {
      startedAt: this.startedAt,
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
