// What the provider fakes share: a real HTTP server on 127.0.0.1 (port 0), a record of every
// request, and faults queued by tests (429 with Retry-After, 5xx, a hang, a malformed body) that
// the next requests consume in order before the fake answers normally again.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A fault the next matching request gets instead of a normal answer. */
export type Fault =
  | { kind: "status"; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: "rate_limit"; retryAfterSeconds: number; body?: unknown; headers?: Record<string, string> }
  | { kind: "hang" }
  | { kind: "malformed" };

/** A request as the fake received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A running fake. */
export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  /** Queues `fault` for the next `times` requests. */
  inject(fault: Fault, times?: number): void;
  close(): Promise<void>;
}

/** The provider's own handling of a request that got no fault. */
export type Handler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

/** Starts a fake on 127.0.0.1:0 answering with `handle` unless a fault is queued. */
export async function startFake(handle: Handler): Promise<FakeServer> {
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const u = new URL(req.url ?? "/", "http://127.0.0.1");
    const recorded: RecordedRequest = {
      method: req.method ?? "GET",
      path: u.pathname,
      query: u.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    requests.push(recorded);
    const fault = faults.shift();
    try {
      if (!fault) return await handle(recorded, res);
      switch (fault.kind) {
        case "hang":
          hanging.add(res);
          return; // never answers; the client's timeout must fire
        case "malformed":
          res.writeHead(200, { "content-type": "application/json" }).end('{"data": [ {"id": "1", tru');
          return;
        case "rate_limit":
          res
            .writeHead(429, { "content-type": "application/json", "retry-after": String(fault.retryAfterSeconds), ...fault.headers })
            .end(JSON.stringify(fault.body ?? { error: "rate limited" }));
          return;
        case "status":
          res
            .writeHead(fault.status, { "content-type": "application/json", ...fault.headers })
            .end(JSON.stringify(fault.body ?? { error: `injected ${fault.status}` }));
          return;
      }
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: String(err) }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    inject(fault, times = 1) {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes a JSON answer. */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

/** A clock for client tests: real time (so timeouts fire), but sleeps are recorded and skipped, so a Retry-After of seconds costs nothing. */
export class FastClock {
  readonly sleeps: number[] = [];
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.offset += ms;
  }
}
