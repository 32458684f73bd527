// The ops dashboard at /_dev: a static page over JSON endpoints of the runtime (services and
// endpoints, the last requests with their queries/calls/publishes, Pub/Sub backlogs and dead
// letters, cron jobs, database pools, the app's own status). Guarded like the other ops pages.
import type http from "node:http";
import type { AppMeta } from "../meta.ts";
import type { RequestLog } from "../runtime/requestlog.ts";

export interface DevSource {
  meta: AppMeta;
  requests: RequestLog;
  pubsub(): Promise<unknown>;
  redrive(id: string, subscription: string): Promise<void>;
  cron(): Promise<unknown>;
  runCron(job: string): Promise<{ ok: boolean; durationMs: number; error?: string }>;
  databases(): unknown;
  status(): Promise<unknown>;
}

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>War Room runtime — dev dashboard</title>
<link rel="stylesheet" href="/_dev/dev.css"></head>
<body><header><h1>Dev dashboard</h1><span id="app"></span><button id="refresh">Refresh</button></header>
<main>
<section><h2>Services</h2><div id="services"></div></section>
<section><h2>Recent requests</h2><div id="requests"></div></section>
<section><h2>Pub/Sub</h2><div id="pubsub"></div></section>
<section><h2>Cron jobs</h2><div id="cron"></div></section>
<section><h2>Databases</h2><div id="databases"></div></section>
<section><h2>Status (circuit breakers)</h2><pre id="status"></pre></section>
</main><script src="/_dev/dev.js"></script></body></html>`;

const CSS = `body{font:14px system-ui,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
header{display:flex;gap:1rem;align-items:center;padding:.6rem 1rem;background:#1d2430;color:#fff}
h1{font-size:1.1rem;margin:0}h2{font-size:1rem;margin:1.2rem 0 .4rem}main{padding:0 1rem 2rem}
table{border-collapse:collapse;width:100%;background:#fff}td,th{border:1px solid #dde1e7;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#eef0f4}.bad{color:#b00020;font-weight:600}.ok{color:#18794e}.spans{font:12px ui-monospace,monospace;color:#445}
button{cursor:pointer}pre{background:#fff;border:1px solid #dde1e7;padding:.5rem;overflow:auto;max-height:20rem}`;

const SCRIPT = `
const esc = (v) => String(v ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const q = new URLSearchParams(location.search).get("ops_token");
const headers = q ? { "x-ops-token": q } : {};
const get = (p) => fetch("/_dev/api/" + p, { headers }).then((r) => r.json());
const post = (p, body) => fetch("/_dev/api/" + p, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.json());
function table(cols, rows) {
  return "<table><tr>" + cols.map((c) => "<th>" + esc(c[0]) + "</th>").join("") + "</tr>" +
    rows.map((r) => "<tr>" + cols.map((c) => "<td>" + c[1](r) + "</td>").join("") + "</tr>").join("") + "</table>";
}
async function load() {
  const [app, reqs, ps, cron, dbs, status] = await Promise.all([get("app"), get("requests"), get("pubsub"), get("cron"), get("databases"), get("status")]);
  document.getElementById("app").textContent = app.appId;
  document.getElementById("services").innerHTML = table([["service", (s) => esc(s.name)], ["endpoints", (s) => s.endpoints.map((e) =>
    esc(e.methods.join(",") + " " + e.path) + (e.auth ? " [auth]" : "") + (e.expose ? "" : " (internal)")).join("<br>")]], app.services);
  document.getElementById("requests").innerHTML = table([["time", (r) => esc(r.at.slice(11, 23))], ["request", (r) => esc(r.method + " " + r.path)],
    ["status", (r) => '<span class="' + (r.status >= 500 ? "bad" : "ok") + '">' + r.status + "</span>"], ["ms", (r) => r.durationMs], ["user", (r) => esc(r.userID)],
    ["trace", (r) => '<div class="spans">' + r.spans.map((s) => esc("+" + s.offsetMs + "ms " + s.kind + " " + s.name + " (" + s.durationMs + "ms) " + s.detail + (s.error ? " ✗ " + s.error : ""))).join("<br>") + "</div>"]], reqs.requests);
  document.getElementById("pubsub").innerHTML = table([["topic", (t) => esc(t.topic)], ["subscription", (t) => esc(t.subscription)], ["backlog", (t) => t.backlog],
    ["in flight", (t) => t.inFlight], ["retrying", (t) => t.retrying], ["dead letters", (t) => (t.deadLetters ? '<span class="bad">' + t.deadLetters + "</span>" : 0) +
      t.dead.map((d) => '<br><button data-redrive="' + esc(d.id) + '" data-sub="' + esc(t.subscription) + '">redeliver ' + esc(d.id) + "</button> " + esc(d.lastError)).join("")]], ps.subscriptions);
  document.getElementById("cron").innerHTML = table([["job", (j) => esc(j.name) + "<br>" + esc(j.title)], ["schedule", (j) => esc(j.schedule)], ["endpoint", (j) => esc(j.endpoint)],
    ["last runs", (j) => j.runs.map((r) => esc(r.tick + " " + r.status + (r.error ? " " + r.error : ""))).join("<br>")], ["", (j) => '<button data-run="' + esc(j.name) + '">run now</button>']], cron.jobs);
  document.getElementById("databases").innerHTML = table([["database", (d) => esc(d.name)], ["pool", (d) => (d.pool ? esc(d.pool.open + " open, " + d.pool.idle + " idle, " + d.pool.waiting + " waiting (max " + d.pool.size + ")") : "not connected")]], dbs.databases);
  if (dbs.budget) document.getElementById("databases").insertAdjacentHTML("afterbegin", "<p>connection budget: " + esc(dbs.budget.used + " of " + dbs.budget.max + " in use (" + dbs.budget.runtime + " for Pub/Sub and cron), " + dbs.budget.queued + " pools waiting") + "</p>");
  document.getElementById("status").textContent = JSON.stringify(status, null, 2);
}
document.addEventListener("click", async (ev) => {
  const b = ev.target.closest("button"); if (!b) return;
  if (b.dataset.redrive) await post("pubsub/redrive", { id: b.dataset.redrive, subscription: b.dataset.sub });
  if (b.dataset.run) { b.disabled = true; const r = await post("cron/run", { job: b.dataset.run }); b.textContent = r.ok ? "ran (" + r.durationMs + " ms)" : "failed: " + r.error; }
  if (b.id === "refresh" || b.dataset.redrive) load();
});
load();
`;

export class DevRoutes {
  constructor(private readonly src: DevSource) {}

  handles(pathname: string): boolean {
    return pathname === "/_dev" || pathname.startsWith("/_dev/");
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<void> {
    const json = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(text);
    };
    try {
      if (req.method === "POST") {
        const body = await readBody(req);
        if (pathname === "/_dev/api/pubsub/redrive" && typeof body.id === "string" && typeof body.subscription === "string") {
          await this.src.redrive(body.id, body.subscription);
          return json(200, { ok: true });
        }
        if (pathname === "/_dev/api/cron/run" && typeof body.job === "string") return json(200, await this.src.runCron(body.job));
        return json(404, { code: "not_found", message: "no such dev action", details: null });
      }
      switch (pathname) {
        case "/_dev":
        case "/_dev/":
          res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-security-policy": "default-src 'self'" }).end(PAGE);
          return;
        case "/_dev/dev.js":
          res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(SCRIPT);
          return;
        case "/_dev/dev.css":
          res.writeHead(200, { "content-type": "text/css; charset=utf-8" }).end(CSS);
          return;
        case "/_dev/api/app":
          return json(200, {
            appId: this.src.meta.appId,
            services: this.src.meta.services.map((s) => ({
              name: s.name,
              endpoints: s.endpoints.map((e) => ({ name: e.name, methods: e.methods, path: e.path, auth: e.auth, expose: e.expose, raw: e.raw, stream: e.streamingRequest || e.streamingResponse })),
            })),
          });
        case "/_dev/api/requests":
          return json(200, { requests: this.src.requests.list() });
        case "/_dev/api/pubsub":
          return json(200, await this.src.pubsub());
        case "/_dev/api/cron":
          return json(200, await this.src.cron());
        case "/_dev/api/databases":
          return json(200, this.src.databases());
        case "/_dev/api/status":
          return json(200, await this.src.status());
        default:
          return json(404, { code: "not_found", message: "no such dev page", details: null });
      }
    } catch (err) {
      json(500, { code: "internal", message: err instanceof Error ? err.message : String(err), details: null });
    }
  }
}

function readBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    let text = "";
    req.on("data", (c: Buffer) => {
      if (text.length < 65_536) text += c.toString();
    });
    req.on("end", () => {
      try {
        const v = JSON.parse(text || "{}");
        resolve(v && typeof v === "object" ? v : {});
      } catch {
        resolve({});
      }
    });
    req.on("error", () => resolve({}));
  });
}
