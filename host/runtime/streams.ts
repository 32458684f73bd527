// Streaming endpoints (api.streamIn / streamOut / streamInOut). This module holds everything that
// does not depend on the wire: the SDK-facing stream objects (Sink, Stream, Socket,
// WebSocketClient), the connection under them (messages decoded and encoded by the endpoint's
// schemas, bounded buffers), the handler runner, and StreamManager, which serves WebSocket
// upgrades (server/ws.ts) and connects service-to-service streams in-process through an in-memory
// pipe that keeps WebSocket semantics (every message and the handshake travel as JSON).
import type { EndpointMeta, Schema } from "../meta.ts";
import { paramsSchema, type ApiRoute, type Dispatcher, type HandlerResult } from "./dispatch.ts";
import { checkJson, decodeMessage, decodeParams, ValidationError, type DecodeOptions } from "../server/decode.ts";
import { encodeJSON } from "../server/encode.ts";
import type { Types } from "../server/schemawalk.ts";
import { toErrorBody } from "../server/errors.ts";
import type { HttpServer } from "../server/http.ts";
import { WsServer, handshakeParams } from "../server/ws.ts";
import { Request, newSpanId } from "./request.ts";
import { inNewContext } from "./context.ts";
import { LogLevel, type Logger } from "./log.ts";

/** WebSocket close codes the runtime uses (RFC 6455 §7.4.1). */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001, // graceful shutdown
  InvalidData: 1007, // a message that does not fit the endpoint's schema
  PolicyViolation: 1008, // a slow consumer, cut off
  InternalError: 1011, // the handler threw
} as const;

export interface StreamOptions {
  /** Bytes queued towards one client before it is cut off as a slow consumer (close 1008). */
  maxBufferedBytes?: number;
  /** Ping interval; a peer that has not answered the previous ping is terminated. */
  pingIntervalMs?: number;
  /** How long a close handshake may take before the socket is destroyed. */
  closeTimeoutMs?: number;
  /** Largest message a client may send (larger ones close the socket with 1009). */
  maxMessageBytes?: number;
}

export const DEFAULT_STREAM_OPTIONS: Required<StreamOptions> = {
  maxBufferedBytes: 1024 * 1024,
  pingIntervalMs: 30_000,
  closeTimeoutMs: 10_000,
  maxMessageBytes: 2 * 1024 * 1024,
};

/** Thrown by send() once the stream is closed, and the rejection of recv() at end of stream. */
export class StreamClosedError extends Error {
  constructor(
    message: string,
    /** The close code, when the other side (or the runtime) closed with one. */
    readonly closeCode?: number,
  ) {
    super(message);
    this.name = "StreamClosedError";
  }
}

/** A failed service-to-service stream call; `code` is Encore's error code. */
export class StreamCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "StreamCallError";
  }
}

// ---------------------------------------------------------------------------------------------
// Transport: what carries a connection's JSON text frames (a WebSocket, or the in-memory pipe).

/** What a transport reports to its connection. */
export interface StreamPeer {
  /** One text message from the client. */
  receive(text: string): void;
  /** The transport is closed for good (client left, handshake done, or connection lost). */
  ended(): void;
}

export interface Transport {
  /** Wires the transport's events to its connection; called once, before any message flows. */
  bind(peer: StreamPeer): void;
  /** Whether a message written now can still reach the client. */
  readonly open: boolean;
  /** Queues one message; false when the client's queue is over the limit (it must be cut off). */
  write(text: string): boolean;
  /** Starts closing: messages already written go first, then the close. */
  close(code: number, reason: string): void;
  /** Flow control towards the client: stop / resume reading its messages. */
  pause?(): void;
  resume?(): void;
}

/** How a connection reads and writes messages: the endpoint's schemas. */
export interface StreamSpec {
  /** Messages from the client; null when the endpoint takes none (they are ignored). */
  in: Schema | null;
  /** Messages to the client; for streamIn, its one response message. */
  out: Schema;
  types: Types;
  decode: DecodeOptions;
}

