// Stream endpoints over WebSocket, Encore's protocol: upgrade on GET at the endpoint's path,
// subprotocol `encore-ws`, one JSON message per text frame. The handshake (path, query and header
// fields, auth) is checked BEFORE upgrading, so a bad one gets a plain HTTP error with Encore's
// JSON body. Keepalive by ping/pong; a slow reader is cut off (runtime/streams.ts decides when).
import { STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer, type ServerOptions } from "ws";
import type { EndpointMeta, ParamsMeta } from "../meta.ts";
import type { ApiRoute, Dispatcher } from "../runtime/dispatch.ts";
import type { Logger } from "../runtime/log.ts";
import { Request, type APICallData } from "../runtime/request.ts";
import type { StreamOptions, StreamPeer, Transport } from "../runtime/streams.ts";
import { decodeRequest, parseCookies } from "./decode.ts";
import { HttpError, retryAfterHeader, toErrorBody } from "./errors.ts";
import { authenticateRequest, type HttpServer } from "./http.ts";
import { applyClientAddress } from "./clientaddr.ts";

export const ENCORE_WS_PROTOCOL = "encore-ws";
const HEADERS_PROTOCOL_PREFIX = "encore.dev.headers.";

/** The handshake's fields: path/query/header parameters of a stream endpoint (null if none). */
export function handshakeParams(ep: EndpointMeta): ParamsMeta | null {
  return ep.handshake !== undefined ? ep.handshake : ep.request;
}

// Headers a browser may not set, so a packed one is refused (Encore's gateway refuses the same).
const FORBIDDEN_HEADERS = new Set([
  "accept-charset",
  "accept-encoding",
  "access-control-request-headers",
  "access-control-request-method",
  "connection",
  "content-length",
  "cookie",
  "date",
  "dnt",
  "expect",
  "host",
  "keep-alive",
  "origin",
  "permissions-policy",
  "referer",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "via",
]);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\uffff]*$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Splits `Sec-WebSocket-Protocol` into the real subprotocols and the headers a browser packed into
 * `encore.dev.headers.<base64url(JSON object of name → value)>` (browsers cannot set headers on a
 * WebSocket). Throws invalid_argument for a malformed or forbidden packed header.
 */
export function unpackProtocols(header: string | string[] | undefined): { protocols: string[]; headers: Record<string, string> } {
  const protocols: string[] = [];
  const headers: Record<string, string> = {};
  const lines = header === undefined ? [] : Array.isArray(header) ? header : [header];
  for (const line of lines) {
    for (const part of line.split(",")) {
      const p = part.trim();
      if (p === "") continue;
      if (!p.startsWith(HEADERS_PROTOCOL_PREFIX)) {
        protocols.push(p);
        continue;
      }
      const data = p.slice(HEADERS_PROTOCOL_PREFIX.length);
      let packed: unknown;
      try {
        if (!BASE64URL.test(data)) throw new Error("not base64url");
        packed = JSON.parse(Buffer.from(data, "base64url").toString("utf8"));
      } catch {
        throw new HttpError("invalid_argument", "invalid encore.dev.headers subprotocol: expected base64url-encoded JSON");
      }
      if (typeof packed !== "object" || packed === null || Array.isArray(packed)) {
        throw new HttpError("invalid_argument", "invalid encore.dev.headers subprotocol: expected a JSON object");
      }
      for (const [name, value] of Object.entries(packed)) {
        const lower = name.toLowerCase();
        if (!HEADER_NAME.test(name) || typeof value !== "string" || !HEADER_VALUE.test(value)) {
          throw new HttpError("invalid_argument", `invalid header ${JSON.stringify(name)} in encore.dev.headers subprotocol`);
        }
        if (FORBIDDEN_HEADERS.has(lower) || lower.startsWith("sec-") || lower.startsWith("proxy-")) {
          throw new HttpError("invalid_argument", `header ${name} not allowed to be set`);
        }
        headers[lower] = value;
      }
    }
  }
  return { protocols, headers };
}

/** The upgrade request's headers with the packed ones merged in (they win: a browser sent them on purpose). */
export function mergeHeaders(base: IncomingHttpHeaders, packed: Record<string, string>, protocols: string[]): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = { ...base, ...packed };
  // The packed protocol carries credentials: keep it out of the headers handlers and logs see.
  if (protocols.length > 0) out["sec-websocket-protocol"] = protocols.join(", ");
  else delete out["sec-websocket-protocol"];
  return out;
}

/** The opening handshake of one stream, checked and decoded. */
interface Accepted {
  ep: EndpointMeta;
  route: ApiRoute;
  request: Request;
}

/** Where accepted WebSockets go: runtime/streams.ts's StreamManager. */
export interface StreamOpener {
  readonly accepting: boolean;
  open(ep: EndpointMeta, route: ApiRoute, req: Request, transport: Transport): unknown;
}

