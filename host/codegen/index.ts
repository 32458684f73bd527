// encore.gen/: the generated clients, auth helpers and entrypoint, plus meta.json and a cache key.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { AppMeta } from "../meta.ts";
import { META_VERSION } from "../meta.ts";
import { isAppSourceFile, walkApp } from "../parser/files.ts";
import { parseApp, type Diagnostic } from "../parser/index.ts";
import { authIndexTs, authTs, clientsIndexDts, clientsIndexJs, combinedMainTs, endpointsDts, endpointsJs, endpointsTestingJs } from "./templates.ts";

/** Bump when the parser's or generator's output changes shape without a source change here noticing. */
export const PARSER_VERSION = "warroom-parser/2";
const GEN_DIR = "encore.gen";
const CACHE_KEY_FILE = ".cache-key";

/** encore.gen's files (relative path → content) for an app. */
export function renderFiles(meta: AppMeta): Map<string, string> {
  const files = new Map<string, string>();
  files.set("clients/index.js", clientsIndexJs(meta));
  files.set("clients/index.d.ts", clientsIndexDts(meta));
  for (const svc of meta.services) {
    const dir = `internal/clients/${svc.name}`;
    files.set(`${dir}/endpoints.js`, endpointsJs(svc));
    files.set(`${dir}/endpoints.d.ts`, endpointsDts(svc));
    files.set(`${dir}/endpoints_testing.js`, endpointsTestingJs(svc));
  }
  files.set("auth/index.ts", authIndexTs());
  files.set("internal/auth/auth.ts", authTs(meta));
  files.set("internal/entrypoints/combined/main.ts", combinedMainTs(meta));
  files.set("meta.json", `${JSON.stringify(meta, null, 2)}\n`);
  // encore.gen is ES modules whatever the app's package.json says: in a CommonJS app (no
  // "type": "module") its .ts and .js files would otherwise load as CommonJS, and the entrypoint's
  // top-level await cannot (Encore bundles the app as ES modules, so it never meets the question).
  files.set("package.json", `${JSON.stringify({ type: "module" })}\n`);
  return files;
}

/** Writes encore.gen/: unchanged files are left alone (watchers stay calm), stale ones removed. */
export function generate(root: string, meta: AppMeta): void {
  const genDir = path.join(path.resolve(root), GEN_DIR);
  const files = renderFiles(meta);
  for (const [rel, content] of files) {
    const abs = path.join(genDir, rel);
    let current: string | null = null;
    try {
      current = readFileSync(abs, "utf8");
    } catch {
      // missing: write it
    }
    if (current === content) continue;
    mkdirSync(path.dirname(abs), { recursive: true });
    writeAtomic(abs, content);
  }
  removeStale(genDir, genDir, new Set([...files.keys(), CACHE_KEY_FILE]));
}

/** A reader (the runtime loading meta.json, a watcher) never sees a half-written file. */
function writeAtomic(abs: string, content: string): void {
  const tmp = `${abs}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, abs);
}

/** Deletes files not in `keep` and folders left empty; true when `dir` ends up empty. */
function removeStale(genDir: string, dir: string, keep: Set<string>): boolean {
  let empty = true;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, e.name);
    const rel = path.relative(genDir, abs).split(path.sep).join("/");
    if (e.isDirectory()) {
      if (removeStale(genDir, abs, keep)) rmdirSync(abs);
      else empty = false;
    } else if (keep.has(rel)) {
      empty = false;
    } else {
      unlinkSync(abs);
    }
  }
  return empty;
}

// Our own sources: editing the parser, the generator, the metadata contract or the cron parser the
// parser checks schedules with invalidates every app's cache.
const HERE = path.dirname(fileURLToPath(import.meta.url));
const OWN_DIRS = [HERE, path.join(HERE, "..", "parser")];
const OWN_FILES = [path.join(HERE, "..", "meta.ts"), path.join(HERE, "..", "cron", "schedule.ts")];

function stamp(abs: string): string {
  try {
    const st = statSync(abs);
    return `${st.mtimeMs}:${st.size}`;
  } catch {
    return "-";
  }
}

/**
 * A hash over what the parse depends on: the app's source files (paths, mtimes, sizes), .sql files
 * (migrations), encore.app, tsconfig.json, package.json, the SDK version and this parser's own code.
 */
export function computeCacheKey(root: string): string {
  const abs = path.resolve(root);
  const h = createHash("sha256");
  h.update(`${PARSER_VERSION}\n${META_VERSION}\n`);
  for (const dir of OWN_DIRS) {
    for (const name of readdirSync(dir).sort()) {
      if (name.endsWith(".ts") && !name.endsWith(".test.ts")) h.update(`own ${name} ${stamp(path.join(dir, name))}\n`);
    }
  }
  for (const f of OWN_FILES) h.update(`own ${path.basename(f)} ${stamp(f)}\n`);
  for (const f of ["encore.app", "tsconfig.json", "package.json", "node_modules/encore.dev/package.json"]) {
    h.update(`${f} ${stamp(path.join(abs, f))}\n`);
  }
  walkApp(abs, (file, e) => {
    if (isAppSourceFile(e.name) || e.name.endsWith(".sql")) h.update(`${path.relative(abs, file)} ${stamp(file)}\n`);
  });
  return h.digest("hex");
}

export interface EnsureResult {
  meta: AppMeta;
  diagnostics: Diagnostic[];
  cached: boolean;
}

/**
 * Parses and generates unless nothing the parse depends on changed since the last successful run,
 * in which case meta.json is reused without building a TypeScript program. With errors, nothing is written.
 */
export function ensureGenerated(root: string, opts: { force?: boolean } = {}): EnsureResult {
  const abs = path.resolve(root);
  const genDir = path.join(abs, GEN_DIR);
  const key = computeCacheKey(abs);
  if (!opts.force) {
    const cached = readCached(genDir, key);
    if (cached) {
      generate(abs, cached); // cheap; restores any generated file deleted by hand
      return { meta: cached, diagnostics: [], cached: true };
    }
  }
  const { meta, diagnostics } = parseApp(abs);
  if (diagnostics.length > 0) return { meta, diagnostics, cached: false };
  generate(abs, meta);
  writeAtomic(path.join(genDir, CACHE_KEY_FILE), `${key}\n`);
  return { meta, diagnostics, cached: false };
}

function readCached(genDir: string, key: string): AppMeta | null {
  try {
    if (readFileSync(path.join(genDir, CACHE_KEY_FILE), "utf8").trim() !== key) return null;
    const meta = JSON.parse(readFileSync(path.join(genDir, "meta.json"), "utf8")) as AppMeta;
    return meta.version === META_VERSION ? meta : null;
  } catch {
    return null;
  }
}
