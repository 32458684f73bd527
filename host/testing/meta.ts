// An app's metadata for tests that generate from it (the client, the OpenAPI document). Parsing an
// app the size of this repository's builds a TypeScript program: seconds of CPU each time. The
// global setup has just parsed the app under test and written encore.gen/meta.json (when the tests
// run on our runtime), so for that app the file is current and reading it is enough.
import path from "node:path";
import type { AppMeta } from "../meta.ts";
import { parseApp } from "../parser/index.ts";
import { loadMeta } from "../runtime/config.ts";

/** The metadata of the app at `root`: the global setup's for the app under test, else parsed now. */
export function appMeta(root: string): AppMeta {
  const underTest = process.env.WARROOM_APP_ROOT;
  if (process.env.WARROOM_OWN_RUNTIME === "1" && underTest && path.resolve(root) === path.resolve(underTest)) return loadMeta(root);
  return parseApp(root).meta;
}