const ANY: Schema = { kind: "any" };

export function specFor(ep: EndpointMeta, dispatcher: Dispatcher): StreamSpec {
  const out = ep.streamingResponse ? (ep.streamOut ?? ANY) : (ep.streamOut ?? (ep.response ? paramsSchema(ep.response) : ANY));
  return {
    in: ep.streamingRequest ? (ep.streamIn ?? ANY) : null,
    out,
    types: dispatcher.types,
    decode: dispatcher.decimalOptions,
  };
}

/** A close reason fits in 123 bytes of UTF-8 (the close frame's payload limit less the code). */
export function clampReason(reason: string): string {
  if (Buffer.byteLength(reason) <= 123) return reason;
  let out = reason.slice(0, 123);
  while (Buffer.byteLength(`${out}…`) > 123) out = out.slice(0, -1);
  return `${out}…`;
}

// ---------------------------------------------------------------------------------------------
// Inbox: a FIFO of received messages with waiting readers; after end() the queued messages are
// still read, then every read rejects.

class Inbox<T> {
  private items: T[] = [];
  private head = 0;
  private waiters: { resolve: (v: T) => void; reject: (e: Error) => void }[] = [];
  private endError: Error | null = null;

  get ended(): boolean {
    return this.endError !== null;
  }

  push(v: T): void {
    if (this.endError) return;
    const w = this.waiters.shift();
    if (w) w.resolve(v);
    else this.items.push(v);
  }

  end(err: Error): void {
    if (this.endError) return;
    this.endError = err;
    for (const w of this.waiters.splice(0)) w.reject(err);
  }

  next(): Promise<T> {
    if (this.head < this.items.length) {
      const v = this.items[this.head];
      this.items[this.head++] = undefined as T;
      if (this.head === this.items.length) {
        this.items = [];
        this.head = 0;
      }
      return Promise.resolve(v);
    }
    if (this.endError) return Promise.reject(this.endError);
    return new Promise<T>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }
}

// ---------------------------------------------------------------------------------------------
// The handler's side of one stream.

export class StreamConn implements StreamPeer {
  private readonly inbox = new Inbox<{ msg: unknown; size: number }>();
  private backlog = 0; // bytes received and not yet read by the handler
  private paused = false;
  private sending = true;
  private resolveDone!: () => void;
  /** Settles once the transport is closed for good. */
  readonly done = new Promise<void>((r) => (this.resolveDone = r));

  constructor(
    private readonly spec: StreamSpec,
    private readonly transport: Transport,
    private readonly maxBacklog: number,
    private readonly onBadSchema: (err: unknown) => void,
    private readonly onSlowConsumer: () => void = () => {},
  ) {
    transport.bind(this);
  }

  /** Whether send() would still deliver. */
  get open(): boolean {
    return this.sending && this.transport.open;
  }

  receive(text: string): void {
    if (this.spec.in === null || this.inbox.ended) return;
    let msg: unknown;
    try {
      const json: unknown = JSON.parse(text);
      checkJson(json, text, "message");
      msg = decodeMessage(this.spec.in, json, this.spec.types, this.spec.decode);
    } catch (err) {
      if (err instanceof SyntaxError) this.fail(CloseCode.InvalidData, "invalid message: not valid JSON");
      else if (err instanceof ValidationError) this.fail(CloseCode.InvalidData, `invalid message: ${err.message}`);
      else {
        this.onBadSchema(err);
        this.fail(CloseCode.InternalError, "internal: an internal error occurred");
      }
      return;
    }
    this.backlog += text.length;
    this.inbox.push({ msg, size: text.length });
    // A handler that reads slower than its client writes: stop reading the socket (TCP pushes back).
    if (!this.paused && this.backlog > this.maxBacklog && this.transport.pause) {
      this.paused = true;
      this.transport.pause();
    }
  }

  ended(): void {
    this.sending = false;
    this.inbox.end(new StreamClosedError("end of stream"));
    this.resolveDone();
  }

