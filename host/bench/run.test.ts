// The bench runner finds an app's benchmarks by convention (<root>/bench/NAME.ts, default export),
// so the runtime names none of them. A throwaway app root per test.
import os from "node:os";
import path from "node:path";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { afterEach, describe, expect, test, vi } from "vitest";
import { appBenches, runBench } from "./run.ts";

const roots: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function appRoot(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "bench-runner-"));
  roots.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

function stderr(): () => string {
  let out = "";
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  return () => out;
}

describe("the app's benchmarks", () => {
  test("are the .ts files directly in <root>/bench, not its subfolders or declarations", () => {
    const root = appRoot({ "bench/b.ts": "", "bench/a.ts": "", "bench/lib/helper.ts": "", "bench/types.d.ts": "", "bench/notes.md": "" });
    expect(appBenches(root)).toEqual(["a", "b"]);
    expect(appBenches(appRoot({}))).toEqual([]);
  });

  test("one runs by name with the root and the whole command line, and its exit code is the runner's", async () => {
    const root = appRoot({
      "bench/echo.ts": `import { writeFileSync } from "node:fs";
        export default async (root: string, args: string[]) => { writeFileSync(root + "/seen.json", JSON.stringify({ root, args })); return 3; };`,
    });
    const args = ["bench", "echo", "--runs", "3"];
    expect(await runBench(root, args)).toBe(3);
    expect(JSON.parse(readFileSync(path.join(root, "seen.json"), "utf8"))).toEqual({ root, args });
  });

  test("a file without a default export function is refused", async () => {
    const out = stderr();
    const root = appRoot({ "bench/named.ts": "export async function run() { return 0; }" });
    expect(await runBench(root, ["bench", "named"])).toBe(2);
    expect(out()).toContain("bench/named.ts has no default export");
  });

  test("a file with a runtime benchmark's name is refused rather than shadowed", async () => {
    const out = stderr();
    const root = appRoot({ "bench/fanout.ts": "export default async () => 0;" });
    expect(await runBench(root, ["bench", "fanout"])).toBe(2);
    expect(out()).toContain("bench/fanout.ts has the name of one of the runtime's benchmarks");
  });

  test("an unknown name lists both kinds", async () => {
    const out = stderr();
    const root = appRoot({ "bench/alpha.ts": "export default async () => 0;" });
    expect(await runBench(root, ["--root", root, "bench", "nosuch"])).toBe(2);
    expect(out()).toBe(`unknown benchmark "nosuch". The runtime's: http, fanout, codec, ws, pubsub; the app's (bench/*.ts): alpha\n`);
  });
});
