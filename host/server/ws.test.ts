// Streaming endpoints end to end: a handcrafted app's metadata, a real HttpServer on port 0, stream
// handlers wrapped the way the SDK's transformHandler wraps them, and real `ws` clients.
import { AsyncLocalStorage } from "node:async_hooks";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { WebSocket } from "ws";
import type { AppMeta, EndpointMeta, FieldMeta, ParamsMeta, Schema } from "../meta.ts";
import { Dispatcher, type ApiRoute } from "../runtime/dispatch.ts";
import { Logger, LogLevel } from "../runtime/log.ts";
import { Request } from "../runtime/request.ts";
import {
  type Sink,
  Socket,
  Stream,
  StreamCallError,
  StreamClosedError,
  StreamConn,
  StreamManager,
  clampReason,
  type StreamOptions,
  type StreamPeer,
  type Transport,
} from "../runtime/streams.ts";
import { HttpServer } from "./http.ts";
import { mergeHeaders, unpackProtocols } from "./ws.ts";

// ---------------------------------------------------------------------------------------------
// The fixture app's metadata, as the parser would write it.

const str: Schema = { kind: "string" };
const num: Schema = { kind: "number" };
const bool: Schema = { kind: "boolean" };
const date: Schema = { kind: "date" };

function field(name: string, schema: Schema, extra: Partial<FieldMeta> = {}): FieldMeta {
  return { name, schema, optional: false, ...extra };
}
function obj(...fields: FieldMeta[]): Schema {
  return { kind: "object", fields };
}
function params(...fields: FieldMeta[]): ParamsMeta {
  return { fields };
}

type Dir = "in" | "out" | "inout";

function endpoint(
  name: string,
  path: string,
  dir: Dir,
  o: { handshake?: ParamsMeta; streamIn?: Schema; streamOut?: Schema; response?: ParamsMeta; auth?: boolean; expose?: boolean } = {},
): EndpointMeta {
  return {
    service: "live",
    name,
    file: "live/stream.ts",
    line: 1,
    methods: ["GET"],
    path,
    segments: path
      .slice(1)
      .split("/")
      .map((s) => (s.startsWith(":") ? { type: "param", value: s.slice(1) } : { type: "literal", value: s })),
    expose: o.expose ?? true,
    auth: o.auth ?? false,
    raw: false,
    streamingRequest: dir !== "out",
    streamingResponse: dir !== "in",
    tags: [],
    bodyLimit: 2 * 1024 * 1024,
    sensitive: false,
    request: o.handshake ?? null,
    response: o.response ?? null,
    handshake: o.handshake ?? null,
    streamIn: o.streamIn ?? null,
    streamOut: o.streamOut ?? null,
  };
}

const textAt = obj(field("text", str), field("at", date));

const endpoints: EndpointMeta[] = [
  endpoint("ticks", "/ticks/:room", "out", {
    handshake: params(
      field("room", str, { location: "path" }),
      field("count", num, { location: "query" }),
      field("since", date, { location: "query", optional: true }),
    ),
    streamOut: obj(field("room", str), field("n", num), field("since", date, { optional: true }), field("sinceWasDate", bool)),
  }),
  endpoint("whoami", "/whoami", "out", {
    auth: true,
    handshake: params(field("trace", str, { location: "header", wireName: "X-Trace", optional: true })),
    streamOut: obj(field("userID", str), field("trace", str, { optional: true })),
  }),
  endpoint("upload", "/upload", "in", {
    streamIn: textAt,
    response: params(field("lines", num), field("allDates", bool)),
  }),
  endpoint("echo", "/echo", "inout", {
    streamIn: textAt,
    streamOut: obj(field("text", str), field("at", date), field("wasDate", bool)),
  }),
  endpoint("feed", "/feed", "out", { streamOut: obj(field("seq", num), field("body", str)) }),
  endpoint("fail", "/fail", "out", {
    handshake: params(field("internal", bool, { location: "query", optional: true })),
    streamOut: obj(field("n", num)),
  }),
  endpoint("relay", "/relay", "inout", {
    expose: false,
    handshake: params(field("prefix", str, { location: "default" })),
    streamIn: textAt,
    streamOut: obj(field("text", str), field("at", date), field("wasDate", bool), field("user", str)),
  }),
  endpoint("sum", "/sum", "in", {
    expose: false,
    auth: true,
    streamIn: obj(field("n", num)),
    response: params(field("total", num), field("user", str)),
  }),
];

