// A typed TypeScript client for the browser and Node, shaped like `encore gen client --lang
// typescript`: a Client with one namespace per service and one method per exposed endpoint,
// request/response interfaces, fields placed on the wire where the server expects them, Dates as
// ISO strings, APIError with Encore's codes, a bearer-token option, and streams as WebSockets.
import type { AppMeta, EndpointMeta, FieldMeta, ParamsMeta, Schema } from "../meta.ts";

const NO_BODY = new Set(["GET", "HEAD", "DELETE"]);

function ident(name: string): string {
  return name.replace(/[^A-Za-z0-9_$]/g, "_");
}

function quoteKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

/** A metadata Schema as a TypeScript type on the wire (Dates and decimals as strings). */
export function tsType(s: Schema): string {
  switch (s.kind) {
    case "string":
    case "date":
    case "decimal":
    case "bigint":
      return "string";
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "any":
      return "any";
    case "null":
      return "null";
    case "literal":
      return JSON.stringify(s.value);
    case "union":
      return s.types.map(tsType).join(" | ");
    case "array": {
      const inner = tsType(s.elem);
      return /[|&\s]/.test(inner) ? `(${inner})[]` : `${inner}[]`;
    }
    case "object":
      return objectType(s.fields);
    case "record":
      return `{ [key: ${s.key}]: ${tsType(s.value)} }`;
    case "ref":
      return typeName(s.name);
  }
}

function typeName(name: string): string {
  return ident(name.replace(/<.*$/, "")) + (name.includes("<") ? `_${ident(name.slice(name.indexOf("<")))}` : "");
}

function objectType(fields: FieldMeta[], indent = "  "): string {
  if (fields.length === 0) return "{}";
  const lines = fields.map(
    (f) => `${indent}${f.doc ? `/** ${f.doc.replace(/\*\//g, "* /")} */ ` : ""}${quoteKey(f.name)}${f.optional ? "?" : ""}: ${tsType(f.schema)};`,
  );
  return `{\n${lines.join("\n")}\n${indent.slice(2)}}`;
}

function locationOf(f: FieldMeta, method: string): "path" | "query" | "header" | "cookie" | "body" {
  const loc = f.location ?? "default";
  if (loc === "default") return NO_BODY.has(method) ? "query" : "body";
  return loc;
}

function paramsType(ep: EndpointMeta, p: ParamsMeta): string {
  return p.typeName && !p.typeName.includes("{") ? `${ep.service}.${typeName(p.typeName)}` : objectType(p.fields, "    ");
}

/** The TypeScript expression building the request path, with path parameters encoded. */
function pathExpr(ep: EndpointMeta): string {
  const parts = ep.segments.map((seg) =>
    seg.type === "literal"
      ? seg.value
      : seg.type === "param"
        ? `\${encodeURIComponent(String(params.${seg.value}))}`
        : `\${String(params.${seg.value}).split("/").map(encodeURIComponent).join("/")}`,
  );
  return `\`/${parts.join("/")}\``;
}

function methodFor(ep: EndpointMeta): string {
  return ep.methods[0] === "*" ? "POST" : ep.methods[0];
}

