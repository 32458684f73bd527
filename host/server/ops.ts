// Our runtime's own pages, beside the app's routes: the OpenAPI document (/openapi.json), an
// API reference rendered by Swagger UI from local files (/docs), the dev dashboard (/_dev) and the
// metrics in Prometheus' text format (/metrics). Open on a local development
// server; when WARROOM_OPS_TOKEN is set they require it (header X-Ops-Token or ?ops_token=).
// Under `encore run`, Encore's own tooling takes their place.
import type http from "node:http";
import { createReadStream } from "node:fs";
import { timingSafeEqual } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import type { AppMeta } from "../meta.ts";
import { openapiDocument } from "../codegen/openapi.ts";
import { DevRoutes, type DevSource } from "./dev.ts";
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

// Inline scripts would need a CSP exception; the initialiser is served as a file.
const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: "/openapi.json" + location.search, dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout" });`;

function tokenOk(req: http.IncomingMessage, url: URL, token: string | undefined): boolean {
  if (!token) return true;
  const given = (req.headers["x-ops-token"] as string | undefined) ?? url.searchParams.get("ops_token") ?? "";
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class OpsRoutes {
  private doc: string | null = null;
  private readonly dev: DevRoutes | null;

  constructor(
    private readonly meta: AppMeta,
    private readonly token: string | undefined,
    dev?: DevSource,
  ) {
    this.dev = dev ? new DevRoutes(dev) : null;
  }

  /** True when the request was one of ours (and has been answered). */
  handle(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): boolean {
    const dev = this.dev?.handles(pathname) ?? false;
    if (!dev && pathname !== "/openapi.json" && pathname !== "/metrics" && pathname !== "/docs" && !pathname.startsWith("/docs/")) return false;
    if (req.method !== "GET" && req.method !== "HEAD" && !(dev && req.method === "POST")) return false;
    const url = new URL(req.url ?? "/", "http://localhost");
    if (!tokenOk(req, url, this.token)) {
      const body = JSON.stringify({ code: "unauthenticated", message: "this page needs the ops token (X-Ops-Token)", details: null });
      res.writeHead(401, { "content-type": "application/json" }).end(body);
      return true;
    }
    if (dev) {
      void this.dev!.handle(req, res, pathname);
    } else if (pathname === "/metrics") {
      renderPrometheus().then(
        (text) => res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-cache" }).end(text),
        () => res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ code: "internal", message: "metrics unavailable", details: null })),
      );
    } else if (pathname === "/openapi.json") {
      this.doc ??= JSON.stringify(openapiDocument(this.meta), null, 2);
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-cache" }).end(this.doc);
    } else if (pathname === "/docs" || pathname === "/docs/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'" }).end(DOCS_HTML);
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