const meta: AppMeta = {
  version: 1,
  appId: "streams-test",
  cors: { allowOriginsWithoutCredentials: ["*"], allowOriginsWithCredentials: [], allowHeaders: [], exposeHeaders: [] },
  services: [{ name: "live", dir: "live", file: "live/encore.service.ts", hasMiddlewares: false, endpoints, databases: [] }],
  gateways: [{ name: "api-gateway", file: "auth/auth.ts", bindName: "gateway", authHandler: "auth" }],
  authHandler: {
    service: "auth",
    name: "auth",
    file: "auth/auth.ts",
    line: 1,
    params: params(field("authorization", str, { location: "header", wireName: "Authorization" })),
    authData: obj(field("userID", str)),
  },
  databases: [],
  topics: [],
  subscriptions: [],
  cronJobs: [],
  secrets: [],
  types: {},
};

// ---------------------------------------------------------------------------------------------
// Handlers, wrapped as the SDK's transformHandler does (encore.dev/internal/appinit/mod.ts): the
// runtime's stream object becomes an async-iterable wrapper, the current request is tracked with
// AsyncLocalStorage.enterWith, the handler gets (payload, stream) or (stream).

const currentRequest = new AsyncLocalStorage<Request>();
const getAuthData = () => currentRequest.getStore()?.getAuthData() as { userID: string } | null;

class IterableStream {
  constructor(private readonly s: Stream | Socket) {}
  recv() {
    return this.s.recv();
  }
  async *[Symbol.asyncIterator]() {
    while (true) {
      try {
        yield (await this.s.recv()) as Record<string, any>;
      } catch {
        break;
      }
    }
  }
}
class IterableSocket extends IterableStream {
  constructor(private readonly sock: Socket) {
    super(sock);
  }
  send(msg: Record<string, any>) {
    return this.sock.send(msg);
  }
  close() {
    this.sock.close();
  }
}
class SdkSink {
  constructor(private readonly sink: Sink) {}
  send(msg: Record<string, any>) {
    return this.sink.send(msg);
  }
  close() {
    this.sink.close();
  }
}

type SdkStream = IterableStream & IterableSocket & SdkSink;

function route(name: string, fn: (...args: any[]) => Promise<unknown>): ApiRoute {
  const ep = endpoints.find((e) => e.name === name)!;
  return {
    service: "live",
    name,
    raw: false,
    streamingRequest: ep.streamingRequest,
    streamingResponse: ep.streamingResponse,
    handler: (req: Request, stream: Sink | Stream | Socket) => {
      currentRequest.enterWith(req);
      const arg = stream instanceof Stream ? new IterableStream(stream) : stream instanceof Socket ? new IterableSocket(stream) : new SdkSink(stream);
      const payload = req.payload();
      const out = payload !== null ? fn(payload, arg) : fn(arg);
      return out.then((p) => ({ payload: p }));
    },
  };
}

/** What the handlers observed, for the tests to assert on. */
const seen = {
  echoEnded: [] as { recvEnded: boolean; sendError: unknown }[],
  relayEnded: 0,
};

/** A fan-out hub: the feed endpoint's subscribers, fed by publish(). */
const hub = {
  subs: new Set<{ sink: SdkStream; gone: (err: unknown) => void }>(),
  errors: [] as unknown[],
  publish(msg: Record<string, unknown>) {
    for (const s of [...this.subs]) {
      try {
        s.sink.send(msg);
      } catch (err) {
        this.subs.delete(s);
        this.errors.push(err);
        s.gone(err);
      }
    }
  },
};

