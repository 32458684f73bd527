// The commands behind package.json's scripts. `start` generates encore.gen if the app changed,
// points the SDK at our runtime (unless ENCORE_RUNTIME_LIB is already set), and imports the
// generated entrypoint, which serves until a signal ends it.
import path from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";
import { ensureGenerated } from "./codegen/index.ts";
import { runCheck, runGen } from "./parser/cli.ts";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const RUNTIME_LIB = path.join(HERE, "runtime", "napi.cjs");

function printDiagnostics(diags: { file: string; line: number; column: number; message: string }[]) {
  for (const d of diags) process.stderr.write(`${d.file}:${d.line}:${d.column}: ${d.message}\n`);
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
      if (diagnostics.length > 0) {
        printDiagnostics(diagnostics);
        return 1;
      }
      process.env.WARROOM_APP_ROOT = root;
      process.env.ENCORE_RUNTIME_LIB ??= RUNTIME_LIB;
      process.env.WARROOM_GEN_MS = String(Math.round(performance.now() - t0)) + (cached ? " (cached)" : "");
      await import(pathToFileURL(path.join(root, "encore.gen", "internal", "entrypoints", "combined", "main.ts")).href);
      return null;
    }
    case "openapi":
    case "client": {
      const { diagnostics, meta } = ensureGenerated(root);
      if (diagnostics.length > 0) {
        printDiagnostics(diagnostics);
        return 1;
      }
      const i = args.indexOf("--out");
      const out = path.resolve(root, i >= 0 ? args[i + 1] : cmd === "openapi" ? "encore.gen/openapi.json" : "encore.gen/client.ts");
      const text =
        cmd === "openapi"
          ? JSON.stringify((await import("./codegen/openapi.ts")).openapiDocument(meta), null, 2) + "\n"
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
