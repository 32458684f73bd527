// The ops dashboard at /_dev: a static page over JSON endpoints of the runtime (services and
// endpoints, the last requests with their queries/calls/publishes, Pub/Sub backlogs and dead
// letters, cron jobs, database pools, the app's own status). Guarded like the other ops pages
// (ops.ts). Actions (redeliver, run a job) take a JSON body from the page's own origin, and each is
// logged with who ran what.
import type http from "node:http";
import type { AppMeta } from "../meta.ts";
import type { RequestLog } from "../runtime/requestlog.ts";
import type { Logger } from "../runtime/log.ts";
import { HttpError, toErrorBody } from "./errors.ts";

export interface DevSource {
  meta: AppMeta;
  requests: RequestLog;
  pubsub(): Promise<unknown>;
  /** Throws HttpErrors (not_found, invalid_argument, unavailable) for what the caller got wrong. */
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
  if (b.dataset.redrive) { const r = await post("pubsub/redrive", { id: b.dataset.redrive, subscription: b.dataset.sub }); if (!r.ok) { b.textContent = "failed: " + r.message; return; } }
  if (b.dataset.run) { b.disabled = true; const r = await post("cron/run", { job: b.dataset.run }); b.textContent = r.ok ? "ran (" + r.durationMs + " ms)" : "failed: " + (r.error ?? r.message); }
  if (b.id === "refresh" || b.dataset.redrive) load();
});
load();
`;

const MAX_ACTION_BODY = 64 * 1024;

export class DevRoutes {
  constructor(
    private readonly src: DevSource,
    private readonly log: Logger,
  ) {}

  handles(pathname: string): boolean {
    return pathname === "/_dev" || pathname.startsWith("/_dev/");
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, via: string): Promise<void> {
    const json = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(text);
    };
    try {
      if (req.method === "POST") return json(200, await this.action(req, pathname, via));
      switch (pathname) {
        case "/_dev":
        case "/_dev/":
          res
            .writeHead(200, {
              "content-type": "text/html; charset=utf-8",
              "content-security-policy": "default-src 'self'",
              "cache-control": "no-store",
              "referrer-policy": "no-referrer",
              "x-frame-options": "DENY",
            })
            .end(PAGE);
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
              endpoints: s.endpoints.map((e) => ({
                name: e.name,
                methods: e.methods,
                path: e.path,
                auth: e.auth,
                expose: e.expose,
                raw: e.raw,
                stream: e.streamingRequest || e.streamingResponse,
              })),
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
      req.resume();
      const r = toErrorBody(err);
      if (r.internal) this.log.error("dev dashboard request failed", { path: pathname, error: r.logMessage }, err);
      json(r.status, r.body);
    }
  }

  /** A dashboard action: checked (origin, JSON body, arguments), run, and logged with who ran it. */
  private async action(req: http.IncomingMessage, pathname: string, via: string): Promise<unknown> {
    refuseCrossSite(req);
    const type = String(req.headers["content-type"] ?? "")
      .split(";")[0]
      .trim()
      .toLowerCase();
    if (type !== "application/json")
      throw new HttpError("invalid_argument", "dashboard actions take a JSON body (Content-Type: application/json)", undefined, 415);
    const body = await readBody(req);
    const who = { via, client: String(req.headers["x-real-ip"] ?? ""), user_agent: String(req.headers["user-agent"] ?? "").slice(0, 200) };
    let action: string;
    let args: Record<string, string>;
    let run: () => Promise<unknown>;
    if (pathname === "/_dev/api/pubsub/redrive") {
      const { id, subscription } = body;
      if (typeof id !== "string" || typeof subscription !== "string")
        throw new HttpError("invalid_argument", 'expected {"id": string, "subscription": string}');
      action = "pubsub.redrive";
      args = { id, subscription };
      run = async () => {
        await this.src.redrive(id, subscription);
        return { ok: true };
      };
    } else if (pathname === "/_dev/api/cron/run") {
      const { job } = body;
      if (typeof job !== "string") throw new HttpError("invalid_argument", 'expected {"job": string}');
      if (!this.src.meta.cronJobs.some((j) => j.name === job)) throw new HttpError("not_found", `no cron job ${JSON.stringify(job.slice(0, 100))}`);
      action = "cron.run";
      args = { job };
      run = () => this.src.runCron(job);
    } else {
      throw new HttpError("not_found", "no such dev action");
    }
    try {
      const result = await run();
      const failed = (result as { ok?: boolean; error?: string }).ok === false;
      this.log.info(`ops action ${action} by the ${via}`, {
        ops_action: action,
        ...args,
        ...who,
        ok: !failed,
        ...(failed ? { error: (result as { error?: string }).error } : {}),
      });
      return result;
    } catch (err) {
      this.log.warn(`ops action ${action} by the ${via} failed`, {
        ops_action: action,
        ...args,
        ...who,
        ok: false,
        error: err instanceof Error ? err.message : String(err),
      });
      throw err;
    }
  }
}

/**
 * Actions come from the dashboard's own page (or a tool that is no browser): a browser names the
 * page that sent a request in Origin and Sec-Fetch-Site, and another site's page is refused here
 * (with the JSON content type, it could not even send one without a preflight, which is never granted).
 */
function refuseCrossSite(req: http.IncomingMessage): void {
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none")
    throw new HttpError("permission_denied", "dashboard actions are taken from the dashboard's own page");
  const origin = req.headers.origin;
  if (origin === undefined) return;
  const host = req.headers.host ?? "";
  if (origin !== `http://${host}` && origin !== `https://${host}`)
    throw new HttpError("permission_denied", "dashboard actions are taken from the dashboard's own page");
}

function readBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > MAX_ACTION_BODY) {
        failed = true;
        reject(new HttpError("invalid_argument", `an action's body is at most ${MAX_ACTION_BODY} bytes`, undefined, 413));
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => {
      if (failed) return;
      let v: unknown;
      try {
        v = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return reject(new HttpError("invalid_argument", "the body is not valid JSON"));
      }
      if (typeof v !== "object" || v === null || Array.isArray(v)) return reject(new HttpError("invalid_argument", "the body must be a JSON object"));
      resolve(v as Record<string, unknown>);
    });
    req.on("error", (err) => {
      if (!failed) reject(new HttpError("canceled", `the client went away: ${err.message}`));
      failed = true;
    });
  });
}