const routes: ApiRoute[] = [
  route("ticks", async (p: { room: string; count: number; since?: Date }, s: SdkStream) => {
    for (let n = 0; n < p.count; n++) s.send({ room: p.room, n, since: p.since, sinceWasDate: p.since instanceof Date });
  }),
  route("whoami", async (p: { trace?: string }, s: SdkStream) => {
    s.send({ userID: getAuthData()!.userID, trace: p.trace });
  }),
  route("upload", async (s: SdkStream) => {
    let lines = 0;
    let allDates = true;
    for await (const m of s) {
      lines++;
      allDates &&= m.at instanceof Date;
      if (m.text === "done") break;
    }
    return { lines, allDates };
  }),
  route("echo", async (s: SdkStream) => {
    for await (const m of s) s.send({ text: m.text, at: m.at, wasDate: m.at instanceof Date });
    // The loop ended because recv() rejected: the client has gone, so send must throw.
    let sendError: unknown = null;
    try {
      s.send({ text: "after", at: new Date(), wasDate: true });
    } catch (err) {
      sendError = err;
    }
    seen.echoEnded.push({ recvEnded: true, sendError });
  }),
  route("feed", (s: SdkStream) => new Promise<void>((resolve) => hub.subs.add({ sink: s, gone: () => resolve() }))),
  route("fail", async (p: { internal?: boolean }, s: SdkStream) => {
    s.send({ n: 1 });
    if (p.internal) throw new Error("database exploded");
    throw Object.assign(new Error("no access to this room"), { code: "permission_denied" });
  }),
  route("relay", async (p: { prefix: string }, s: SdkStream) => {
    for await (const m of s) s.send({ text: p.prefix + m.text, at: m.at, wasDate: m.at instanceof Date, user: getAuthData()?.userID ?? "anonymous" });
    seen.relayEnded++;
  }),
  route("sum", async (s: SdkStream) => {
    let total = 0;
    for await (const m of s) {
      if (m.n === 0) break;
      total += m.n;
    }
    return { total, user: getAuthData()!.userID };
  }),
];

// ---------------------------------------------------------------------------------------------
// Server and client helpers.

interface Served {
  url: string;
  manager: StreamManager;
  dispatcher: Dispatcher;
  http: HttpServer;
  logs: string[];
  close(): Promise<void>;
}

async function serve(options: StreamOptions = {}): Promise<Served> {
  const logs: string[] = [];
  const log = new Logger(LogLevel.Warn, {}, (line) => logs.push(line));
  const dispatcher = new Dispatcher(meta, log, (s) => s);
  for (const r of routes) dispatcher.register(r);
  dispatcher.setAuthHandler((req) => {
    const p = req.payload() as { authorization: string };
    if (p.authorization === "Bearer good") return { userID: "u1" };
    throw Object.assign(new Error("bad token"), { code: "unauthenticated" });
  });
  const http = new HttpServer({ meta, dispatcher, log, port: 0, host: "127.0.0.1" });
  const manager = new StreamManager({ dispatcher, log }, options);
  manager.attach(http);
  const port = await http.listen();
  return {
    url: `ws://127.0.0.1:${port}`,
    manager,
    dispatcher,
    http,
    logs,
    async close() {
      await manager.closeAll();
      await http.close(1_000);
    },
  };
}

/** A client whose messages and close are recorded from the start (nothing is missed). */
class Client {
  readonly ws: WebSocket;
  private readonly queue: unknown[] = [];
  private waiting: ((v: unknown) => void) | null = null;
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly refused: Promise<{ status: number; body: any }>;
  pings = 0;

  constructor(url: string, opts: { protocols?: string[]; headers?: Record<string, string>; autoPong?: boolean } = {}) {
    this.ws = new WebSocket(url, opts.protocols ?? ["encore-ws"], { headers: opts.headers, autoPong: opts.autoPong ?? true });
    this.ws.on("message", (data) => {
      const msg = JSON.parse(data.toString());
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w(msg);
      } else this.queue.push(msg);
    });
    this.ws.on("ping", () => this.pings++);
    this.ws.on("error", () => {});
    this.opened = new Promise((resolve, reject) => {
      this.ws.once("open", () => resolve());
      this.ws.once("unexpected-response", () => reject(new Error("upgrade refused")));
      this.ws.once("error", reject);
    });
    this.opened.catch(() => {});
    this.closed = new Promise((resolve) => this.ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));
    this.refused = new Promise((resolve) => {
      this.ws.once("unexpected-response", (_req, res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      });
    });
  }

  next(): Promise<any> {
    if (this.queue.length > 0) return Promise.resolve(this.queue.shift());
    return new Promise((resolve) => (this.waiting = resolve));
  }

  send(msg: unknown) {
    this.ws.send(JSON.stringify(msg));
  }
}