function endpointMethod(ep: EndpointMeta): string {
  const method = methodFor(ep);
  const isStream = ep.streamingRequest || ep.streamingResponse;
  const params = isStream ? (ep.handshake ?? null) : ep.request;
  const doc = ep.doc ? `  /** ${ep.doc.split("\n")[0].replace(/\*\//g, "* /")} */\n` : "";
  // Every field optional (the seed's `getTrends()`, `getCampaignInsights()`): the argument may be left out.
  const sig = params ? `params: ${paramsType(ep, params)}${params.fields.every((f) => f.optional) ? " = {}" : ""}` : "";
  const query: string[] = [];
  const headers: string[] = [];
  const body: string[] = [];
  for (const f of params?.fields ?? []) {
    const loc = locationOf(f, isStream ? "GET" : method);
    const wire = JSON.stringify(f.wireName ?? f.name);
    const access = `params[${JSON.stringify(f.name)}]`;
    if (loc === "query") query.push(`[${wire}, ${access}]`);
    else if (loc === "header") headers.push(`[${wire}, ${access}]`);
    else if (loc === "cookie")
      headers.push(
        `["Cookie", ${access} === undefined ? undefined : ${JSON.stringify(`${f.wireName ?? f.name}=`)} + encodeURIComponent(String((${access} as any)?.value ?? ${access}))]`,
      );
    else if (loc === "body") body.push(`${JSON.stringify(f.name)}: ${access}`);
  }
  const req = `{ query: [${query.join(", ")}], headers: [${headers.join(", ")}]${body.length ? `, body: { ${body.join(", ")} }` : ""} }`;
  if (isStream) {
    const inT = ep.streamIn ? tsType(ep.streamIn) : "never";
    const outT = ep.streamOut ? tsType(ep.streamOut) : "never";
    return `${doc}  async ${ident(ep.name)}(${sig}): Promise<StreamConnection<${inT}, ${outT}>> {\n    return this.base.openStream<${inT}, ${outT}>(${pathExpr(ep)}, ${req});\n  }\n`;
  }
  if (ep.raw) {
    return `${doc}  async ${ident(ep.name)}(init?: RequestInit & { path?: string }): Promise<Response> {\n    return this.base.rawRequest(${JSON.stringify(method)}, ${JSON.stringify(ep.path)}, init);\n  }\n`;
  }
  const resp = ep.response;
  const respType = resp
    ? resp.typeName && !resp.typeName.includes("{")
      ? `${ep.service}.${typeName(resp.typeName)}`
      : objectType(
          resp.fields.filter((f) => !f.httpStatus && f.location !== "header"),
          "    ",
        )
    : "void";
  const respHeaders = (resp?.fields ?? [])
    .filter((f) => f.location === "header")
    .map((f) => `[${JSON.stringify(f.name)}, ${JSON.stringify(f.wireName ?? f.name)}]`);
  return `${doc}  async ${ident(ep.name)}(${sig}): Promise<${respType}> {\n    return this.base.call(${JSON.stringify(method)}, ${pathExpr(ep)}, ${req}, ${resp ? "true" : "false"}, [${respHeaders.join(", ")}]) as Promise<${respType}>;\n  }\n`;
}

