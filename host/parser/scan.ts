// Finding the SDK calls in a file: `api(...)`, `new Topic(...)`, `api.raw(...)`, `SQLDatabase.named(...)`, ...
import ts from "typescript";
import { SDK_EXPORT_NAMES, sdkExportOf, type SdkExport } from "./sdk.ts";

export type ApiVariant = "raw" | "streamIn" | "streamOut" | "streamInOut" | "static";

export interface SdkUse {
  sdk: SdkExport;
  /** `api.raw` / `api.streamOut` / ...; "named" for `SQLDatabase.named` and `Bucket.named`. */
  variant: ApiVariant | "named" | null;
  node: ts.CallExpression | ts.NewExpression;
}

const API_VARIANTS = new Set(["raw", "streamIn", "streamOut", "streamInOut", "static"]);
const NEW_EXPORTS = new Set<SdkExport>([
  "Service",
  "SQLDatabase",
  "Topic",
  "Subscription",
  "CronJob",
  "Gateway",
  "Bucket",
  "CacheCluster",
  "Counter",
  "CounterGroup",
  "Gauge",
  "GaugeGroup",
]);

/**
 * SDK uses in `sf`, in source order. Only callees whose spelling could be an SDK import are resolved
 * (names, their import aliases, namespace imports); the resolution itself goes by symbol, so a local
 * function that happens to be called `api` does not count and `import { api as x }` does.
 */
export function scanSdkUses(checker: ts.TypeChecker, sf: ts.SourceFile): SdkUse[] {
  const candidates = new Set<string>(SDK_EXPORT_NAMES);
  const namespaces = new Set<string>();
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !st.importClause?.namedBindings) continue;
    const nb = st.importClause.namedBindings;
    if (ts.isNamespaceImport(nb)) namespaces.add(nb.name.text);
    else for (const el of nb.elements) if (SDK_EXPORT_NAMES.has((el.propertyName ?? el.name).text)) candidates.add(el.name.text);
  }

  const sdkOf = (e: ts.Expression): SdkExport | null => {
    if (ts.isIdentifier(e)) return candidates.has(e.text) ? sdkExportOf(checker, e) : null;
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && namespaces.has(e.expression.text)) {
      return SDK_EXPORT_NAMES.has(e.name.text) ? sdkExportOf(checker, e) : null;
    }
    return null;
  };

  const uses: SdkUse[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const use = classify(node);
      if (use) uses.push(use);
    }
    ts.forEachChild(node, visit);
  };
  const classify = (node: ts.CallExpression | ts.NewExpression): SdkUse | null => {
    const callee = node.expression;
    const isNew = ts.isNewExpression(node);
    const direct = sdkOf(callee);
    if (direct) {
      if (isNew !== NEW_EXPORTS.has(direct)) return null;
      return { sdk: direct, variant: null, node };
    }
    if (!isNew && ts.isPropertyAccessExpression(callee)) {
      const base = sdkOf(callee.expression);
      const prop = callee.name.text;
      if (base === "api" && API_VARIANTS.has(prop)) return { sdk: "api", variant: prop as ApiVariant, node };
      if ((base === "SQLDatabase" || base === "Bucket") && prop === "named") return { sdk: base, variant: "named", node };
    }
    return null;
  };
  visit(sf);
  return uses;
}

export interface Binding {
  /** The variable the expression initialises, if any. */
  decl?: ts.VariableDeclaration;
  name?: string;
  exported: boolean;
  defaultExport: boolean;
  /** The enclosing function, block or class that makes this not a top-level declaration. */
  nested?: ts.Node;
}

/** How an SDK call is bound: `export const x = <call>`, `export default <call>`, or nested somewhere. */
export function bindingOf(expr: ts.Expression): Binding {
  let n: ts.Node = expr;
  while (
    n.parent &&
    (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isSatisfiesExpression(n.parent) || ts.isNonNullExpression(n.parent))
  ) {
    n = n.parent;
  }
  const p = n.parent;
  const b: Binding = { exported: false, defaultExport: false };
  if (p && ts.isVariableDeclaration(p) && p.initializer === n) {
    b.decl = p;
    if (ts.isIdentifier(p.name)) b.name = p.name.text;
    b.exported = !!(ts.getCombinedModifierFlags(p) & ts.ModifierFlags.Export);
  }
  if (p && ts.isExportAssignment(p) && !p.isExportEquals) b.defaultExport = true;
  for (let a: ts.Node | undefined = expr.parent; a && !ts.isSourceFile(a); a = a.parent) {
    if (ts.isFunctionLike(a) || ts.isClassLike(a) || ts.isBlock(a) || ts.isModuleBlock(a) || ts.isCaseClause(a) || ts.isClassStaticBlockDeclaration(a)) {
      b.nested = a;
      break;
    }
  }
  return b;
}