function packHeaders(headers: Record<string, string>): string {
  return `encore.dev.headers.${Buffer.from(JSON.stringify(headers)).toString("base64url")}`;
}

// ---------------------------------------------------------------------------------------------

describe("streams over WebSocket", () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve({ maxBufferedBytes: 256 * 1024 });
  });
  afterAll(async () => {
    await s.close();
  });

  test("streamOut decodes the handshake from path and query, sends each message, then closes normally", async () => {
    const c = new Client(`${s.url}/ticks/lobby?count=3&since=2024-05-01T12:00:00%2B02:00`);
    await c.opened;
    expect(c.ws.protocol).toBe("encore-ws");
    const got = [await c.next(), await c.next(), await c.next()];
    expect(got).toEqual([0, 1, 2].map((n) => ({ room: "lobby", n, since: "2024-05-01T10:00:00.000Z", sinceWasDate: true })));
    expect(await c.closed).toEqual({ code: 1000, reason: "" });
  });

  test("a handshake that fails validation gets 400 before the upgrade", async () => {
    const c = new Client(`${s.url}/ticks/lobby?count=lots`);
    const r = await c.refused;
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: "invalid_argument", details: null });
    expect(r.body.message).toContain("count");
  });

  test("an unknown path, or a private endpoint, gets 404 before the upgrade", async () => {
    expect((await new Client(`${s.url}/nowhere`).refused).status).toBe(404);
    const r = await new Client(`${s.url}/relay?prefix=x`).refused;
    expect(r).toEqual({ status: 404, body: { code: "not_found", message: "endpoint not found", details: null } });
  });

  test("an endpoint that requires auth refuses an upgrade without credentials with 401", async () => {
    const r = await new Client(`${s.url}/whoami`).refused;
    expect(r.status).toBe(401);
    expect(r.body.code).toBe("unauthenticated");
    const bad = await new Client(`${s.url}/whoami`, { headers: { Authorization: "Bearer wrong" } }).refused;
    expect(bad.status).toBe(401);
  });

  test("auth and header fields come from the upgrade request's headers", async () => {
    const c = new Client(`${s.url}/whoami`, { headers: { Authorization: "Bearer good", "X-Trace": "t-1" } });
    expect(await c.next()).toEqual({ userID: "u1", trace: "t-1" });
    expect((await c.closed).code).toBe(1000);
  });

  test("a browser's headers packed into the encore.dev.headers subprotocol authenticate and decode", async () => {
    const c = new Client(`${s.url}/whoami`, { protocols: ["encore-ws", packHeaders({ authorization: "Bearer good", "x-trace": "from-browser" })] });
    await c.opened;
    expect(c.ws.protocol).toBe("encore-ws");
    expect(await c.next()).toEqual({ userID: "u1", trace: "from-browser" });
  });

  test("a packed header a browser may not set is refused with 400", async () => {
    const r = await new Client(`${s.url}/whoami`, { protocols: ["encore-ws", packHeaders({ host: "evil" })] }).refused;
    expect(r.status).toBe(400);
    expect(r.body.message).toContain("host");
  });

  test("streamIn receives decoded messages and answers with one response message", async () => {
    const c = new Client(`${s.url}/upload`);
    await c.opened;
    c.send({ text: "a", at: "2024-01-01T00:00:00Z" });
    c.send({ text: "b", at: "2024-01-02T00:00:00Z" });
    c.send({ text: "done", at: "2024-01-03T00:00:00Z" });
    expect(await c.next()).toEqual({ lines: 3, allDates: true });
    expect((await c.closed).code).toBe(1000);
  });

  test("streamInOut echoes with Dates restored; at the client's close recv ends and send throws", async () => {
    const before = seen.echoEnded.length;
    const c = new Client(`${s.url}/echo`);
    await c.opened;
    c.send({ text: "hi", at: "2024-03-04T05:06:07.089Z" });
    expect(await c.next()).toEqual({ text: "hi", at: "2024-03-04T05:06:07.089Z", wasDate: true });
    c.send({ text: "again", at: "2024-03-04T05:06:08Z" });
    expect((await c.next()).text).toBe("again");
    c.ws.close(1000);
    await expect.poll(() => seen.echoEnded.length, { message: "the echo handler to end" }).toBeGreaterThan(before);
    const ended = seen.echoEnded[before];
    expect(ended.recvEnded).toBe(true);
    expect(ended.sendError).toBeInstanceOf(StreamClosedError);
  });

  test("a message that does not fit the schema closes the socket with 1007", async () => {
    const c = new Client(`${s.url}/echo`);
    await c.opened;
    c.send({ text: 42, at: "2024-03-04T05:06:07Z" });
    const closed = await c.closed;
    expect(closed.code).toBe(1007);
    expect(closed.reason).toContain("text");
  });

  test("a handler that throws closes with 1011 and the error's code and public message", async () => {
    const c = new Client(`${s.url}/fail`);
    expect(await c.next()).toEqual({ n: 1 });
    expect(await c.closed).toEqual({ code: 1011, reason: "permission_denied: no access to this room" });

    const logged = s.logs.length;
    const d = new Client(`${s.url}/fail?internal=true`);
    expect(await d.closed).toEqual({ code: 1011, reason: "internal: an internal error occurred" });
    await expect.poll(() => s.logs.length, { message: "the internal error to be logged" }).toBeGreaterThan(logged);
    expect(s.logs.slice(logged).join("\n")).toContain("database exploded");
  });

  test("a sink's send throws once its client has gone, ending the handler's send loop", async () => {
    const c = new Client(`${s.url}/feed`);
    await c.opened;
    await expect.poll(() => hub.subs.size, { message: "the subscriber to register" }).toBe(1);
    hub.publish({ seq: 0, body: "first" });
    expect(await c.next()).toEqual({ seq: 0, body: "first" });
    c.ws.close(1000);
    await c.closed;
    const errors = hub.errors.length;
    await expect
      .poll(
        () => {
          hub.publish({ seq: 1, body: "anyone?" });
          return hub.errors.length > errors;
        },
        { message: "send to fail" },
      )
      .toBe(true);
    expect(hub.errors[errors]).toBeInstanceOf(StreamClosedError);
    expect(hub.subs.size).toBe(0);
  });

  test("a slow consumer is cut off with 1008 while another subscriber keeps receiving promptly", async () => {
    const slow = new Client(`${s.url}/feed`);
    const fast = new Client(`${s.url}/feed`);
    await Promise.all([slow.opened, fast.opened]);
    await expect.poll(() => hub.subs.size, { message: "both subscribers" }).toBe(2);
    slow.ws.pause(); // stops reading: the kernel buffers fill, then the server's queue grows

    const body = "x".repeat(16 * 1024);
    const latencies: number[] = [];
    let seq = 0;
    for (; hub.subs.size === 2; seq++) {
      if (seq > 20_000) throw new Error("the slow consumer was never cut off");
      const t0 = performance.now();
      hub.publish({ seq, body });
      expect((await fast.next()).seq).toBe(seq);
      latencies.push(performance.now() - t0);
    }
    // The fast one is unaffected, before and after the cut-off.
    for (let i = 0; i < 10; i++, seq++) {
      hub.publish({ seq, body: "after" });
      expect(await fast.next()).toEqual({ seq, body: "after" });
    }
    latencies.sort((a, b) => a - b);
    expect(latencies[latencies.length - 1]).toBeLessThan(500);

    slow.ws.resume(); // it reads what was queued, then the close
    expect(await slow.closed).toEqual({ code: 1008, reason: "slow consumer" });
    fast.ws.close();
  });

  test("one message larger than the buffer limit reaches a client that keeps up, without a slow-consumer close", async () => {
    const c = new Client(`${s.url}/feed`);
    await c.opened;
    await expect.poll(() => hub.subs.size, { message: "the subscriber" }).toBeGreaterThanOrEqual(1);
    const body = "y".repeat(8 * 1024 * 1024); // far beyond maxBufferedBytes and the kernel's socket buffers
    hub.publish({ seq: 1, body });
    expect(await c.next()).toEqual({ seq: 1, body });
    hub.publish({ seq: 2, body: "small" });
    expect(await c.next()).toEqual({ seq: 2, body: "small" });
    c.ws.close();
  });
});

