// The last requests served, with the work each did (queries, service calls, publishes), for the
// dev dashboard. A fixed-size ring: memory stays bounded whatever the traffic.
import type { Request, Span } from "./request.ts";

export interface RequestLogEntry {
  id: number;
  at: string; // ISO time the request started
  method: string;
  path: string;
  endpoint: string | null; // service.name
  status: number;
  durationMs: number;
  userID: string | null;
  spans: (Omit<Span, "startMs"> & { offsetMs: number })[];
  spansDropped: number;
}

export class RequestLog {
  private readonly ring: (RequestLogEntry | undefined)[];
  private next = 0;
  private seq = 0;

  constructor(readonly capacity = 200) {
    this.ring = new Array(capacity);
  }

  record(e: { method: string; path: string; endpoint: string | null; status: number; startMs: number; endMs: number; request: Request | null }): void {
    const req = e.request;
    const spans = (req?.spans ?? []).map(({ startMs, ...rest }) => ({ ...rest, offsetMs: round(startMs - e.startMs), durationMs: round(rest.durationMs) }));
    this.ring[this.next] = {
      id: ++this.seq,
      at: new Date(Date.now() - (e.endMs - e.startMs)).toISOString(),
      method: e.method,
      path: e.path,
      endpoint: e.endpoint,
      status: e.status,
      durationMs: round(e.endMs - e.startMs),
      userID: req?.authUserID ?? null,
      spans,
      spansDropped: req?.spansDropped ?? 0,
    };
    this.next = (this.next + 1) % this.capacity;
  }

  /** Newest first. */
  list(limit = this.capacity): RequestLogEntry[] {
    const out: RequestLogEntry[] = [];
    for (let i = 1; i <= this.capacity && out.length < limit; i++) {
      const e = this.ring[(this.next - i + this.capacity) % this.capacity];
      if (e) out.push(e);
    }
    return out;
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
