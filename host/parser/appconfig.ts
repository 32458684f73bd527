// encore.app: the app's id, language and global CORS settings (JSON with comments).
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import type { CorsConfig } from "../meta.ts";
import type { Diagnostics } from "./diagnostics.ts";

export interface AppConfig {
  appId: string;
  cors: CorsConfig;
}

export function readAppConfig(root: string, diags: Diagnostics): AppConfig {
  const file = path.join(root, "encore.app");
  const fallback: AppConfig = { appId: path.basename(root), cors: corsFrom(undefined) };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    diags.atFile(file, 1, 1, "missing encore.app: the app root must contain an encore.app file");
    return fallback;
  }
  const parsed = ts.parseConfigFileTextToJson(file, text);
  if (parsed.error || typeof parsed.config !== "object" || parsed.config === null) {
    const pos = parsed.error?.start ?? 0;
    const { line, column } = lineCol(text, pos);
    const msg = parsed.error ? ts.flattenDiagnosticMessageText(parsed.error.messageText, "\n") : "expected a JSON object";
    diags.atFile(file, line, column, `invalid encore.app: ${msg}`);
    return fallback;
  }
  const cfg = parsed.config as Record<string, unknown>;
  const at = (key: string) => lineCol(text, Math.max(0, text.search(new RegExp(`"${key}"\\s*:`))));

  if (cfg.lang !== "typescript") {
    const { line, column } = at("lang");
    const found = cfg.lang === undefined ? 'no "lang"' : `"lang": ${JSON.stringify(cfg.lang)}`;
    diags.atFile(file, line, column, `encore.app must set "lang": "typescript" (found ${found})`);
  }
  let appId = fallback.appId;
  if (typeof cfg.id === "string" && cfg.id !== "") appId = cfg.id;

  const cors = corsFrom(cfg.global_cors);
  if (cfg.global_cors !== undefined && (typeof cfg.global_cors !== "object" || cfg.global_cors === null)) {
    const { line, column } = at("global_cors");
    diags.atFile(file, line, column, "encore.app: global_cors must be an object");
  }
  return { appId, cors };
}

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : undefined;
}

/** Encore's defaults: any origin without credentials, none with, no extra headers. */
export function corsFrom(raw: unknown): CorsConfig {
  const c = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  const cors: CorsConfig = {
    allowOriginsWithoutCredentials: strings(c.allow_origins_without_credentials) ?? ["*"],
    allowOriginsWithCredentials: strings(c.allow_origins_with_credentials) ?? [],
    allowHeaders: strings(c.allow_headers) ?? [],
    exposeHeaders: strings(c.expose_headers) ?? [],
  };
  if (typeof c.debug === "boolean") cors.debug = c.debug;
  return cors;
}

function lineCol(text: string, pos: number): { line: number; column: number } {
  const before = text.slice(0, pos);
  const line = before.split("\n").length;
  return { line, column: pos - before.lastIndexOf("\n") };
}
