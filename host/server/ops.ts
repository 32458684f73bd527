// The runtime's own pages: the OpenAPI document (/openapi.json), an API reference (/docs, Swagger
// UI from local files), the ops dashboard (/_dev) and the metrics in Prometheus' text format (/metrics). As Encore serves its dashboard on
// localhost:9400, they live on their own port bound to loopback (WARROOM_OPS_PORT, _HOST), open to
// whoever sits at the machine. On the public port they exist only when WARROOM_OPS_TOKEN is set,
// and then only with it (X-Ops-Token; `?ops_token=` for the two HTML pages a browser navigates to).
// Under `encore run`, Encore's own tooling takes their place.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createReadStream } from "node:fs";
import { timingSafeEqual } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import type { AppMeta } from "../meta.ts";
import type { Logger } from "../runtime/log.ts";
import { openapiDocument } from "../codegen/openapi.ts";
import { DevRoutes, type DevSource } from "./dashboard.ts";
import { applyClientAddress, isLoopback, normalizeAddress, type TrustedProxies } from "./clientaddr.ts";
import { renderPrometheus } from "../runtime/metrics.ts";

const require = createRequire(import.meta.url);
const SWAGGER_DIR = path.dirname(require.resolve("swagger-ui-dist/package.json"));
const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui-standalone-preset.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>API reference</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"><link rel="icon" href="/docs/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script><script src="/docs/swagger-ui-standalone-preset.js"></script>
<script src="/docs/init.js"></script></body></html>`;

// Inline scripts would need a CSP exception; the initialiser is served as a file. The token (on the
// public port) goes to /openapi.json as a header, never into the app's own requests.
const DOCS_INIT = `const opsToken = new URLSearchParams(location.search).get("ops_token");
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout",
  requestInterceptor: (req) => {
    if (opsToken && new URL(req.url, location.href).pathname === "/openapi.json") req.headers["X-Ops-Token"] = opsToken;
    return req;
  } });`;

const PAGE_HEADERS = { "cache-control": "no-store", "referrer-policy": "no-referrer", "x-frame-options": "DENY" };

/** How one listener serves the ops pages. */
export interface OpsPolicy {
  /** Named in the audit line of each dashboard action: where it came in. */
  via: "ops port" | "public port";
  /** Required when set (X-Ops-Token). */
  token: string | undefined;
  /** Only a Host naming this machine (a browser page on another site cannot rebind its name to loopback). */
  loopbackHostOnly: boolean;
}

function hostName(hostHeader: string | undefined): string {
  const h = hostHeader ?? "";
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  const colon = h.indexOf(":");
  return colon < 0 ? h : h.slice(0, colon);
}

function tokenOk(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sendJson(res: http.ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify({ code, message, details: null }));
}

const HTML_PAGES = new Set(["/_dev", "/_dev/", "/docs", "/docs/"]);

export class OpsRoutes {
  private doc: string | null = null;
  private readonly dev: DevRoutes | null;

  constructor(
    private readonly meta: AppMeta,
    log: Logger,
    dev?: DevSource,
  ) {
    this.dev = dev ? new DevRoutes(dev, log) : null;
  }

  /** Whether a path is one of the ops pages (whatever the method). */
  owns(pathname: string): boolean {
    return (
      pathname === "/openapi.json" || pathname === "/metrics" || pathname === "/docs" || pathname.startsWith("/docs/") || (this.dev?.handles(pathname) ?? false)
    );
  }

  /** True when the request was one of ours (and has been answered). */
  handle(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, policy: OpsPolicy): boolean {
    if (!this.owns(pathname)) return false;
    const dev = this.dev?.handles(pathname) ?? false;
    if (req.method !== "GET" && req.method !== "HEAD" && !(dev && req.method === "POST")) return false;
    if (policy.loopbackHostOnly && !isLoopback(hostName(req.headers.host))) {
      sendJson(res, 403, "permission_denied", "the ops pages answer only to a Host naming this machine (localhost, 127.0.0.1, [::1])");
      return true;
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    // Static files carry no data; without them a browser could not render the pages it has the token for.
    const asset =
      pathname === "/_dev/dev.js" ||
      pathname === "/_dev/dev.css" ||
      pathname === "/docs/init.js" ||
      (pathname.startsWith("/docs/") && Object.hasOwn(ASSETS, pathname.slice(6)));
    if (policy.token !== undefined && !asset) {
      const header = req.headers["x-ops-token"];
      const given =
        (Array.isArray(header) ? header[0] : header) ?? (req.method === "GET" && HTML_PAGES.has(pathname) ? url.searchParams.get("ops_token") : null) ?? "";
      if (!tokenOk(given, policy.token)) {
        sendJson(res, 401, "unauthenticated", "this page needs the ops token (X-Ops-Token)");
        return true;
      }
    }
    if (dev) {
      void this.dev!.handle(req, res, pathname, policy.via);
    } else if (pathname === "/metrics") {
      renderPrometheus().then(
        (text) => res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-cache" }).end(text),
        () => sendJson(res, 500, "internal", "metrics unavailable"),
      );
    } else if (pathname === "/openapi.json") {
      this.doc ??= JSON.stringify(openapiDocument(this.meta), null, 2);
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-cache" }).end(this.doc);
    } else if (pathname === "/docs" || pathname === "/docs/") {
      res
        .writeHead(200, {
          ...PAGE_HEADERS,
          "content-type": "text/html; charset=utf-8",
          "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
        })
        .end(DOCS_HTML);
    } else if (pathname === "/docs/init.js") {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(DOCS_INIT);
    } else {
      const name = pathname.slice("/docs/".length);
      const type = ASSETS[name];
      if (!type) return false;
      res.writeHead(200, { "content-type": type, "cache-control": "public, max-age=3600" });
      createReadStream(path.join(SWAGGER_DIR, name)).pipe(res);
    }
    return true;
  }
}

export interface OpsServerOptions {
  routes: OpsRoutes;
  port: number;
  host: string;
  token: string | undefined;
  trustedProxies: TrustedProxies;
}

/** The ops port: the ops pages and nothing else. */
export class OpsServer {
  readonly server: http.Server;
  private readonly policy: OpsPolicy;

  constructor(private readonly opts: OpsServerOptions) {
    const loopback = isLoopback(opts.host);
    // Off loopback the port is reachable from elsewhere: then it asks for the token like the public port.
    this.policy = { via: "ops port", token: loopback ? undefined : opts.token, loopbackHostOnly: loopback };
    this.server = http.createServer({ headersTimeout: 30_000, requestTimeout: 60_000 }, (req, res) => {
      applyClientAddress(req.headers, req.socket.remoteAddress, opts.trustedProxies);
      const raw = req.url ?? "/";
      const q = raw.indexOf("?");
      const pathname = q < 0 ? raw : raw.slice(0, q);
      if (!opts.routes.handle(req, res, pathname, this.policy)) {
        req.resume();
        sendJson(res, 404, "not_found", "not an ops page (the app is on its own port)");
      }
    });
  }

  /** Starts listening; resolves with the port. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen({ port: this.opts.port, host: this.opts.host }, () => {
        this.server.off("error", reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((r) => {
      this.server.close(() => r());
      this.server.closeAllConnections();
    });
  }
}

/** The URL of a listener on host:port, as a person would type it. */
export function listenerUrl(host: string, port: number): string {
  const h = host === "0.0.0.0" || host === "::" ? "localhost" : normalizeAddress(host)?.includes(":") ? `[${host}]` : host;
  return `http://${h}:${port}`;
}