describe("stream lifecycle", () => {
  test("closeAll closes every open stream with 1001 and refuses new upgrades", async () => {
    const s = await serve();
    try {
      const a = new Client(`${s.url}/echo`);
      const b = new Client(`${s.url}/feed`);
      await Promise.all([a.opened, b.opened]);
      await expect.poll(() => s.manager.size, { message: "both streams" }).toBe(2);
      await s.manager.closeAll();
      expect(await a.closed).toEqual({ code: 1001, reason: "server shutting down" });
      expect(await b.closed).toEqual({ code: 1001, reason: "server shutting down" });
      expect(s.manager.size).toBe(0);
      const late = await new Client(`${s.url}/echo`).refused;
      expect(late.status).toBe(503);
    } finally {
      hub.subs.clear();
      await s.close();
    }
  });

  test("pings keep a live connection open and terminate a peer that stops answering", async () => {
    const s = await serve({ pingIntervalMs: 20 });
    try {
      const live = new Client(`${s.url}/echo`);
      const dead = new Client(`${s.url}/echo`, { autoPong: false });
      await Promise.all([live.opened, dead.opened]);
      const closed = await dead.closed;
      expect(closed.code).toBe(1006); // terminated, no close frame
      await expect.poll(() => live.pings, { message: "several pings" }).toBeGreaterThanOrEqual(4);
      expect(live.ws.readyState).toBe(WebSocket.OPEN);
      live.send({ text: "still here", at: "2024-01-01T00:00:00Z" });
      expect((await live.next()).text).toBe("still here");
    } finally {
      await s.close();
    }
  });
});

