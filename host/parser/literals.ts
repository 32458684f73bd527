// Reading resource configuration, which Encore requires to be literal (it is read statically).
import ts from "typescript";
import { parseDuration } from "../meta.ts";

/** A problem at a node; resource parsers throw it and the caller reports it and skips the resource. */
export class ParseError extends Error {
  constructor(
    readonly node: ts.Node,
    message: string,
  ) {
    super(message);
  }
}

/** Strips wrappers that don't change a value: parentheses, `as`, `satisfies`, `!`. */
export function unwrapExpr(e: ts.Expression): ts.Expression {
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e)) {
      e = e.expression;
    } else if (ts.isTypeAssertionExpression(e)) {
      e = e.expression;
    } else return e;
  }
}

export type ConfigObject = Map<string, { value: ts.Expression; prop: ts.Node }>;

/** An object literal whose keys must be among `allowed`, each set at most once. */
export function configObject(expr: ts.Expression, allowed: readonly string[]): ConfigObject {
  const e = unwrapExpr(expr);
  if (!ts.isObjectLiteralExpression(e)) throw new ParseError(expr, "expected object literal");
  const out: ConfigObject = new Map();
  for (const p of e.properties) {
    if (ts.isSpreadAssignment(p)) throw new ParseError(p, "spread operator unsupported");
    if (ts.isShorthandPropertyAssignment(p)) {
      const n = p.name.text;
      throw new ParseError(p, `shorthand property "${n}" is not supported here; write "${n}: ${n}"`);
    }
    if (!ts.isPropertyAssignment(p)) throw new ParseError(p, "only `key: value` properties are supported here");
    let key: string;
    if (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) key = p.name.text;
    else throw new ParseError(p.name, "unsupported property name");
    if (!allowed.includes(key)) throw new ParseError(p, `unexpected field "${key}"`);
    if (out.has(key)) throw new ParseError(p, `field ${key} set twice`);
    out.set(key, { value: p.initializer, prop: p });
  }
  return out;
}

export function stringLit(expr: ts.Expression, what = "string literal"): string {
  const e = unwrapExpr(expr);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  throw new ParseError(expr, `expected ${what}`);
}

export function boolLit(expr: ts.Expression): boolean {
  const e = unwrapExpr(expr);
  if (e.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (e.kind === ts.SyntaxKind.FalseKeyword) return false;
  throw new ParseError(expr, "expected boolean literal");
}

/** An integer constant: literals combined with + - * / % (division must be exact), as Encore accepts. */
export function intLit(expr: ts.Expression): number {
  const e = unwrapExpr(expr);
  if (ts.isNumericLiteral(e)) {
    const n = Number(e.text.replace(/_/g, ""));
    if (!Number.isInteger(n)) throw new ParseError(expr, "expected integer literal");
    return n;
  }
  if (ts.isPrefixUnaryExpression(e)) {
    if (e.operator === ts.SyntaxKind.MinusToken) return -intLit(e.operand);
    if (e.operator === ts.SyntaxKind.PlusToken) return intLit(e.operand);
  }
  if (ts.isBinaryExpression(e)) {
    const x = intLit(e.left);
    const y = intLit(e.right);
    switch (e.operatorToken.kind) {
      case ts.SyntaxKind.PlusToken:
        return x + y;
      case ts.SyntaxKind.MinusToken:
        return x - y;
      case ts.SyntaxKind.AsteriskToken:
        return x * y;
      case ts.SyntaxKind.PercentToken:
        return x % y;
      case ts.SyntaxKind.SlashToken:
        if (y === 0 || x % y !== 0) throw new ParseError(expr, "expected integer division");
        return x / y;
    }
  }
  throw new ParseError(expr, "expected number literal");
}

export function uintLit(expr: ts.Expression): number {
  const n = intLit(expr);
  if (n < 0) throw new ParseError(expr, "expected unsigned number literal");
  return n;
}

export function isNullLit(expr: ts.Expression): boolean {
  return unwrapExpr(expr).kind === ts.SyntaxKind.NullKeyword;
}

export function stringArrayLit(expr: ts.Expression): string[] {
  const e = unwrapExpr(expr);
  if (!ts.isArrayLiteralExpression(e)) throw new ParseError(expr, "expected array literal");
  return e.elements.map((el) => stringLit(el));
}

/** A DurationString literal ("10s", "1h30m") in milliseconds. */
export function durationLit(expr: ts.Expression): number {
  const s = stringLit(expr, "duration string literal");
  const ms = parseDuration(s);
  if (ms === null) throw new ParseError(expr, `invalid duration "${s}" (expected e.g. "30s", "5m", "1h30m")`);
  return ms;
}
