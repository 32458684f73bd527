// `npm run bench [-- NAME] [options]`: the runtime's benchmark runner. It knows two kinds:
//
// - the runtime's own, app-agnostic benchmarks, on its fixture apps (host/testdata) or on its modules
//   alone: none given or `http` (http.bench.ts), `fanout` (fanout.bench.ts), and the micro-benchmarks `codec`,
//   `ws` and `pubsub`, which are scripts beside the code they measure and run in a child process;
// - the app's benchmarks, found by convention rather than named here: every `<root>/bench/NAME.ts`
//   (files directly in that folder; shared code goes in subfolders) whose default export is
//   `(root: string, args: string[]) => Promise<number>` (the exit code). The runtime never imports
//   the app's code for anything else, so host/ stays free of any app's names.
import path from "node:path";
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { pathToFileURL } from "node:url";

type Bench = (root: string, args: string[]) => Promise<number>;

/**
 * A micro-benchmark script of the runtime, run as `node --import tsx FILE ARGS...` in the app's root.
 * Such scripts take their options positionally: they get what follows the name, without --root.
 */
const script =
  (file: string): Bench =>
  (root, args) => {
    const rest = args.slice(nameIndex(args) + 1).filter((a, i, all) => a !== "--root" && all[i - 1] !== "--root");
    const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), path.resolve(import.meta.dirname, file), ...rest], {
      cwd: root,
      stdio: "inherit",
    });
    return new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  };

const RUNTIME_BENCHES: Record<string, Bench> = {
  http: async (root, args) => (await import("./http.bench.ts")).runHttpBench(root, args),
  fanout: async (root, args) => (await import("./fanout.bench.ts")).runFanout(root, args),
  codec: script("../server/codec.bench.ts"),
  ws: script("../server/ws.bench.ts"),
  pubsub: script("../pubsub/pubsub.bench.ts"),
};

/** The app's benchmark names: the `.ts` files directly in `<root>/bench/`. */
export function appBenches(root: string): string[] {
  const dir = path.join(root, "bench");
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts"))
    .map((e) => e.name.slice(0, -3))
    .sort();
}

/** Where the word after `bench` sits on the command line (cli.ts finds `bench` the same way), or -1. */
function nameIndex(args: string[]): number {
  const cmd = args.findIndex((a, i) => !a.startsWith("--") && args[i - 1] !== "--root");
  const i = cmd + 1;
  return i < args.length && !args[i]!.startsWith("--") ? i : -1;
}

export async function runBench(root: string, args: string[]): Promise<number> {
  const at = nameIndex(args);
  const name = at < 0 ? "http" : args[at]!;
  const app = appBenches(root);
  const own = Object.hasOwn(RUNTIME_BENCHES, name);
  if (own && app.includes(name)) {
    process.stderr.write(`bench/${name}.ts has the name of one of the runtime's benchmarks; rename it\n`);
    return 2;
  }
  if (own) return RUNTIME_BENCHES[name]!(root, args);
  if (app.includes(name)) {
    const mod = (await import(pathToFileURL(path.join(root, "bench", `${name}.ts`)).href)) as { default?: unknown };
    if (typeof mod.default !== "function") {
      process.stderr.write(`bench/${name}.ts has no default export (root, args) => Promise<exit code>\n`);
      return 2;
    }
    return (mod.default as Bench)(root, args);
  }
  process.stderr.write(
    `unknown benchmark "${name}". The runtime's: ${Object.keys(RUNTIME_BENCHES).join(", ")}; the app's (bench/*.ts): ${app.join(", ") || "none"}\n`,
  );
  return 2;
}
