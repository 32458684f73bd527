// The HTTP front of the runtime: route, decode and validate by schema, authenticate, call the
// handler, encode by schema, map errors to Encore's JSON. Streams (WebSocket upgrades) attach to
// the same node:http server.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { AppMeta, CorsConfig, EndpointMeta } from "../meta.ts";
import { Router } from "./router.ts";
import { checkJson, decodeRequest, parseCookies, ValidationError, type RawRequestParts } from "./decode.ts";
import { encodeResponse } from "./encode.ts";
import { HttpError as RuntimeError, isDatabaseUnavailable, retryAfterHeader, statusForCode } from "./errors.ts";
import { corsHeaders, withAppHeaders } from "./cors.ts";
import type { Dispatcher } from "../runtime/dispatch.ts";
import { errorParts } from "../runtime/dispatch.ts";
import { Request, type APICallData } from "../runtime/request.ts";
import { LogLevel, type Logger } from "../runtime/log.ts";
import { BodyReader, bodyTooLarge, ResponseWriter } from "../runtime/rawapi.ts";
import { serveStatic } from "./static.ts";
import { OpsRoutes, type OpsPolicy } from "./ops.ts";
import { applyClientAddress, TrustedProxies } from "./clientaddr.ts";
import { runtimeMetrics } from "../runtime/metrics.ts";
import type { ObjectRoutes } from "../runtime/objects.ts";
import type { DevSource } from "./dashboard.ts";
import type { RequestLog } from "../runtime/requestlog.ts";

/** What the request log learns about a request while it is served. */
interface Served {
  endpoint: string | null;
  request: Request | null;
}

/**
 * Connections the kernel may queue for accept. Node's default (511) overflows under a burst of
 * 1,000 connects, and each overflowed client then waits a second or more to retry its SYN.
 * The kernel caps it at net.core.somaxconn.
 */
export const LISTEN_BACKLOG = 2048;

export class HttpError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = statusForCode(code),
  ) {
    super(message);
  }
}

export interface ServerOptions {
  /** The runtime's own pages (/openapi.json, /docs, /_dev, served by the ops port); false turns them off. */
  ops?: boolean;
  /** When set, the runtime's own pages are served on this port too, to requests carrying it (X-Ops-Token). */
  opsToken?: string;
  /** The dev dashboard's data; with it, requests are traced into its request log. */
  dev?: DevSource;
  meta: AppMeta;
  dispatcher: Dispatcher;
  log: Logger;
  port: number;
  host?: string;
  /** The local object store's signed and public links (/__objects/...). */
  objects?: ObjectRoutes | null;
  /** A client must send its request headers within this (default 60 s). */
  headersTimeoutMs?: number;
  /** ... and its whole request within this (default 300 s; 0 = no limit). */
  requestTimeoutMs?: number;
  /** Where api.static directories are relative to (default: the working directory). */
  appRoot?: string;
  /** Peers whose forwarding headers are believed (default: none). */
  trustedProxies?: TrustedProxies;
}

type Query = URLSearchParams;

const NO_BODY_METHODS = new Set(["GET", "HEAD", "DELETE"]);

export class HttpServer {
  readonly server: http.Server;
  readonly router = new Router<EndpointMeta>();
  private readonly sockets = new Set<Socket>();
  private inFlight = 0;
  private draining = false;
  private drainWaiters: (() => void)[] = [];
  /** Streams (WebSocket) hook: set by the streaming module. */
  onUpgrade: ((req: http.IncomingMessage, socket: Socket, head: Buffer) => void) | null = null;

  private readonly cors: CorsConfig;
  /** The runtime's own pages, for the ops port (ops.ts); here only with the ops token. */
  readonly opsRoutes: OpsRoutes | null;
  private readonly publicOps: OpsPolicy | null;
  private readonly requestLog: RequestLog | null;
  readonly trustedProxies: TrustedProxies;

