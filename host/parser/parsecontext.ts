// State shared by the resource parsers of one parse run.
import path from "node:path";
import ts from "typescript";
import type { Diagnostics } from "./diagnostics.ts";
import { toPosix } from "./diagnostics.ts";
import { ParseError } from "./literals.ts";
import type { SchemaBuilder } from "./schemabuilder.ts";
import type { Binding } from "./scan.ts";
import { resolveAlias } from "./sdk.ts";

export interface ServiceInfo {
  name: string;
  dir: string; // absolute
  relDir: string; // relative to the app root ("" for a service at the root)
  file: string | null; // absolute path of encore.service.ts; null for a folder found by its endpoints
  hasMiddlewares: boolean;
}

export interface FileCtx {
  sf: ts.SourceFile;
  abs: string;
  rel: string;
  service: ServiceInfo | null;
}

export class ParseContext {
  constructor(
    readonly root: string,
    readonly program: ts.Program,
    readonly checker: ts.TypeChecker,
    readonly diags: Diagnostics,
    readonly schema: SchemaBuilder,
  ) {}

  rel(abs: string): string {
    return toPosix(path.relative(this.root, abs));
  }

  line(node: ts.Node): number {
    const sf = node.getSourceFile();
    return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  }

  /**
   * Runs a resource parser, turning a thrown ParseError into a diagnostic (the resource is skipped).
   * Anything else is a parser bug: it is reported at `node` rather than crashing the whole check.
   */
  guard<T>(node: ts.Node, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (e instanceof ParseError) this.diags.at(e.node, e.message);
      else this.diags.at(node, `internal parser error on this resource: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  /** The variable declaration an expression (`topic`, `events.topic`) refers to, across imports. */
  declOf(expr: ts.Expression): ts.VariableDeclaration | undefined {
    let e = expr;
    while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    const id = ts.isIdentifier(e) ? e : ts.isPropertyAccessExpression(e) ? e.name : undefined;
    if (!id) return undefined;
    const sym = resolveAlias(this.checker, this.checker.getSymbolAtLocation(id));
    const decl = sym?.valueDeclaration ?? sym?.declarations?.[0];
    return decl && ts.isVariableDeclaration(decl) ? decl : undefined;
  }

  /** Reports a resource declared inside a function or block; true when it is top-level. */
  requireTopLevel(b: Binding, node: ts.Node, what: string): boolean {
    if (!b.nested) return true;
    this.diags.at(node, `${what} must be declared at the top level of a module, not inside a function or block`);
    return false;
  }
}
