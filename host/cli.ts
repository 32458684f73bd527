// The commands behind package.json's scripts. `start` generates encore.gen if the app changed,
// points the SDK at our runtime (unless ENCORE_RUNTIME_LIB is already set), and imports the
// generated entrypoint, which serves until a signal ends it. `check` and `gen` give the parser's
// verdict on an app, for people and CI (file:line:column: message).
import path from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";
import { ensureGenerated } from "./codegen/index.ts";
import type { AppMeta } from "./meta.ts";
import { formatDiagnostic, type Diagnostic } from "./parser/diagnostics.ts";
import { parseApp } from "./parser/index.ts";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const RUNTIME_LIB = path.join(HERE, "runtime", "napi.cjs");

function summarize(meta: AppMeta): string {
  const endpoints = meta.services.reduce((n, s) => n + s.endpoints.length, 0);
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  return [
    plural(meta.services.length, "service"),
    plural(endpoints, "endpoint"),
    plural(meta.databases.length, "database"),
    plural(meta.topics.length, "topic"),
    plural(meta.subscriptions.length, "subscription"),
    plural(meta.cronJobs.length, "cron job"),
    plural(meta.secrets.length, "secret"),
    meta.authHandler ? `auth handler ${meta.authHandler.name}` : "no auth handler",
  ].join(", ");
}

function report(diagnostics: Diagnostic[]): number {
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  process.stderr.write(`${diagnostics.length} ${diagnostics.length === 1 ? "error" : "errors"}\n`);
  return 1;
}

/** Parses the app and reports; exit code 0 when Encore's rules all hold. */
function runCheck(root: string): number {
  const t0 = performance.now();
  const { meta, diagnostics } = parseApp(root);
  if (diagnostics.length > 0) return report(diagnostics);
  process.stdout.write(`ok: ${summarize(meta)} (${Math.round(performance.now() - t0)} ms)\n`);
  return 0;
}

/** Generates encore.gen/ (reusing it when the app is unchanged); exit code 1 with diagnostics on errors. */
function runGen(root: string): number {
  const t0 = performance.now();
  const { meta, diagnostics, cached } = ensureGenerated(root);
  if (diagnostics.length > 0) return report(diagnostics);
  const how = cached ? "up to date" : "generated";
  process.stdout.write(`encore.gen ${how}: ${summarize(meta)} (${Math.round(performance.now() - t0)} ms)\n`);
  return 0;
}

/** Returns an exit code, or null when the command keeps running (start). */
export async function main(args: string[], root: string): Promise<number | null> {
  const cmd = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--root") ?? "start";
  switch (cmd) {
    case "check":
      return runCheck(root);
    case "gen":
      return runGen(root);
    case "start": {
      const t0 = performance.now();
      const { diagnostics, cached } = ensureGenerated(root);
      if (diagnostics.length > 0) return report(diagnostics);
      process.env.WARROOM_APP_ROOT = root;
      process.env.ENCORE_RUNTIME_LIB ??= RUNTIME_LIB;
      process.env.WARROOM_GEN_MS = String(Math.round(performance.now() - t0)) + (cached ? " (cached)" : "");
      await import(pathToFileURL(path.join(root, "encore.gen", "internal", "entrypoints", "combined", "main.ts")).href);
      return null;
    }
    case "openapi":
    case "client": {
      const { diagnostics, meta } = ensureGenerated(root);
      if (diagnostics.length > 0) return report(diagnostics);
      const i = args.indexOf("--out");
      const out = path.resolve(root, i >= 0 ? args[i + 1] : cmd === "openapi" ? "encore.gen/openapi.json" : "encore.gen/client.ts");
      const text =
        cmd === "openapi"
          ? `${JSON.stringify((await import("./codegen/openapi.ts")).openapiDocument(meta), null, 2)}\n`
          : (await import("./codegen/client.ts")).generateClient(meta);
      const { mkdirSync, writeFileSync } = await import("node:fs");
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(out, text);
      process.stdout.write(`wrote ${path.relative(process.cwd(), out)}\n`);
      return 0;
    }
    case "dead-letters": {
      const { deadLetters } = await import("./deadletters.ts");
      return deadLetters(root, args);
    }
    case "bench": {
      const { runBench } = await import("./bench/run.ts");
      return runBench(root, args);
    }
    default:
      process.stderr.write(`unknown command "${cmd}". Commands: start, check, gen, openapi, client, dead-letters, bench (each takes --root DIR)\n`);
      return 2;
  }
}