const RUNTIME = `
/** Encore's error codes. */
export type ErrCode = "canceled" | "unknown" | "invalid_argument" | "deadline_exceeded" | "not_found" | "already_exists"
  | "permission_denied" | "resource_exhausted" | "failed_precondition" | "aborted" | "out_of_range" | "unimplemented"
  | "internal" | "unavailable" | "data_loss" | "unauthenticated";

/** An error answered by the API, in Encore's format. */
export class APIError extends Error {
  constructor(readonly status: number, readonly code: ErrCode, message: string, readonly details: unknown = null) {
    super(message);
    this.name = "APIError";
  }
}

export function isAPIError(err: unknown): err is APIError {
  return err instanceof APIError;
}

/** A WebSocket constructor: the browser's, Node 22's global one, or the \`ws\` package's. */
export type WebSocketLike = new (url: string, protocols?: string | string[]) => {
  send(data: string): void; close(code?: number, reason?: string): void; readyState: number;
  onopen: ((ev: any) => void) | null; onmessage: ((ev: { data: any }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null; onerror: ((ev: any) => void) | null;
};

export interface ClientOptions {
  /** A bearer token, or a function giving one per request (e.g. after a refresh). */
  auth?: string | (() => string | undefined | Promise<string | undefined>);
  /** fetch to use (default: the global one). */
  fetcher?: typeof fetch;
  /** WebSocket to use for streams (default: the global one). */
  WebSocket?: WebSocketLike;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

type Pairs = [string, unknown][];

interface WireRequest {
  query: Pairs;
  headers: Pairs;
  body?: Record<string, unknown>;
}

/** A live stream: send (when the endpoint reads), receive (when it writes), and iterate. */
export interface StreamConnection<In, Out> extends AsyncIterable<Out> {
  send(msg: In): void;
  recv(): Promise<Out>;
  close(): void;
  /** Resolves with the close code once the stream has ended. */
  closed: Promise<number>;
}

function wire(v: unknown): unknown {
  return v instanceof Date ? v.toISOString() : v;
}

class BaseClient {
  constructor(readonly target: string, readonly options: ClientOptions) {}

  private async token(): Promise<string | undefined> {
    const a = this.options.auth;
    return typeof a === "function" ? a() : a;
  }

  private url(path: string, query: Pairs): string {
    const qs = new URLSearchParams();
    for (const [k, v] of query) {
      if (v === undefined || v === null) continue;
      for (const item of Array.isArray(v) ? v : [v]) qs.append(k, String(wire(item)));
    }
    const q = qs.toString();
    return this.target.replace(/\\/$/, "") + path + (q ? "?" + q : "");
  }

  private async headers(pairs: Pairs, json: boolean): Promise<Record<string, string>> {
    const h: Record<string, string> = { ...this.options.headers };
    if (json) h["Content-Type"] = "application/json";
    const token = await this.token();
    if (token) h["Authorization"] = "Bearer " + token;
    for (const [k, v] of pairs) if (v !== undefined && v !== null) h[k] = String(wire(v));
    return h;
  }

  async call(method: string, path: string, req: WireRequest, hasBody: boolean, respHeaders: [string, string][]): Promise<unknown> {
    const fetcher = this.options.fetcher ?? fetch;
    const res = await fetcher(this.url(path, req.query), {
      method,
      headers: await this.headers(req.headers, req.body !== undefined),
      body: req.body === undefined ? undefined : JSON.stringify(req.body, (_k, v) => (typeof v === "bigint" ? v.toString() : v)),
    });
    const text = await res.text();
    if (!res.ok) {
      let e: { code?: ErrCode; message?: string; details?: unknown } = {};
      try {
        e = JSON.parse(text);
      } catch {
        // not Encore's JSON (a proxy's page): keep the status
      }
      throw new APIError(res.status, e.code ?? "unknown", e.message ?? (text || res.statusText), e.details ?? null);
    }
    if (!hasBody) return undefined;
    const out = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    for (const [field, header] of respHeaders) {
      const v = res.headers.get(header);
      if (v !== null) out[field] = v;
    }
    return out;
  }

  async rawRequest(method: string, path: string, init: RequestInit & { path?: string } = {}): Promise<Response> {
    const fetcher = this.options.fetcher ?? fetch;
    const headers = { ...(await this.headers([], false)), ...(init.headers as Record<string, string> | undefined) };
    return fetcher(this.target.replace(/\\/$/, "") + (init.path ?? path), { method, ...init, headers });
  }

  async openStream<In, Out>(path: string, req: WireRequest): Promise<StreamConnection<In, Out>> {
    const WS = this.options.WebSocket ?? (globalThis as unknown as { WebSocket?: WebSocketLike }).WebSocket;
    if (!WS) throw new Error("no WebSocket implementation: pass ClientOptions.WebSocket (e.g. the ws package)");
    // Browsers cannot set headers on a WebSocket: Encore reads them from this subprotocol.
    const headers = await this.headers(req.headers, false);
    const packed = btoa(JSON.stringify(headers)).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
    const ws = new WS(this.url(path, req.query).replace(/^http/, "ws"), ["encore-ws", "encore.dev.headers." + packed]);
    const queue: Out[] = [];
    const waiters: { resolve: (v: Out) => void; reject: (e: Error) => void }[] = [];
    let ended: Error | null = null;
    let closeCode!: (code: number) => void;
    const closed = new Promise<number>((r) => (closeCode = r));
    ws.onmessage = (ev) => {
      const msg = JSON.parse(String(ev.data)) as Out;
      const w = waiters.shift();
      if (w) w.resolve(msg);
      else queue.push(msg);
    };
    ws.onclose = (ev) => {
      ended = new Error(\`stream closed (\${ev.code}\${ev.reason ? ": " + ev.reason : ""})\`);
      for (const w of waiters.splice(0)) w.reject(ended);
      closeCode(ev.code);
    };
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new APIError(0, "unavailable", "could not open the stream (refused, or the handshake failed)"));
    });
    ws.onerror = null;
    const recv = (): Promise<Out> =>
      queue.length > 0 ? Promise.resolve(queue.shift()!) : ended ? Promise.reject(ended) : new Promise<Out>((resolve, reject) => waiters.push({ resolve, reject }));
    return {
      send: (msg: In) => ws.send(JSON.stringify(msg, (_k, v) => wire(v))),
      recv,
      close: () => ws.close(1000),
      closed,
      async *[Symbol.asyncIterator]() {
        for (;;) {
          try {
            yield await recv();
          } catch {
            return;
          }
        }
      },
    };
  }
}
`;