  send(msg: unknown): void {
    if (!this.open) throw new StreamClosedError("stream closed");
    const text = encodeJSON(this.spec.out, msg, this.spec.types) ?? "null";
    if (!this.transport.write(text)) {
      this.onSlowConsumer();
      this.fail(CloseCode.PolicyViolation, "slow consumer");
    }
  }

  recv(): Promise<unknown> {
    return this.inbox.next().then((item) => {
      this.backlog -= item.size;
      if (this.paused && this.backlog <= this.maxBacklog / 2) {
        this.paused = false;
        this.transport.resume?.();
      }
      return item.msg;
    });
  }

  /** Closes the stream; messages already sent are delivered first. */
  close(code: number = CloseCode.Normal, reason = ""): void {
    if (!this.sending) return;
    this.sending = false;
    this.transport.close(code, clampReason(reason));
  }

  /** Closes on the runtime's initiative: the handler's reads end at once too. */
  private fail(code: number, reason: string): void {
    this.close(code, reason);
    this.inbox.end(new StreamClosedError(`stream closed: ${reason}`, code));
  }
}

// ---------------------------------------------------------------------------------------------
// The runtime classes the SDK receives (napi.d.cts); it tells them apart with instanceof.

/** streamOut: the handler sends. */
export class Sink {
  readonly #conn: StreamConn;
  constructor(conn: StreamConn) {
    this.#conn = conn;
  }
  send(msg: unknown): void {
    this.#conn.send(msg);
  }
  close(): void {
    this.#conn.close();
  }
}

/** streamIn: the handler receives. */
export class Stream {
  readonly #conn: StreamConn;
  constructor(conn: StreamConn) {
    this.#conn = conn;
  }
  recv(): Promise<unknown> {
    return this.#conn.recv();
  }
}

/** streamInOut: both. */
export class Socket {
  readonly #conn: StreamConn;
  constructor(conn: StreamConn) {
    this.#conn = conn;
  }
  send(msg: unknown): void {
    this.#conn.send(msg);
  }
  recv(): Promise<unknown> {
    return this.#conn.recv();
  }
  close(): void {
    this.#conn.close();
  }
}

