// Recognising Encore SDK exports by what an identifier resolves to, not by its spelling.
import ts from "typescript";

export type SdkExport =
  | "api"
  | "Service"
  | "SQLDatabase"
  | "Topic"
  | "Subscription"
  | "CronJob"
  | "Gateway"
  | "authHandler"
  | "secret"
  | "Bucket"
  | "CacheCluster"
  | "Counter"
  | "CounterGroup"
  | "Gauge"
  | "GaugeGroup";

/** Where each export is declared inside the encore.dev package (its TypeScript sources). */
const EXPORT_DIRS: Record<SdkExport, string> = {
  api: "api/",
  Gateway: "api/",
  Service: "service/",
  SQLDatabase: "storage/sqldb/",
  Topic: "pubsub/",
  Subscription: "pubsub/",
  CronJob: "cron/",
  authHandler: "auth/",
  secret: "config/",
  Bucket: "storage/objects/",
  CacheCluster: "storage/cache/",
  Counter: "metrics/",
  CounterGroup: "metrics/",
  Gauge: "metrics/",
  GaugeGroup: "metrics/",
};

export const SDK_EXPORT_NAMES = new Set<string>(Object.keys(EXPORT_DIRS));

const PKG_MARKER = "/node_modules/encore.dev/";

/** The path inside the encore.dev package that declares `sym`, or null when it lies elsewhere. */
export function sdkPath(sym: ts.Symbol | undefined): string | null {
  const decl = sym?.declarations?.[0];
  if (!decl) return null;
  const file = decl.getSourceFile().fileName;
  const i = file.lastIndexOf(PKG_MARKER);
  if (i < 0) return null;
  return file.slice(i + PKG_MARKER.length).replace(/^dist\//, "");
}

export function resolveAlias(checker: ts.TypeChecker, sym: ts.Symbol | undefined): ts.Symbol | undefined {
  if (sym && sym.flags & ts.SymbolFlags.Alias) return checker.getAliasedSymbol(sym);
  return sym;
}

/** Which SDK export an identifier / `ns.name` expression denotes, following import aliases. */
export function sdkExportOf(checker: ts.TypeChecker, expr: ts.Expression): SdkExport | null {
  const nameNode = ts.isIdentifier(expr) ? expr : ts.isPropertyAccessExpression(expr) ? expr.name : null;
  if (!nameNode) return null;
  const sym = resolveAlias(checker, checker.getSymbolAtLocation(nameNode));
  if (!sym) return null;
  const name = sym.getName();
  if (!SDK_EXPORT_NAMES.has(name)) return null;
  const p = sdkPath(sym);
  if (p === null || !p.startsWith(EXPORT_DIRS[name as SdkExport])) return null;
  return name as SdkExport;
}

/** True when `sym` is the type alias/interface `name` declared in the given encore.dev module folder. */
export function isSdkSymbol(sym: ts.Symbol | undefined, dir: string, names: ReadonlySet<string>): boolean {
  if (!sym || !names.has(sym.getName())) return false;
  const p = sdkPath(sym);
  return p?.startsWith(dir) === true;
}