/** The client's source (one self-contained TypeScript module). */
export function generateClient(meta: AppMeta): string {
  const out: string[] = [
    `// Generated by War Room's runtime (npm run gen:client) from ${meta.appId}'s metadata. Do not edit.`,
    "/* eslint-disable */",
    RUNTIME,
  ];
  const services = meta.services.filter((s) => s.endpoints.some((e) => e.expose && !e.static));
  // Named types, in the namespace of every service that uses them (as Encore's client does per package).
  for (const svc of services) {
    const eps = svc.endpoints.filter((e) => e.expose && !e.static);
    const names = new Set<string>();
    const visit = (s: Schema | null | undefined): void => {
      if (!s) return;
      if (s.kind === "ref") {
        if (names.has(s.name)) return;
        names.add(s.name);
        visit(meta.types[s.name]);
      } else if (s.kind === "union") s.types.forEach(visit);
      else if (s.kind === "array") visit(s.elem);
      else if (s.kind === "record") visit(s.value);
      else if (s.kind === "object") for (const f of s.fields) visit(f.schema);
    };
    const declared: string[] = [];
    for (const ep of eps) {
      for (const p of [ep.request, ep.response, ep.handshake ?? null]) {
        if (!p) continue;
        for (const f of p.fields) visit(f.schema);
        if (p.typeName && !p.typeName.includes("{") && !declared.includes(p.typeName)) declared.push(p.typeName);
      }
      visit(ep.streamIn);
      visit(ep.streamOut);
    }
    out.push(`export namespace ${ident(svc.name)} {`);
    for (const n of names) out.push(`  export type ${typeName(n)} = ${tsType(meta.types[n]).replace(/\n/g, "\n  ")};`);
    for (const n of declared) {
      if (names.has(n)) continue;
      const ep = eps.find((e) => e.request?.typeName === n || e.response?.typeName === n || e.handshake?.typeName === n)!;
      const p = [ep.request, ep.response, ep.handshake].find((x) => x?.typeName === n)!;
      const fields = p === ep.response ? p.fields.filter((f) => !f.httpStatus) : p.fields;
      out.push(`  export interface ${typeName(n)} ${objectType(fields, "    ")}`);
    }
    out.push(`\n  export class ServiceClient {\n    constructor(private readonly base: BaseClient) {}\n`);
    for (const ep of eps) out.push(endpointMethod(ep).replace(/^/gm, "  "));
    out.push("  }\n}\n");
  }
  out.push(`/** The API client: one property per service. */
export default class Client {
${services.map((s) => `  readonly ${ident(s.name)}: ${ident(s.name)}.ServiceClient;`).join("\n")}

  /** target: the API's base URL, e.g. "http://localhost:4000". */
  constructor(target: string, options: ClientOptions = {}) {
    const base = new BaseClient(target, options);
${services.map((s) => `    this.${ident(s.name)} = new ${ident(s.name)}.ServiceClient(base);`).join("\n")}
  }
}

export { Client };
`);
  return out.join("\n");
}
