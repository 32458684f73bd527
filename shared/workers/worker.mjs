// The body of every worker thread of shared/workers/pool.ts. Plain JavaScript so that Node starts it
// without a loader, under `npm start` and under vitest alike; it loads each task module (TypeScript)
// through tsx's scoped importer, once per module, and runs the named export on the posted arguments.
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

// Lower this thread's scheduling priority (Linux: a thread's id works as a pid for setpriority), so
// that on a busy machine the server's own thread, which answers requests and delivers alerts, gets
// the CPU first. Raising one's niceness needs no privilege; elsewhere this is skipped.
if (workerData?.nice) {
  try {
    setPriority(Number(readlinkSync("/proc/thread-self").split("/").pop()), workerData.nice);
  } catch {
    // no /proc/thread-self (not Linux): same priority as the server
  }
}

const modules = new Map();

function load(url) {
  let m = modules.get(url);
  if (!m) {
    m = tsImport(url, import.meta.url);
    modules.set(url, m);
  }
  return m;
}

/** The ArrayBuffers behind a result's top-level Uint8Arrays, moved rather than copied when they are whole. */
function transferables(value) {
  const out = [];
  const add = (v) => {
    if (v instanceof Uint8Array && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength && !out.includes(v.buffer)) out.push(v.buffer);
  };
  add(value);
  if (value && typeof value === "object" && !ArrayBuffer.isView(value)) for (const v of Object.values(value)) add(v);
  return out;
}

parentPort.on("message", async ({ id, module, fn, args }) => {
  try {
    const mod = await load(module);
    const f = mod[fn];
    if (typeof f !== "function") throw new Error(`${module} has no exported function ${fn}`);
    const value = await f(...args);
    parentPort.postMessage({ id, ok: true, value }, transferables(value));
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    parentPort.postMessage({ id, ok: false, error: { name: e.name, message: e.message, code: e.code } });
  }
});