describe("in-process service-to-service streams", () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve();
  });
  afterAll(async () => {
    await s.close();
  });

  test("connect() runs a private streamInOut handler with the handshake, auth data and messages through JSON", async () => {
    const ended = seen.relayEnded;
    const client = await s.manager.connect("live", "relay", { prefix: ">" }, null, { authData: { userID: "svc" } });
    const at = new Date("2024-06-01T10:00:00.123Z");
    client.send({ text: "one", at, ignored: "not in the schema" });
    const reply = await client.recv();
    expect(reply).toEqual({ text: ">one", at, wasDate: true, user: "svc" });
    expect(reply.at).toBeInstanceOf(Date);
    client.close();
    await expect.poll(() => seen.relayEnded, { message: "the handler to see the end of the stream" }).toBeGreaterThan(ended);
    expect(() => client.send({ text: "late", at })).toThrow(StreamClosedError);
    await expect(client.recv()).rejects.toBeInstanceOf(StreamClosedError);
  });

  test("connect() takes auth data from the calling request and returns a streamIn response", async () => {
    const source = new Request({ payload: null, authData: { userID: "caller" } });
    const client = await s.manager.connect("live", "sum", undefined, source, null);
    client.send({ n: 2 });
    client.send({ n: 40 });
    client.send({ n: 0 });
    expect(await client.recv()).toEqual({ total: 42, user: "caller" });
    await expect(client.recv()).rejects.toBeInstanceOf(StreamClosedError);
  });

  test("connect() refuses unknown endpoints, missing auth and invalid handshakes with Encore codes", async () => {
    await expect(s.manager.connect("live", "nope", null, null, null)).rejects.toMatchObject({ code: "not_found" });
    await expect(s.manager.connect("live", "sum", null, null, null)).rejects.toMatchObject({ code: "unauthenticated" });
    const bad = s.manager.connect("live", "relay", { prefix: 7 }, null, null);
    await expect(bad).rejects.toBeInstanceOf(StreamCallError);
    await expect(bad).rejects.toMatchObject({ code: "invalid_argument" });
  });

  test("an invalid message from an in-process caller closes the stream with 1007", async () => {
    const client = await s.manager.connect("live", "relay", { prefix: "" }, null, null);
    client.send({ text: ["not", "a", "string"], at: new Date() });
    await expect(client.recv()).rejects.toMatchObject({ closeCode: 1007 });
  });

  test("an in-process caller that stops reading is cut off with 1008 after the limit", async () => {
    const small = new StreamManager({ dispatcher: s.dispatcher, log: new Logger(LogLevel.Error, {}, () => {}) }, { maxBufferedBytes: 1024 });
    const client = await small.connect("live", "ticks", { room: "r", count: 200 }, null, null);
    let received = 0;
    const err = await (async () => {
      while (true) {
        try {
          await client.recv();
          received++;
        } catch (e) {
          return e;
        }
      }
    })();
    expect(err).toMatchObject({ closeCode: 1008 });
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(200);
  });
});

