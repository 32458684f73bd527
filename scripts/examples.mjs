#!/usr/bin/env node
// Runs Encore's published TypeScript example apps on our runtime, unmodified, and records for each
// whether `check` accepts it and whether it starts (serves HTTP). Needs the network (npm install),
// so it is not part of `npm test`.
//
//   node scripts/examples.mjs --repo <bare git dir of encoredev/examples> [--out DIR] [--only a,b]
//        [--jobs N] [--report FILE] [--phases install,check,start] [--bin host/bin.mjs of another checkout]
//
// Each app is extracted with `git archive` into DIR/<app>, installed with `npm install`
// (capped at --install-timeout seconds), checked with `host/bin.mjs check`, and started with
// `host/bin.mjs start` (DATABASE_URL from the environment, WARROOM_DB_PREFIX=<prefix>ex_<app>_, a free PORT)
// until it answers HTTP or --start-timeout seconds pass. Results go to --report as JSON and a table
// on stdout.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));

function flag(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
const BIN = path.resolve(flag("bin", path.join(HERE, "..", "host", "bin.mjs")));
const SDK_VERSION = JSON.parse(readFileSync(path.join(HERE, "..", "node_modules", "encore.dev", "package.json"), "utf8")).version;

const repo = flag("repo");
if (!repo) {
  console.error("usage: node scripts/examples.mjs --repo <bare git dir of encoredev/examples> [options]");
  process.exit(2);
}
const out = path.resolve(flag("out", "/tmp/encore-examples"));
const reportFile = path.resolve(flag("report", path.join(out, "report.json")));
const installTimeout = Number(flag("install-timeout", "300")) * 1000;
const checkTimeout = Number(flag("check-timeout", "180")) * 1000;
const startTimeout = Number(flag("start-timeout", "90")) * 1000;
const jobs = Number(flag("jobs", "2"));
const only = flag("only", "")?.split(",").filter(Boolean);
const phases = flag("phases", "install,check,start").split(",");

// An app is a folder holding encore.app (saas-starter/backend; expressjs-migration has two apps).
const all = execFileSync("git", ["-C", repo, "ls-tree", "-r", "--name-only", "HEAD", "ts/"], { encoding: "utf8" })
  .split("\n")
  .filter((p) => p.endsWith("/encore.app"))
  .map((p) => p.slice(3, -"/encore.app".length));
const apps = only?.length ? all.filter((a) => only.includes(a)) : all;

/** Runs a command, resolving with {code, out, timedOut}; output is capped to the last 20 kB. */
function run(cmd, args, opts, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...opts, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    const take = (b) => {
      text = (text + b.toString()).slice(-20000);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      kill(child);
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out: text, timedOut });
    });
  });
}
function kill(child) {
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    /* gone */
  }
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

/** First line that looks like an error, for the report. */
function reason(text) {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const hit = lines.find((l) => /error|unsupported|not supported|cannot|ERR_|failed|must|requires|not allowed|duplicate|unknown/i.test(l) && !/^at /.test(l));
  return (hit ?? lines.at(-1) ?? "").slice(0, 400);
}

