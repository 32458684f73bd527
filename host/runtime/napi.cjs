// Loaded by the SDK with require(process.env.ENCORE_RUNTIME_LIB). It compiles our TypeScript
// runtime on the fly (tsx) and exports the same names as Encore's native library. One instance
// per process: the SDK requires it once, and we cache it on globalThis for our own tooling.
const key = Symbol.for("warroom.runtime.lib");
if (!globalThis[key]) {
  const { require: tsxRequire } = require("tsx/cjs/api");
  globalThis[key] = tsxRequire("./index.ts", __filename);
}
module.exports = globalThis[key];