export class WsServer {
  private readonly wss: WebSocketServer;
  private readonly missedPong = new WeakSet<WebSocket>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly http: HttpServer,
    private readonly dispatcher: Dispatcher,
    private readonly log: Logger,
    private readonly streams: StreamOpener,
    private readonly opts: Required<StreamOptions>,
  ) {
    // closeTimeout (ws ≥ 8.18) is missing from @types/ws.
    const options: ServerOptions & { closeTimeout: number } = {
      noServer: true,
      maxPayload: opts.maxMessageBytes,
      closeTimeout: opts.closeTimeoutMs,
      perMessageDeflate: false,
      // Echo `encore-ws` when offered; the packed-headers pseudo-protocol is never selected.
      handleProtocols: (offered) => (offered.has(ENCORE_WS_PROTOCOL) ? ENCORE_WS_PROTOCOL : false),
    };
    this.wss = new WebSocketServer(options);
    this.heartbeat = setInterval(() => this.beat(), opts.pingIntervalMs);
    this.heartbeat.unref();
  }

  /** Stops the keepalive (the sockets themselves are closed through their streams). */
  stop(): void {
    clearInterval(this.heartbeat);
  }

  /** The HTTP server's `upgrade` event. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const onError = () => socket.destroy();
    socket.on("error", onError);
    this.prepare(req).then(
      (accepted) => {
        if (socket.destroyed) return;
        if (!this.streams.accepting) return refuse(socket, new HttpError("unavailable", "the server is shutting down"), this.log);
        this.wss.handleUpgrade(req, socket, head, (ws) => {
          socket.off("error", onError);
          this.streams.open(accepted.ep, accepted.route, accepted.request, new WsTransport(ws, this.opts.maxBufferedBytes, this.missedPong, this.log));
        });
      },
      (err) => refuse(socket, err, this.log),
    );
  }

  /** Route, auth and handshake decoding, in the order HTTP requests get them. */
  private async prepare(req: IncomingMessage): Promise<Accepted> {
    if (req.method !== "GET" || (req.headers.upgrade ?? "").toLowerCase() !== "websocket") {
      throw new HttpError("invalid_argument", "expected a WebSocket upgrade (GET with Upgrade: websocket)");
    }
    const rawUrl = req.url ?? "/";
    const qi = rawUrl.indexOf("?");
    const pathname = qi < 0 ? rawUrl : rawUrl.slice(0, qi);
    const found = this.http.router.find("GET", pathname);
    if (!("value" in found) || !(found.value.streamingRequest || found.value.streamingResponse)) {
      throw new HttpError("not_found", "endpoint not found");
    }
    const ep = found.value;
    const route = this.dispatcher.route(ep.service, ep.name);
    if (!route) throw new HttpError("not_found", "endpoint not found");

    const query = new URLSearchParams(qi < 0 ? "" : rawUrl.slice(qi + 1));
    const { protocols, headers: packed } = unpackProtocols(req.headers["sec-websocket-protocol"]);
    const headers = mergeHeaders(req.headers, packed, protocols);
    // After the merge: a browser cannot pack its own forwarding headers into the subprotocol either.
    applyClientAddress(headers, req.socket.remoteAddress, this.http.trustedProxies);
    const apiCall: APICallData = {
      api: { service: ep.service, endpoint: ep.name, raw: false, requiresAuth: ep.auth, tags: ep.tags },
      method: "GET",
      path: pathname,
      pathAndQuery: rawUrl,
      pathParams: found.params,
      headers: headers as Record<string, string | string[]>,
    };
    const authData = await authenticateRequest(this.dispatcher.meta, this.dispatcher, headers, query, apiCall);
    if (ep.auth && !authData) throw new HttpError("unauthenticated", "endpoint requires auth but none provided");

    const payload = decodeRequest(
      handshakeParams(ep),
      { method: "GET", pathParams: found.params, query, headers, cookies: parseCookies(first(headers.cookie)), body: undefined },
      this.dispatcher.types,
      this.dispatcher.decimalOptions,
    );
    apiCall.parsedPayload = payload ?? undefined;
    return { ep, route, request: new Request({ payload, authData, apiCall }) };
  }

  /** Pings every open socket; one that did not answer the previous ping is dead. */
  private beat(): void {
    for (const ws of this.wss.clients) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      // Paused on purpose (its handler reads slowly): its pong is waiting unread in the socket.
      if (ws.isPaused) continue;
      if (this.missedPong.has(ws)) {
        this.log.debug("terminating a WebSocket that stopped answering pings");
        ws.terminate();
        continue;
      }
      this.missedPong.add(ws);
      ws.ping();
    }
  }
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Answers a refused handshake with a plain HTTP error response (Encore's JSON body). */
function refuse(socket: Duplex, err: unknown, log: Logger): void {
  const res = toErrorBody(err);
  if (res.internal) log.error("WebSocket handshake failed with an internal error", { error: res.logMessage }, err);
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(res.body);
  socket.end(
    `HTTP/1.1 ${res.status} ${STATUS_CODES[res.status] ?? "Error"}\r\n` +
      Object.entries(retryAfterHeader(res.body))
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join("") +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n` +
      body,
  );
}

/** A stream's transport over one accepted WebSocket. */
class WsTransport implements Transport {
  constructor(
    private readonly ws: WebSocket,
    private readonly maxBuffered: number,
    private readonly missedPong: WeakSet<WebSocket>,
    private readonly log: Logger,
  ) {}

  bind(peer: StreamPeer): void {
    const ws = this.ws;
    ws.on("message", (data: Buffer | ArrayBuffer | Buffer[]) => {
      this.missedPong.delete(ws);
      peer.receive(
        Buffer.isBuffer(data) ? data.toString("utf8") : Array.isArray(data) ? Buffer.concat(data).toString("utf8") : Buffer.from(data).toString("utf8"),
      );
    });
    ws.on("pong", () => this.missedPong.delete(ws));
    ws.on("close", () => peer.ended());
    ws.on("error", (err) => this.log.debug("WebSocket error", { error: err.message }));
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  write(text: string): boolean {
    // What the client had not taken before this message sits in this process; past the limit it is
    // cut off. The message joining the queue is not counted, so one large message to a client that
    // keeps up is not mistaken for a slow consumer.
    const backlog = this.ws.bufferedAmount;
    this.ws.send(text);
    return backlog <= this.maxBuffered;
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
  }

  pause(): void {
    this.ws.pause();
  }

  resume(): void {
    this.ws.resume();
  }
}
