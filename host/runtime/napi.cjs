// Loaded by the SDK with require(process.env.ENCORE_RUNTIME_LIB). It compiles our TypeScript
// runtime on the fly (tsx) and exports the same names as Encore's native library. One instance
// per process: the SDK requires it once, and we cache it on globalThis for our own tooling.
const key = Symbol.for("warroom.runtime.lib");
if (!globalThis[key]) {
  // A fixed namespace: tsx's own `require` makes a new one per process, so its transform cache
  // (keyed by namespace and file content) would never hit and every start would compile the runtime again.
  const { register } = require("tsx/cjs/api");
  globalThis[key] = register({ namespace: "warroom-runtime" }).require("./index.ts", __filename);
}
module.exports = globalThis[key];