/** A transport that records what the connection does with it. */
class RecordingTransport implements Transport {
  peer!: StreamPeer;
  written: string[] = [];
  closes: [number, string][] = [];
  pauses = 0;
  resumes = 0;
  open = true;
  bind(peer: StreamPeer) {
    this.peer = peer;
  }
  write(text: string) {
    this.written.push(text);
    return true;
  }
  close(code: number, reason: string) {
    this.open = false;
    this.closes.push([code, reason]);
  }
  pause() {
    this.pauses++;
  }
  resume() {
    this.resumes++;
  }
}

describe("stream connection", () => {
  const spec = { in: textAt, out: obj(field("n", num)), types: {}, decode: {} };

  test("a handler that reads slower than its client writes pauses the transport until it catches up", async () => {
    const t = new RecordingTransport();
    const conn = new StreamConn(spec, t, 100, () => {});
    const line = JSON.stringify({ text: "x".repeat(21), at: "2024-01-01T00:00:00Z" }); // 60 bytes
    for (let i = 0; i < 5; i++) t.peer.receive(line);
    expect(t.pauses).toBe(1); // past 100 bytes unread
    for (let i = 0; i < 4; i++) await conn.recv();
    expect(t.resumes).toBe(0); // 60 bytes unread: still above half the limit
    await conn.recv();
    expect(t.resumes).toBe(1);
  });

  test("messages received before the end are still read, then recv rejects", async () => {
    const t = new RecordingTransport();
    const conn = new StreamConn(spec, t, 1_000, () => {});
    t.peer.receive(JSON.stringify({ text: "last words", at: "2024-01-01T00:00:00Z" }));
    t.peer.ended();
    expect(await conn.recv()).toEqual({ text: "last words", at: new Date("2024-01-01T00:00:00Z") });
    await expect(conn.recv()).rejects.toBeInstanceOf(StreamClosedError);
    expect(() => conn.send({ n: 1 })).toThrow(StreamClosedError);
  });

  test("send encodes by the out schema, keeping only declared fields", () => {
    const t = new RecordingTransport();
    const conn = new StreamConn(spec, t, 1_000, () => {});
    conn.send({ n: 3, secret: "not declared" });
    expect(t.written).toEqual(['{"n":3}']);
    conn.close();
    conn.close();
    expect(t.closes).toEqual([[1000, ""]]);
  });
});

describe("handshake helpers", () => {
  test("unpackProtocols separates real subprotocols from packed headers", () => {
    const packed = packHeaders({ Authorization: "Bearer t", "X-Trace": "1" });
    expect(unpackProtocols(`encore-ws, ${packed}`)).toEqual({ protocols: ["encore-ws"], headers: { authorization: "Bearer t", "x-trace": "1" } });
    expect(unpackProtocols(undefined)).toEqual({ protocols: [], headers: {} });
  });

  test("unpackProtocols refuses malformed packing and forbidden headers", () => {
    expect(() => unpackProtocols("encore.dev.headers.!!!")).toThrow(/base64url/);
    expect(() => unpackProtocols(packHeaders({ "sec-websocket-key": "x" }))).toThrow(/not allowed/);
    expect(() => unpackProtocols(`encore.dev.headers.${Buffer.from("[1]").toString("base64url")}`)).toThrow(/JSON object/);
    expect(() => unpackProtocols(packHeaders({ "x-bad": "a\r\nb" }))).toThrow(/invalid header/);
  });

  test("mergeHeaders lets packed headers win and drops the packed subprotocol", () => {
    const merged = mergeHeaders({ host: "h", "sec-websocket-protocol": "encore-ws, encore.dev.headers.e30" }, { authorization: "Bearer t" }, ["encore-ws"]);
    expect(merged).toEqual({ host: "h", authorization: "Bearer t", "sec-websocket-protocol": "encore-ws" });
  });

  test("clampReason keeps a close reason within 123 bytes of UTF-8", () => {
    expect(clampReason("short")).toBe("short");
    const long = clampReason("é".repeat(200));
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(123);
    expect(long.endsWith("…")).toBe(true);
  });
});