  constructor(private readonly opts: ServerOptions) {
    this.trustedProxies = opts.trustedProxies ?? new TrustedProxies();
    this.cors = withAppHeaders(opts.meta.cors, opts.meta);
    this.opsRoutes = opts.ops === false ? null : new OpsRoutes(opts.meta, opts.log, opts.dev);
    this.publicOps = this.opsRoutes && opts.opsToken ? { via: "public port", token: opts.opsToken, loopbackHostOnly: false } : null;
    this.requestLog = opts.dev?.requests ?? null;
    for (const svc of opts.meta.services) {
      for (const ep of svc.endpoints) {
        if (!ep.expose) continue; // private endpoints are unreachable from outside (404)
        const methods = ep.streamingRequest || ep.streamingResponse ? ["GET"] : ep.methods;
        this.router.add(methods, ep.path, ep);
      }
    }
    const headersTimeout = opts.headersTimeoutMs ?? 60_000;
    const requestTimeout = opts.requestTimeoutMs ?? 300_000;
    this.server = http.createServer(
      { keepAliveTimeout: 65_000, headersTimeout, requestTimeout, connectionsCheckingInterval: checkingInterval(headersTimeout, requestTimeout) },
      (req, res) => this.handle(req, res),
    );
    this.server.maxHeadersCount = 200;
    this.server.on("connection", (s: Socket) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    // As node's default handler does: answer only when no response has started on the socket (else
    // the answer would corrupt it), then destroy the socket. end() alone would leave a stalled
    // client's socket, and any request on it, open for as long as that client keeps its side open.
    this.server.on("clientError", (err: NodeJS.ErrnoException, socket: Socket) => {
      const inProgress = (socket as Socket & { _httpMessage?: http.ServerResponse | null })._httpMessage;
      if (err.code !== "ECONNRESET" && socket.writable && !inProgress?.headersSent) socket.write(clientErrorResponse(err.code));
      socket.destroy();
    });
    this.server.on("upgrade", (req, socket: Socket, head: Buffer) => {
      if (this.onUpgrade && !this.draining) this.onUpgrade(req, socket, head);
      else socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
    });
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen({ port: this.opts.port, host: this.opts.host ?? "0.0.0.0", backlog: LISTEN_BACKLOG }, () => {
        this.server.off("error", reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  /** Stops accepting, lets in-flight requests finish (bounded), then closes idle connections. */
  async close(deadlineMs: number): Promise<void> {
    this.draining = true;
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    this.server.closeIdleConnections();
    if (this.inFlight > 0) {
      await Promise.race([new Promise<void>((r) => this.drainWaiters.push(r)), delay(deadlineMs)]);
      if (this.inFlight > 0)
        this.opts.log.warn(`shutdown deadline reached: cutting off ${this.inFlight} request(s) still in flight`, {
          in_flight: this.inFlight,
          deadline_ms: deadlineMs,
        });
    }
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  private finishOne() {
    this.inFlight--;
    if (this.draining) {
      this.server.closeIdleConnections();
      if (this.inFlight === 0) for (const w of this.drainWaiters.splice(0)) w();
    }
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    this.inFlight++;
    if (this.draining) res.setHeader("Connection", "close");
    const trace: Served = { endpoint: null, request: null };
    const startMs = performance.now();
    this.serve(req, res, trace)
      .catch((err) => {
        this.opts.log.error("unhandled error serving request", { path: req.url }, err);
        if (!res.headersSent) writeError(res, err, {}, this.opts.log, null);
        else res.destroy();
      })
      .finally(() => {
        this.finishOne();
        if (trace.endpoint) runtimeMetrics.observeRequest(trace.endpoint, res.statusCode, performance.now() - startMs);
        if (this.requestLog && trace.endpoint) {
          const url = req.url ?? "/";
          const q = url.indexOf("?");
          this.requestLog.record({
            method: req.method ?? "GET",
            path: q < 0 ? url : url.slice(0, q),
            endpoint: trace.endpoint,
            status: res.statusCode,
            startMs,
            endMs: performance.now(),
            request: trace.request,
          });
        }
      });
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse, served: Served): Promise<void> {
    // Before anything reads the headers: every part of the app sees the address the runtime vouches for.
    applyClientAddress(req.headers, req.socket.remoteAddress, this.trustedProxies);
    const method = req.method ?? "GET";
    const rawUrl = req.url ?? "/";
    const qi = rawUrl.indexOf("?");
    const pathname = qi < 0 ? rawUrl : rawUrl.slice(0, qi);
    const cors = corsHeaders(this.cors, {
      method,
      origin: header(req, "origin"),
      requestHeaders: header(req, "access-control-request-headers"),
      requestMethod: header(req, "access-control-request-method"),
      hasCredentials: req.headers.authorization !== undefined || req.headers.cookie !== undefined,
    });
    if (cors.preflight) {
      res.writeHead(204, cors.headers);
      res.end();
      return;
    }
    const extra = cors.headers;

    // The object store's links have the runtime's own prefix: they win over an app's catch-all route.
    if (this.opts.objects && pathname.startsWith("/__objects/") && this.opts.objects.handle(req, res, pathname, extra)) return;
    const found = this.router.find(method, pathname);
    // The runtime's own pages, only where the app has no route of its own.
    if (!("value" in found) && this.publicOps && this.opsRoutes!.handle(req, res, pathname, this.publicOps)) return;
    if (!("value" in found)) {
      drain(req);
      return writeError(res, new HttpError("not_found", "endpoint not found"), extra, this.opts.log, null);
    }
    const ep = found.value;
    served.endpoint = `${ep.service}.${ep.name}`;
    if (ep.static) return this.serveStatic(ep, found.params, req, res, extra);
    const route = this.opts.dispatcher.route(ep.service, ep.name);
    if (!route) {
      drain(req);
      return writeError(res, new HttpError("not_found", "endpoint not found"), extra, this.opts.log, null);
    }
    if (ep.streamingRequest || ep.streamingResponse) {
      drain(req);
      return writeError(res, new HttpError("invalid_argument", "this endpoint is a stream: connect with a WebSocket upgrade", 426), extra, this.opts.log, null);
    }
    const query: Query = new URLSearchParams(qi < 0 ? "" : rawUrl.slice(qi + 1));
    const apiCall: APICallData = {
      api: { service: ep.service, endpoint: ep.name, raw: ep.raw, requiresAuth: ep.auth, tags: ep.tags },
      method,
      path: pathname,
      pathAndQuery: rawUrl,
      pathParams: found.params,
      headers: req.headers as Record<string, string | string[]>,
    };
    let reqForLog: Request | null = null;
    try {
      const authData = await this.authenticate(req, query, apiCall);
      if (ep.auth && !authData) throw new HttpError("unauthenticated", "endpoint requires auth but none provided");

      if (ep.raw) {
        const request = new Request({ payload: null, authData, apiCall, tracing: this.requestLog !== null });
        reqForLog = served.request = request;
        // A declared body over the limit is refused before the handler runs; one that grows past
        // it while the handler reads gets the same 413 (unless the handler has started answering).
        if (ep.bodyLimit !== null && Number(req.headers["content-length"] ?? NaN) > ep.bodyLimit) throw bodyTooLarge(ep.bodyLimit);
        const writer = new ResponseWriter(res, extra);
        const body = new BodyReader(req, ep.bodyLimit, (err) => writer.refuse(err));
        const done = new Promise<void>((r) => res.once("close", r));
        await this.opts.dispatcher.invoke(route, request, writer, body).catch((err) => {
          if (writer.refused) return; // answered by the runtime already
          if (writer.started) throw Object.assign(new Error("raw handler failed after the response started"), { cause: err });
          throw err;
        });
        await done; // a raw handler may go on writing after it returns; the request lasts until the response closes
        return;
      }

      let body: unknown;
      if (!NO_BODY_METHODS.has(method) || hasBody(req)) body = await readJson(req, ep.bodyLimit);
      const parts: RawRequestParts = {
        method,
        pathParams: found.params,
        query,
        headers: req.headers,
        cookies: parseCookies(header(req, "cookie")),
        body,
      };
      const payload = decodeRequest(ep.request, parts, this.opts.meta.types, this.opts.dispatcher.decimalOptions);
      apiCall.parsedPayload = payload ?? undefined;
      const request = new Request({ payload, authData, apiCall, tracing: this.requestLog !== null });
      reqForLog = served.request = request;
      const result = await this.opts.dispatcher.invoke(route, request);
      const enc = encodeResponse(ep.response, result.payload, this.opts.meta.types);
      const headers: Record<string, string | string[]> = { ...extra, ...enc.headers };
      if (result.extraHeaders) Object.assign(headers, result.extraHeaders);
      const status = result.status ?? enc.status ?? 200;
      if (enc.body === null) {
        res.writeHead(status, headers);
        res.end();
      } else {
        headers["content-type"] = "application/json";
        headers["content-length"] = String(Buffer.byteLength(enc.body));
        res.writeHead(status, headers);
        res.end(enc.body);
      }
    } catch (err) {
      drain(req);
      // The client aborted (a raw handler sees node's ECONNRESET "aborted"): nobody to answer, and
      // not a server error worth a stack trace in the logs.
      if (res.destroyed && (err as NodeJS.ErrnoException | null)?.code === "ECONNRESET") return;
      if (res.headersSent) {
        this.opts.log.log(reqForLog, LogLevel.Error, "request failed after the response started", asError(err));
        res.destroy();
        return;
      }
      writeError(res, err, extra, this.opts.log, reqForLog);
    }
  }

  /** api.static: the endpoint has no handler; its files are served here (static.ts). */
  private async serveStatic(
    ep: EndpointMeta,
    params: Record<string, string>,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    extra: Record<string, string>,
  ): Promise<void> {
    drain(req);
    try {
      if (ep.auth) {
        const qi = (req.url ?? "/").indexOf("?");
        const query = new URLSearchParams(qi < 0 ? "" : (req.url ?? "").slice(qi + 1));
        const apiCall: APICallData = {
          api: { service: ep.service, endpoint: ep.name, raw: true, requiresAuth: true, tags: ep.tags },
          method: req.method ?? "GET",
          path: req.url ?? "/",
          pathAndQuery: req.url ?? "/",
          pathParams: params,
          headers: req.headers as Record<string, string | string[]>,
        };
        if (!(await this.authenticate(req, query, apiCall))) throw new HttpError("unauthenticated", "endpoint requires auth but none provided");
      }
      const rest = Object.values(params)[0] ?? "";
      const failed = await serveStatic(ep.static!, this.opts.appRoot ?? process.cwd(), rest, req, res, extra);
      if (failed) writeError(res, new HttpError(failed.code, failed.message), extra, this.opts.log, null);
    } catch (err) {
      if (!res.headersSent) writeError(res, err, extra, this.opts.log, null);
      else res.destroy();
    }
  }

  /** Runs the auth handler when the request carries any of its parameters. */
  private authenticate(req: http.IncomingMessage, query: Query, apiCall: APICallData): Promise<Record<string, unknown> | null> {
    return authenticateRequest(this.opts.meta, this.opts.dispatcher, req.headers, query, apiCall);
  }
}

/**
 * Runs the gateway's auth handler when the request carries any of its parameters (headers,
 * cookies, query); null when it carries none or is not authenticated. Shared with WebSocket
 * upgrades (ws.ts), whose headers may come packed in a subprotocol.
 */
export async function authenticateRequest(
  meta: AppMeta,
  dispatcher: Dispatcher,
  headers: http.IncomingHttpHeaders,
  query: Query,
  apiCall: APICallData,
): Promise<Record<string, unknown> | null> {
  const ah = meta.authHandler;
  if (!ah || !dispatcher.hasAuthHandler) return null;
  const cookieHeader = headers.cookie;
  const cookies = parseCookies(Array.isArray(cookieHeader) ? cookieHeader[0] : cookieHeader);
  const present = ah.params.fields.some((f) => {
    const name = (f.wireName ?? f.name).toLowerCase();
    if (f.location === "header") return headers[name] !== undefined;
    if (f.location === "cookie") return cookies[f.wireName ?? f.name] !== undefined;
    return query.has(f.wireName ?? f.name);
  });
  if (!present) return null;
  const params = decodeRequest(ah.params, { method: "GET", pathParams: {}, query, headers, cookies, body: undefined }, meta.types, dispatcher.decimalOptions);
  const { authData } = await dispatcher.authenticate(params ?? {}, apiCall);
  return authData;
}

function clientErrorResponse(code: string | undefined): string {
  const status =
    code === "ERR_HTTP_REQUEST_TIMEOUT" ? "408 Request Timeout" : code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
  return `HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`;
}

/**
 * How often node:http looks for connections past their headers/request timeout: a stalled client
 * is cut off up to this much after its timeout, so it scales with the shortest one (node's 30 s
 * default would keep short timeouts from ever firing on time).
 */
export function checkingInterval(headersTimeoutMs: number, requestTimeoutMs: number): number {
  const positive = [headersTimeoutMs, requestTimeoutMs].filter((t) => t > 0);
  if (positive.length === 0) return 30_000;
  return Math.min(30_000, Math.max(50, Math.floor(Math.min(...positive) / 4)));
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

function delay(ms: number) {
  return new Promise<void>((r) => setTimeout(r, ms).unref());
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function hasBody(req: http.IncomingMessage): boolean {
  return (req.headers["content-length"] !== undefined && req.headers["content-length"] !== "0") || req.headers["transfer-encoding"] !== undefined;
}

/** Consumes an unread body so a keep-alive connection stays usable. */
function drain(req: http.IncomingMessage) {
  if (!req.readableEnded) req.resume();
}

/** Reads and parses a JSON body within the endpoint's limit. Empty body → undefined. */
export function readJson(req: http.IncomingMessage, limit: number | null): Promise<unknown> {
  const max = limit ?? Infinity;
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (declared > max) {
    drain(req);
    return Promise.reject(new HttpError("invalid_argument", `request body exceeds the limit of ${max} bytes`, 413));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > max) {
        failed = true;
        reject(new HttpError("invalid_argument", `request body exceeds the limit of ${max} bytes`, 413));
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => {
      if (failed) return;
      if (size === 0) return resolve(undefined);
      const text = chunks.length === 1 ? chunks[0].toString("utf8") : Buffer.concat(chunks).toString("utf8");
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return reject(new HttpError("invalid_argument", "invalid request: the body is not valid JSON"));
      }
      try {
        checkJson(value, text);
      } catch (err) {
        return reject(err);
      }
      resolve(value);
    });
    req.on("error", (err) => {
      if (!failed) reject(new HttpError("canceled", `the client went away: ${err.message}`));
      failed = true;
    });
    req.on("aborted", () => {
      if (!failed) reject(new HttpError("canceled", "the client aborted the request"));
      failed = true;
    });
  });
}

export function writeError(res: http.ServerResponse, err: unknown, extra: Record<string, string>, log: Logger, req: Request | null): void {
  let status: number;
  let body: { code: string; message: string; details: unknown };
  if (err instanceof ValidationError) {
    status = 400;
    body = { code: "invalid_argument", message: err.message, details: null };
  } else if (err instanceof HttpError || err instanceof RuntimeError) {
    status = err.status;
    body = { code: err.code, message: err.message, details: null };
  } else {
    const p = errorParts(err);
    status = statusForCode(p.code);
    body = { code: p.code, message: p.message, details: p.details };
    if (p.internal) log.log(req, LogLevel.Error, "request failed with an internal error", asError(err));
    else if (isDatabaseUnavailable(err)) log.log(req, LogLevel.Warn, "request failed: the database is unavailable (answered 503)", asError(err));
  }
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { ...extra, ...retryAfterHeader(body), "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}