/** The caller's side of an in-process service-to-service stream (`RT.stream`). */
export class WebSocketClient {
  readonly #end: ClientEnd;
  constructor(end: ClientEnd) {
    this.#end = end;
  }
  send(msg: unknown): void {
    this.#end.send(msg);
  }
  // biome-ignore lint/suspicious/noExplicitAny: the native WebSocketClient.recv signature the SDK calls
  recv(): Promise<Record<string, any>> {
    return this.#end.recv();
  }
  close(): void {
    this.#end.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The in-memory pipe of an in-process stream: the handler's transport on one side, the caller's
// WebSocketClient on the other. Same rules as a WebSocket: JSON text both ways, messages keep
// their order, a close by either side ends both directions, the caller's queue is bounded.

class ClientEnd {
  private readonly inbox = new Inbox<string>();
  private backlog = 0;
  private sending = true;

  constructor(
    private readonly spec: StreamSpec,
    private readonly pipe: MemoryPipe,
    private readonly maxBacklog: number,
  ) {}

  send(msg: unknown): void {
    if (!this.sending || !this.pipe.open) throw new StreamClosedError("stream closed");
    const text = encodeJSON(this.spec.in ?? ANY, msg, this.spec.types) ?? "null";
    this.pipe.fromClient(text);
  }

  // biome-ignore lint/suspicious/noExplicitAny: the native WebSocketClient.recv signature the SDK calls
  async recv(): Promise<Record<string, any>> {
    const text = await this.inbox.next();
    this.backlog -= text.length;
    try {
      return decodeMessage(this.spec.out, JSON.parse(text), this.spec.types, this.spec.decode) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`unable to parse incoming message according to schema: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  close(): void {
    if (!this.sending) return;
    this.sending = false;
    this.inbox.end(new StreamClosedError("end of stream", CloseCode.Normal));
    this.pipe.clientClosed();
  }

  /** A message from the handler; false when the caller has fallen too far behind. */
  deliver(text: string): boolean {
    if (!this.sending) return true;
    this.backlog += text.length;
    this.inbox.push(text);
    return this.backlog <= this.maxBacklog;
  }

  serverClosed(code: number, reason: string): void {
    this.sending = false;
    const err =
      code === CloseCode.Normal
        ? new StreamClosedError("end of stream", code)
        : new StreamClosedError(`stream closed (${code}${reason ? `: ${reason}` : ""})`, code);
    this.inbox.end(err);
  }
}

class MemoryPipe implements Transport {
  private peer: StreamPeer | null = null;
  private closed = false;
  readonly client: ClientEnd;

  constructor(spec: StreamSpec, maxBacklog: number) {
    this.client = new ClientEnd(spec, this, maxBacklog);
  }

  bind(peer: StreamPeer): void {
    this.peer = peer;
  }

  get open(): boolean {
    return !this.closed;
  }

  write(text: string): boolean {
    return this.client.deliver(text);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.client.serverClosed(code, reason);
    this.peer?.ended();
  }

  fromClient(text: string): void {
    if (!this.closed) this.peer?.receive(text);
  }

  clientClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.peer?.ended();
  }
}

// ---------------------------------------------------------------------------------------------
// Running a stream handler.

/**
 * Calls the handler (as the SDK wraps it: `handler(req, stream)`) in its own async context and
 * closes the stream when it settles: 1000 when it returns (a streamIn handler's result is sent
 * first, as the one response message), 1011 with the error's code and public message when it throws.
 */
async function runHandler(route: ApiRoute, ep: EndpointMeta, req: Request, conn: StreamConn, log: Logger): Promise<void> {
  const arg = ep.streamingRequest && ep.streamingResponse ? new Socket(conn) : ep.streamingRequest ? new Stream(conn) : new Sink(conn);
  const failed = (err: unknown) => {
    // A handler whose client left typically ends with the send that threw: nothing to report.
    if (err instanceof StreamClosedError && !conn.open) return;
    const res = toErrorBody(err);
    if (res.internal)
      log.log(req, LogLevel.Error, "stream handler failed with an internal error", err instanceof Error ? err : new Error(res.logMessage ?? String(err)));
    conn.close(CloseCode.InternalError, `${res.body.code}: ${res.body.message}`);
  };
  let result: HandlerResult | undefined;
  try {
    result = (await inNewContext(() => route.handler(req, arg))) as HandlerResult | undefined;
  } catch (err) {
    return failed(err);
  }
  if (ep.streamingRequest && !ep.streamingResponse) {
    const payload = result?.payload;
    if (payload !== undefined && payload !== null && conn.open) {
      try {
        conn.send(payload);
      } catch (err) {
        return failed(err);
      }
    }
  }
  conn.close(CloseCode.Normal, "");
}

/** What the runtime provides to streams (the Runtime has both). */
export interface StreamHost {
  readonly dispatcher: Dispatcher;
  readonly log: Logger;
}

export class StreamManager {
  readonly options: Required<StreamOptions>;
  private readonly live = new Set<StreamConn>();
  private ws: WsServer | null = null;
  private shuttingDown = false;

  constructor(
    private readonly host: StreamHost,
    options: StreamOptions = {},
  ) {
    this.options = { ...DEFAULT_STREAM_OPTIONS, ...options };
  }

  /** Number of streams currently open (WebSocket and in-process). */
  get size(): number {
    return this.live.size;
  }

  get accepting(): boolean {
    return !this.shuttingDown;
  }

  /** Serves the WebSocket upgrades of the server's stream endpoints. */
  attach(http: HttpServer): void {
    this.ws?.stop();
    this.ws = new WsServer(http, this.host.dispatcher, this.host.log, this, this.options);
    http.onUpgrade = (req, socket, head) => this.ws!.handleUpgrade(req, socket, head);
  }

  /** Runs the endpoint's stream handler over a transport; tracked until the transport closes. */
  open(ep: EndpointMeta, route: ApiRoute, req: Request, transport: Transport): StreamConn {
    const log = this.host.log;
    const conn = new StreamConn(
      specFor(ep, this.host.dispatcher),
      transport,
      this.options.maxBufferedBytes,
      (err) =>
        log.log(req, LogLevel.Error, "cannot decode a stream message: the endpoint's schema is broken", err instanceof Error ? err : new Error(String(err))),
      () => log.log(req, LogLevel.Warn, `stream: a slow consumer was cut off with 1008 (more than ${this.options.maxBufferedBytes} bytes queued towards it)`),
    );
    if (this.shuttingDown) {
      conn.close(CloseCode.GoingAway, "server shutting down");
      return conn;
    }
    this.live.add(conn);
    void conn.done.then(() => this.live.delete(conn));
    runHandler(route, ep, req, conn, log).catch((err) =>
      log.log(req, LogLevel.Error, "closing a stream failed", err instanceof Error ? err : new Error(String(err))),
    );
    return conn;
  }

  /** Graceful shutdown: closes every open stream with 1001 and waits (bounded) for the closes. */
  async closeAll(): Promise<void> {
    this.shuttingDown = true;
    this.ws?.stop();
    const open = [...this.live];
    for (const conn of open) conn.close(CloseCode.GoingAway, "server shutting down");
    if (open.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((r) => (timer = setTimeout(r, this.options.closeTimeoutMs + 1_000)));
    await Promise.race([Promise.all(open.map((c) => c.done)), timeout]);
    clearTimeout(timer);
  }

  /**
   * A service-to-service stream (`~encore/clients` → SDK → `RT.stream`), in-process. Keeps Encore's
   * semantics: the handshake and every message travel as JSON and are decoded by the callee's
   * schemas; auth data from `opts.authData` or the calling request; private endpoints allowed.
   */
  async connect(
    service: string,
    endpoint: string,
    payload: unknown,
    source: Request | null,
    opts: { authData?: Record<string, unknown> } | null,
  ): Promise<WebSocketClient> {
    const d = this.host.dispatcher;
    const ep = d.endpoints.get(`${service}.${endpoint}`);
    const route = d.route(service, endpoint);
    if (!ep || !route) throw new StreamCallError("not_found", `endpoint not found: ${service}.${endpoint}`);
    if (!ep.streamingRequest && !ep.streamingResponse) throw new StreamCallError("invalid_argument", `${service}.${endpoint} is not a streaming endpoint`);
    if (this.shuttingDown) throw new StreamCallError("unavailable", "the server is shutting down");

    const params = handshakeParams(ep);
    let handshake: Record<string, unknown> | null;
    try {
      const json = params && payload !== undefined && payload !== null ? JSON.parse(encodeJSON(paramsSchema(params), payload, d.types) ?? "null") : null;
      handshake = decodeParams(params, json, d.types, d.decimalOptions);
    } catch (err) {
      if (err instanceof ValidationError) throw new StreamCallError("invalid_argument", err.message);
      throw err;
    }
    const authData = opts?.authData ?? (source?.getAuthData() as Record<string, unknown> | null) ?? null;
    if (authData !== null && typeof authData.userID !== "string") throw new StreamCallError("invalid_argument", "authData must contain a string userID");
    if (ep.auth && !authData) throw new StreamCallError("unauthenticated", "endpoint requires auth but none provided");

    const req = new Request({
      payload: handshake,
      authData,
      apiCall: {
        api: { service, endpoint, raw: false, requiresAuth: ep.auth, tags: ep.tags },
        method: "GET",
        path: ep.path,
        pathAndQuery: ep.path,
        pathParams: {},
        parsedPayload: handshake ?? undefined,
        headers: {},
      },
      trace: source ? { traceId: source.trace.traceId, spanId: newSpanId(), parentSpanId: source.trace.spanId } : undefined,
    });
    const pipe = new MemoryPipe(specFor(ep, d), this.options.maxBufferedBytes);
    this.open(ep, route, req, pipe);
    return new WebSocketClient(pipe.client);
  }
}
