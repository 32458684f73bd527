// Each handler call gets its own async context: the SDK marks the current request with
// AsyncLocalStorage.enterWith, which would otherwise leak into the caller (the server, another
// request, a subscription loop). A fresh AsyncResource scope confines it to this call's async tree.
import { AsyncResource } from "node:async_hooks";

export function inNewContext<T>(fn: () => T): T {
  return new AsyncResource("encore.request").runInAsyncScope(fn);
}