async function startApp(dir, app) {
  const port = await freePort();
  const env = {
    ...process.env,
    PORT: String(port),
    WARROOM_DB_PREFIX: `${process.env.WARROOM_DB_PREFIX ?? ""}ex_${app.replace(/[^a-z0-9]/gi, "_").toLowerCase()}_`,
    WARROOM_CRON: "off",
    NODE_ENV: "development",
  };
  const child = spawn(process.execPath, [BIN, "start", "--root", dir], { cwd: path.dirname(BIN), env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  const take = (b) => {
    text = (text + b.toString()).slice(-20000);
  };
  child.stdout.on("data", take);
  child.stderr.on("data", take);
  let exited = null;
  child.on("exit", (code) => {
    exited = code ?? -1;
  });
  const deadline = Date.now() + startTimeout;
  let ok = false;
  while (Date.now() < deadline && exited === null) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/__encore/healthz`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      ok = true; // any HTTP answer: the app is serving
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  if (ok) await new Promise((r) => setTimeout(r, 1000)); // a crash right after listening still counts
  const stillUp = exited === null;
  kill(child);
  await new Promise((r) => (exited !== null ? r() : child.on("exit", r)));
  if (ok && stillUp) return { ok: true };
  return {
    ok: false,
    reason: exited !== null ? `exited ${exited}: ${reason(text)}` : `no HTTP answer in ${startTimeout / 1000}s: ${reason(text)}`,
    log: text.slice(-4000),
  };
}

/** Writes ts/<app> from the git dir into dir. Like `git archive`, but a blob the mirror lacks (large
 * binary assets) is skipped instead of failing the whole app. */
function extract(app, dir) {
  const listing = execFileSync("git", ["-C", repo, "ls-tree", "-r", "-z", "HEAD", `ts/${app}/`], { encoding: "utf8", maxBuffer: 1 << 26 });
  mkdirSync(dir, { recursive: true });
  for (const entry of listing.split("\0").filter(Boolean)) {
    const [meta, file] = entry.split("\t");
    const [mode, type, sha] = meta.split(" ");
    if (type !== "blob") continue;
    const dest = path.join(dir, file.slice(`ts/${app}/`.length));
    mkdirSync(path.dirname(dest), { recursive: true });
    let data;
    try {
      data = execFileSync("git", ["-C", repo, "cat-file", "blob", sha], { maxBuffer: 1 << 28, stdio: ["ignore", "pipe", "ignore"] });
    } catch {
      continue;
    }
    if (mode === "120000") continue; // symlinks: none expected in the examples
    writeFileSync(dest, data, { mode: mode === "100755" ? 0o755 : 0o644 });
  }
}

async function one(app) {
  const dir = path.join(out, app);
  const r = { app };
  if (phases.includes("install")) {
    if (!existsSync(path.join(dir, "package.json"))) {
      mkdirSync(out, { recursive: true });
      extract(app, dir);
    }
    if (!existsSync(path.join(dir, "node_modules"))) {
      const t0 = Date.now();
      const npm = (args) =>
        run("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, env: { ...process.env, CI: "1" } }, installTimeout);
      let res = await npm(["install"]);
      if (res.code !== 0 && /E404/.test(res.out) && existsSync(path.join(dir, "package-lock.json"))) {
        // The lockfile pins a version this registry does not serve: resolve the ranges afresh.
        r.installNote = `lockfile version not on the registry (${reason(res.out).slice(0, 160)}); installed without the lockfile`;
        rmSync(path.join(dir, "node_modules"), { recursive: true, force: true });
        res = await npm(["install", "--no-package-lock"]);
      }
      if (res.code !== 0 && /ERESOLVE/.test(res.out)) {
        // Fresh resolution (above) can meet peer-dependency conflicts the lockfile had settled.
        r.installNote = `${r.installNote ? `${r.installNote}; ` : ""}peer-dependency conflict: installed with --legacy-peer-deps`;
        res = await npm(["install", "--no-package-lock", "--legacy-peer-deps"]);
      }
      if (res.code !== 0 && /ENOTFOUND|ECONNREFUSED|EAI_AGAIN|getaddrinfo/.test(res.out)) {
        // An install script fetches from beyond the npm registry (no network here): install
        // without scripts and say so.
        r.installNote = `${r.installNote ? `${r.installNote}; ` : ""}an install script needs network beyond npm: installed with --ignore-scripts`;
        res = await npm([
          "install",
          ...(existsSync(path.join(dir, "package-lock.json")) && !r.installNote.includes("lockfile") ? [] : ["--no-package-lock"]),
          "--ignore-scripts",
        ]);
      }
      r.installSeconds = Math.round((Date.now() - t0) / 1000);
      if (res.code !== 0) {
        r.install = "fail";
        r.reason = res.timedOut ? `npm install timed out after ${installTimeout / 1000}s` : `npm install failed: ${reason(res.out)}`;
        r.installLog = res.out.slice(-4000);
        return r;
      }
    }
    // The Encore CLI puts its own encore.dev version into the app before building when the app has
    // none, an older or a different one (tsparser/src/builder/package_mgmt.rs, update_package_json);
    // our runtime implements one SDK version, so do the same (without rewriting package.json).
    const installed = existsSync(path.join(dir, "node_modules", "encore.dev", "package.json"))
      ? JSON.parse(readFileSync(path.join(dir, "node_modules", "encore.dev", "package.json"), "utf8")).version
      : null;
    if (installed !== SDK_VERSION) {
      const res = await run(
        "npm",
        ["install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error", `encore.dev@${SDK_VERSION}`],
        { cwd: dir, env: { ...process.env, CI: "1" } },
        installTimeout,
      );
      if (res.code !== 0) {
        r.install = "fail";
        r.reason = `npm install encore.dev@${SDK_VERSION} failed: ${reason(res.out)}`;
        return r;
      }
      r.installNote = `${r.installNote ? `${r.installNote}; ` : ""}encore.dev ${installed ?? "missing"} → ${SDK_VERSION}, as the Encore CLI does`;
    }
    r.install = "ok";
  }
  if (phases.includes("check")) {
    const res = await run(process.execPath, [BIN, "check", "--root", dir], { cwd: path.dirname(BIN) }, checkTimeout);
    r.check = res.code === 0 ? "ok" : "fail";
    if (res.code !== 0) {
      r.reason = res.timedOut ? "check timed out" : reason(res.out);
      r.checkLog = res.out.slice(-4000);
      return r;
    }
  }
  if (phases.includes("start")) {
    const s = await startApp(dir, app);
    r.start = s.ok ? "ok" : "fail";
    if (!s.ok) {
      r.reason = s.reason;
      r.startLog = s.log;
    }
  }
  return r;
}

const results = [];
const queue = [...apps];
await Promise.all(
  Array.from({ length: jobs }, async () => {
    for (let app = queue.shift(); app; app = queue.shift()) {
      const r = await one(app);
      results.push(r);
      process.stdout.write(`${app.padEnd(28)} install=${r.install ?? "-"} check=${r.check ?? "-"} start=${r.start ?? "-"} ${r.reason ?? ""}\n`);
    }
  }),
);
results.sort((a, b) => a.app.localeCompare(b.app));
mkdirSync(path.dirname(reportFile), { recursive: true });
writeFileSync(reportFile, `${JSON.stringify(results, null, 2)}\n`);
const n = (k) => results.filter((r) => r[k] === "ok").length;
process.stdout.write(`\n${results.length} apps: ${n("install")} installed, ${n("check")} pass check, ${n("start")} start\n`);
