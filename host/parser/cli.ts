// `npm run check` and `npm run gen`: the parser's verdict on an app, for people and CI.
import { ensureGenerated } from "../codegen/index.ts";
import type { AppMeta } from "../meta.ts";
import { formatDiagnostic, type Diagnostic } from "./diagnostics.ts";
import { parseApp } from "./index.ts";

export function summarize(meta: AppMeta): string {
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
    meta.authHandler ? "auth handler " + meta.authHandler.name : "no auth handler",
  ].join(", ");
}

function report(diagnostics: Diagnostic[]): number {
  for (const d of diagnostics) process.stderr.write(formatDiagnostic(d) + "\n");
  process.stderr.write(`${diagnostics.length} ${diagnostics.length === 1 ? "error" : "errors"}\n`);
  return 1;
}

/** Parses the app and reports; exit code 0 when Encore's rules all hold. */
export function runCheck(root: string): number {
  const t0 = performance.now();
  const { meta, diagnostics } = parseApp(root);
  if (diagnostics.length > 0) return report(diagnostics);
  process.stdout.write(`ok: ${summarize(meta)} (${Math.round(performance.now() - t0)} ms)\n`);
  return 0;
}

/** Generates encore.gen/ (reusing it when the app is unchanged); exit code 1 with diagnostics on errors. */
export function runGen(root: string): number {
  const t0 = performance.now();
  const { meta, diagnostics, cached } = ensureGenerated(root);
  if (diagnostics.length > 0) return report(diagnostics);
  const how = cached ? "up to date" : "generated";
  process.stdout.write(`encore.gen ${how}: ${summarize(meta)} (${Math.round(performance.now() - t0)} ms)\n`);
  return 0;
}
