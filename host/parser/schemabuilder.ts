// TypeScript types → the wire schemas of meta.ts, rejecting what Encore cannot put on the wire.
import ts from "typescript";
import type { FieldLocation, FieldMeta, ParamsMeta, Schema, Validation } from "../meta.ts";
import type { Diagnostics } from "./diagnostics.ts";
import { isSdkSymbol, resolveAlias, sdkPath } from "./sdk.ts";

export type ParamsKind = "request" | "handshake" | "response" | "auth";

/** Top-level fields of a request/response, with where each was declared (for diagnostics). */
export interface ParamsResult {
  meta: ParamsMeta;
  sites: Map<string, ts.Node>;
}

interface WireSpec {
  loc: "header" | "query" | "cookie" | "httpStatus";
  name?: string;
  underlying: ts.Type | "string" | "number";
}

const WIRE_NAMES = new Set(["Header", "Query", "Cookie", "HttpStatus"]);
const ATTRIBUTE = new Set(["Attribute"]);
const HTTP_STATUS = new Set(["HttpStatus"]);
const VALIDATE_PROP = /^__@_+validate@/; // escapedName of `[__validate]` (a unique symbol key)
const MAX_DEPTH = 64;

export class SchemaBuilder {
  /** Named types referenced by `ref`, keyed by name (disambiguated when two declarations share one). */
  readonly types: Record<string, Schema> = {};
  private readonly keys = new Map<ts.Node | ts.Type, string>();
  private depth = 0;

  constructor(
    private readonly program: ts.Program,
    private readonly checker: ts.TypeChecker,
    private readonly diags: Diagnostics,
  ) {}

  /** A schema for any type; errors are reported at `site` (or at the field that holds the bad type). */
  convert(type: ts.Type, site: ts.Node): Schema {
    if (this.depth >= MAX_DEPTH) return this.fail(site, "type is too deeply nested to describe on the wire");
    this.depth++;
    try {
      return this.convertInner(type, site, true);
    } finally {
      this.depth--;
    }
  }

  /** The fields of a request, handshake, response or auth-params type, with their wire locations. */
  params(type: ts.Type, site: ts.Node, kind: ParamsKind, pathParams: ReadonlySet<string> = new Set()): ParamsResult | null {
    const c = this.checker;
    if (!(type.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) || this.isSpecialObject(type)) {
      this.diags.at(site, "request and response types must be interfaces or void");
      return null;
    }
    if (c.getSignaturesOfType(type, ts.SignatureKind.Call).length > 0) {
      this.diags.at(site, "call signatures are not supported in schema types");
      return null;
    }
    if (c.getIndexInfosOfType(type).length > 0) {
      this.diags.at(site, "type index is not supported in schema types");
      return null;
    }
    const sym = type.getSymbol();
    if (sym && sym.flags & ts.SymbolFlags.Class) {
      this.diags.at(site, `class types are not supported in schemas (found class ${sym.getName()}); use an interface`);
      return null;
    }
    const fields: FieldMeta[] = [];
    const sites = new Map<string, ts.Node>();
    let statusField: string | null = null;
    for (const prop of c.getPropertiesOfType(type)) {
      if (isSymbolKeyed(prop)) continue;
      const fsite = this.siteOf(prop, site);
      sites.set(prop.name, fsite);
      const f = this.topField(prop, fsite, kind, pathParams);
      if (!f) continue;
      if (f.httpStatus) {
        if (statusField) this.diags.at(fsite, "http status can only be defined once per response type");
        statusField = f.name;
      }
      fields.push(f);
    }
    const meta: ParamsMeta = { fields };
    const typeName = this.typeName(type);
    if (typeName) meta.typeName = typeName;
    return { meta, sites };
  }

  /** Resolves refs (through meta.types) to the schema they name. */
  resolve(s: Schema): Schema {
    const seen = new Set<string>();
    while (s.kind === "ref" && !seen.has(s.name)) {
      seen.add(s.name);
      s = this.types[s.name] ?? { kind: "any" };
    }
    return s;
  }

  /** Types that may travel in a query string: scalars, literals, and lists/unions of them. */
  isQueryType(s: Schema, seen = new Set<string>()): boolean {
    switch (s.kind) {
      case "array":
        return this.isQueryType(s.elem, seen);
      case "union":
        return s.types.every((t) => this.isQueryType(t, seen));
      case "ref":
        if (seen.has(s.name)) return false;
        seen.add(s.name);
        return this.isQueryType(this.types[s.name] ?? { kind: "any" }, seen);
      case "object":
      case "record":
        return false;
      default:
        return true;
    }
  }

  // ----- top-level fields

  private topField(prop: ts.Symbol, site: ts.Node, kind: ParamsKind, pathParams: ReadonlySet<string>): FieldMeta | null {
    const t = this.checker.getTypeOfSymbol(prop);
    const optional = !!(prop.flags & ts.SymbolFlags.Optional) || hasUndefined(t);
    const wire = this.wireSpec(prop, t);
    let schema: Schema;
    if (!wire) schema = this.fieldSchema(prop, t, site);
    else if (wire.underlying === "string") schema = withValidation({ kind: "string" }, this.validationOf(t, site), site, this.diags);
    else if (wire.underlying === "number") schema = { kind: "number" };
    else schema = withValidation(this.convert(wire.underlying, site), this.validationOf(t, site), site, this.diags);
    if (this.declaresInt(declaredTypeNode(prop))) schema = markInteger(schema);

    const f: FieldMeta = { name: prop.name, optional, schema };
    const doc = this.docOfSymbol(prop);
    if (doc) f.doc = doc;

    if (kind === "response") {
      if (wire?.loc === "httpStatus") f.httpStatus = true;
      else if (wire?.loc === "header" || wire?.loc === "cookie") setWire(f, wire.loc, wire.name);
      else f.location = "body";
      return f;
    }
    if (kind === "auth") {
      if (!wire || wire.loc === "httpStatus") {
        this.diags.at(site, "authHandler parameter type can only consist of Query and Header fields");
        return null;
      }
      setWire(f, wire.loc, wire.name);
      return f;
    }
    if (pathParams.has(prop.name)) f.location = "path";
    else if (wire && wire.loc !== "httpStatus") setWire(f, wire.loc, wire.name);
    else f.location = "default";
    return f;
  }

  /** Header<...> / Query<...> / Cookie<...> / HttpStatus from encore.dev/api, read from the declaration. */
  private wireSpec(prop: ts.Symbol, t: ts.Type): WireSpec | null {
    const decl = prop.valueDeclaration ?? prop.declarations?.[0];
    let node: ts.TypeNode | undefined = decl && (ts.isPropertySignature(decl) || ts.isPropertyDeclaration(decl)) ? decl.type : undefined;
    node = node && this.wireRef(node);
    if (node && ts.isTypeReferenceNode(node)) {
      const sym = resolveAlias(this.checker, this.checker.getSymbolAtLocation(node.typeName));
      const loc = sym?.getName();
      const args = node.typeArguments ?? [];
      if (loc === "HttpStatus") {
        if (args.length > 0) this.diags.at(node, "HttpStatus doesn't take generic type parameters");
        return { loc: "httpStatus", underlying: "number" };
      }
      const l = loc === "Header" ? "header" : loc === "Query" ? "query" : "cookie";
      if (args.length === 0) return { loc: l, underlying: "string" };
      if (args.length === 1) {
        const a = args[0];
        if (ts.isLiteralTypeNode(a) && ts.isStringLiteral(a.literal)) return { loc: l, name: a.literal.text, underlying: "string" };
        return { loc: l, underlying: this.checker.getTypeFromTypeNode(a) };
      }
      const nameArg = args[1];
      let name: string | undefined;
      if (ts.isLiteralTypeNode(nameArg) && ts.isStringLiteral(nameArg.literal)) name = nameArg.literal.text;
      else this.diags.at(nameArg, "expected a string literal as the second type argument");
      return { loc: l, name, underlying: this.checker.getTypeFromTypeNode(args[0]) };
    }
    // Declared through something we can't see (a mapped type): HttpStatus still shows as its alias.
    if (isSdkSymbol(t.aliasSymbol, "api/", HTTP_STATUS)) return { loc: "httpStatus", underlying: "number" };
    return null;
  }

  /** Finds the wire-spec reference inside `T | undefined`, `(T)`, `T & MinLen<..>`. */
  private wireRef(node: ts.TypeNode): ts.TypeNode | undefined {
    if (ts.isParenthesizedTypeNode(node)) return this.wireRef(node.type);
    if (ts.isUnionTypeNode(node)) {
      const rest = node.types.filter((t) => !isUndefinedNode(t));
      return rest.length === 1 ? this.wireRef(rest[0]) : undefined;
    }
    if (ts.isIntersectionTypeNode(node)) {
      for (const m of node.types) {
        const r = this.wireRef(m);
        if (r) return r;
      }
      return undefined;
    }
    if (ts.isTypeReferenceNode(node)) {
      const sym = resolveAlias(this.checker, this.checker.getSymbolAtLocation(node.typeName));
      return isSdkSymbol(sym, "api/", WIRE_NAMES) ? node : undefined;
    }
    return undefined;
  }

  // ----- structural conversion

  private convertInner(type: ts.Type, site: ts.Node, allowNamed: boolean): Schema {
    const f = type.flags;
    const T = ts.TypeFlags;
    if (f & (T.Any | T.Unknown)) return { kind: "any" };
    // Pub/Sub Attribute<T> is T (plus a compile-time brand); the attribute travels in the message too.
    if (isSdkSymbol(type.aliasSymbol, "pubsub/", ATTRIBUTE) && type.aliasTypeArguments?.[0]) {
      return this.convert(type.aliasTypeArguments[0], site);
    }
    if (f & T.TypeParameter) return this.fail(site, "unresolved generic types are not supported in schemas");
    if (f & T.Boolean) return { kind: "boolean" };
    if (f & T.EnumLiteral && !(f & T.Union)) return literalOf(type) ?? this.fail(site, "unsupported enum member");
    if (f & T.Union && (f & T.EnumLiteral || (type.getSymbol()?.flags ?? 0) & ts.SymbolFlags.Enum)) {
      return this.enumSchema(type as ts.UnionType, site);
    }
    if (f & (T.StringLiteral | T.NumberLiteral | T.BooleanLiteral)) {
      return literalOf(type) ?? this.fail(site, "unsupported literal type");
    }
    if (f & T.BigIntLiteral || f & T.BigInt) return { kind: "bigint" };
    if (f & (T.String | T.TemplateLiteral | T.StringMapping)) return { kind: "string" };
    if (f & T.Number) return { kind: "number" };
    if (f & T.Null) return { kind: "null" };
    if (f & (T.Undefined | T.Void)) return this.fail(site, "undefined and void are not supported in schemas (make the field optional instead)");
    if (f & T.Never) return this.fail(site, "never is not supported in schemas");
    if (f & (T.ESSymbol | T.UniqueESSymbol)) return this.fail(site, "symbol types are not supported in schemas");
    if (f & T.NonPrimitive) return this.fail(site, "unsupported basic type in schema: object (use an interface or Record<string, T>)");

    if (f & T.Union) {
      if (allowNamed) {
        const ref = this.named(type, site);
        if (ref) return ref;
      }
      return this.unionSchema(type as ts.UnionType, site);
    }
    if (f & T.Intersection) return this.intersectionSchema(type as ts.IntersectionType, site, allowNamed);
    if (f & T.Object) {
      if (this.isDate(type)) return { kind: "date" };
      if (this.isDecimal(type)) return { kind: "decimal" };
      const sym = type.getSymbol();
      if (sym && sym.flags & ts.SymbolFlags.Class) {
        return this.fail(site, `class types are not supported in schemas (found class ${sym.getName()}); use an interface`);
      }
      if (this.checker.isTupleType(type)) return this.fail(site, "tuple types are not supported in schemas (use an array or an interface)");
      if (this.checker.isArrayType(type)) {
        const elem = this.checker.getTypeArguments(type as ts.TypeReference)[0];
        return { kind: "array", elem: elem ? this.convert(elem, site) : { kind: "any" } };
      }
      // Built-in interfaces other than Date and arrays (Map, Set, Promise, Uint8Array) have no wire form.
      const lib = sym?.declarations?.[0];
      if (sym && sym.flags & ts.SymbolFlags.Interface && lib && this.program.isSourceFileDefaultLibrary(lib.getSourceFile())) {
        return this.fail(site, `${sym.getName()} is not supported in schemas`);
      }
      if (
        this.checker.getSignaturesOfType(type, ts.SignatureKind.Call).length > 0 ||
        this.checker.getSignaturesOfType(type, ts.SignatureKind.Construct).length > 0
      ) {
        return this.fail(site, "function types are not supported in schemas");
      }
      if (allowNamed) {
        const ref = this.named(type, site);
        if (ref) return ref;
      }
      return this.objectSchema(type, site);
    }
    return this.fail(site, `unsupported type in schema: ${this.checker.typeToString(type)}`);
  }

  private enumSchema(type: ts.UnionType, site: ts.Node): Schema {
    const types: Schema[] = [];
    for (const m of type.types) {
      const lit = literalOf(m);
      if (lit) types.push(lit);
      else return this.fail(site, "unsupported enum member (enum members must be string or number literals)");
    }
    return types.length === 1 ? types[0] : { kind: "union", types };
  }

  private unionSchema(type: ts.UnionType, site: ts.Node): Schema {
    // `origin` keeps the union as written (`Status | null`), so named members stay refs.
    const origin = (type as { origin?: ts.Type }).origin;
    const members = (origin && origin.flags & ts.TypeFlags.Union ? (origin as ts.UnionType).types : type.types).filter(
      (t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)),
    );
    const hasTrue = members.some((t) => t.flags & ts.TypeFlags.BooleanLiteral && (t as { intrinsicName?: string }).intrinsicName === "true");
    const hasFalse = members.some((t) => t.flags & ts.TypeFlags.BooleanLiteral && (t as { intrinsicName?: string }).intrinsicName === "false");
    const out: Schema[] = [];
    let boolDone = false;
    for (const m of members) {
      if (hasTrue && hasFalse && m.flags & ts.TypeFlags.BooleanLiteral) {
        if (!boolDone) out.push({ kind: "boolean" });
        boolDone = true;
        continue;
      }
      const s = this.convert(m, site);
      if (s.kind === "union") out.push(...s.types);
      else out.push(s);
    }
    if (out.length === 0) return this.fail(site, "a union of only undefined is not supported in schemas");
    return out.length === 1 ? out[0] : { kind: "union", types: out };
  }

  private intersectionSchema(type: ts.IntersectionType, site: ts.Node, allowNamed: boolean): Schema {
    const brands = type.types.filter((t) => this.isValidationBrand(t));
    const rest = type.types.filter((t) => !this.isValidationBrand(t));
    if (rest.length === 0) {
      return this.fail(site, "unsupported standalone validation expression: combine it with a type using '&', e.g. string & MinLen<1>");
    }
    if (allowNamed) {
      const ref = this.named(type, site); // `type Email = string & IsEmail` stays a ref
      if (ref) return ref;
    }
    let base: Schema;
    if (rest.length === 1) base = this.convert(rest[0], site);
    else if (rest.every((t) => t.flags & ts.TypeFlags.Object && !this.isSpecialObject(t))) base = this.objectSchema(type, site);
    else return this.fail(site, `unsupported intersection type in schema: ${this.checker.typeToString(type)}`);
    return brands.length > 0 ? withValidation(base, this.validationOf(type, site), site, this.diags) : base;
  }

  private objectSchema(type: ts.Type, site: ts.Node): Schema {
    const c = this.checker;
    const props = c.getPropertiesOfType(type).filter((p) => !isSymbolKeyed(p));
    const index = c.getIndexInfosOfType(type);
    if (index.length > 0) {
      if (props.length > 0) return this.fail(site, "index signature with additional fields is not supported");
      const info = index[0];
      const key = info.keyType.flags & ts.TypeFlags.Number ? "number" : info.keyType.flags & ts.TypeFlags.String ? "string" : null;
      if (!key) return this.fail(site, "only string and number index signatures are supported in schemas");
      return { kind: "record", key, value: this.convert(info.type, site) };
    }
    return { kind: "object", fields: props.map((p) => this.field(p, site)) };
  }

  private field(prop: ts.Symbol, parentSite: ts.Node): FieldMeta {
    const site = this.siteOf(prop, parentSite);
    const t = this.checker.getTypeOfSymbol(prop);
    let schema = this.fieldSchema(prop, t, site);
    if (this.declaresInt(declaredTypeNode(prop))) schema = markInteger(schema);
    const f: FieldMeta = {
      name: prop.name,
      optional: !!(prop.flags & ts.SymbolFlags.Optional) || hasUndefined(t),
      schema,
    };
    const doc = this.docOfSymbol(prop);
    if (doc) f.doc = doc;
    return f;
  }

  private fieldSchema(prop: ts.Symbol, t: ts.Type, site: ts.Node): Schema {
    if (prop.flags & ts.SymbolFlags.Method) return this.fail(site, "function types are not supported in schemas");
    return this.convert(t, site);
  }

  // ----- named types

  /** A ref for interfaces and type aliases declared in the app (generic instantiations keyed with their args). */
  private named(type: ts.Type, site: ts.Node): Schema | null {
    let decl: ts.Declaration | undefined;
    let name: string;
    let generic: boolean;
    if (type.aliasSymbol) {
      decl = type.aliasSymbol.declarations?.[0];
      name = type.aliasSymbol.getName();
      generic = (type.aliasTypeArguments?.length ?? 0) > 0;
    } else {
      const sym = type.getSymbol();
      if (!sym || !(sym.flags & ts.SymbolFlags.Interface) || sym.flags & ts.SymbolFlags.Class) return null;
      decl = sym.declarations?.[0];
      name = sym.getName();
      generic = !!((type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) && this.checker.getTypeArguments(type as ts.TypeReference).length > 0;
    }
    if (!decl || !this.isAppDecl(decl)) return null;
    const identity: ts.Node | ts.Type = generic ? type : decl;
    let key = this.keys.get(identity);
    if (!key) {
      key = this.uniqueKey(generic ? this.checker.typeToString(type) : name);
      this.keys.set(identity, key);
      this.types[key] = { kind: "any" }; // placeholder while converting: recursive types find the key
      this.depth++;
      try {
        this.types[key] = this.convertInner(type, generic ? site : decl, false);
        if (ts.isTypeAliasDeclaration(decl) && this.declaresInt(decl.type)) this.types[key] = markInteger(this.types[key]);
      } finally {
        this.depth--;
      }
    }
    return { kind: "ref", name: key };
  }

  private uniqueKey(base: string): string {
    if (!(base in this.types)) return base;
    for (let i = 2; ; i++) if (!(`${base}_${i}` in this.types)) return `${base}_${i}`;
  }

  private typeName(type: ts.Type): string | undefined {
    if (type.aliasSymbol) {
      return type.aliasTypeArguments?.length ? this.checker.typeToString(type) : type.aliasSymbol.getName();
    }
    const sym = type.getSymbol();
    if (sym && sym.flags & ts.SymbolFlags.Interface) {
      const ref = (type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference;
      return ref && this.checker.getTypeArguments(type as ts.TypeReference).length > 0 ? this.checker.typeToString(type) : sym.getName();
    }
    return undefined;
  }

  private isAppDecl(decl: ts.Node): boolean {
    const sf = decl.getSourceFile();
    return !sf.fileName.includes("/node_modules/") && !this.program.isSourceFileDefaultLibrary(sf);
  }

  // ----- special types and validation

  private isDate(type: ts.Type): boolean {
    const sym = type.getSymbol();
    const decl = sym?.declarations?.[0];
    return sym?.getName() === "Date" && !!decl && this.program.isSourceFileDefaultLibrary(decl.getSourceFile());
  }

  private isDecimal(type: ts.Type): boolean {
    const sym = type.getSymbol();
    return sym?.getName() === "Decimal" && (sdkPath(sym) ?? "").startsWith("types/");
  }

  private isSpecialObject(type: ts.Type): boolean {
    return this.isDate(type) || this.isDecimal(type) || this.checker.isArrayType(type) || this.checker.isTupleType(type);
  }

  /** encore.dev/validate types are objects branded with an optional `[__validate]` property. */
  private isValidationBrand(type: ts.Type): boolean {
    if (!(type.flags & ts.TypeFlags.Object)) return false;
    return this.checker.getPropertiesOfType(type).some((p) => VALIDATE_PROP.test(String(p.escapedName)));
  }

  private validationOf(type: ts.Type, site: ts.Node): Validation | undefined {
    if (!(type.flags & ts.TypeFlags.Intersection)) return undefined;
    let v: Validation | undefined;
    for (const brand of (type as ts.IntersectionType).types) {
      if (!this.isValidationBrand(brand)) continue;
      const prop = this.checker.getPropertiesOfType(brand).find((p) => VALIDATE_PROP.test(String(p.escapedName)))!;
      const rules = this.checker.getNonNullableType(this.checker.getTypeOfSymbol(prop));
      for (const rule of this.checker.getPropertiesOfType(rules)) {
        const value = literalOf(this.checker.getNonNullableType(this.checker.getTypeOfSymbol(rule)));
        if (value?.kind !== "literal") {
          this.diags.at(site, `validation ${rule.name} needs a literal argument`);
          continue;
        }
        v = { ...(v ?? {}), [rule.name]: value.value };
      }
    }
    return v;
  }

  /**
   * Whether a declared type says "integer": it is (or intersects, or is a nullable/optional form
   * of, or a Query/Header/Cookie of, or an app alias for) the app's `Int`, a type alias named Int
   * declared as `number`. Encore.ts has no integer type: under Encore's parser `Int` is a number;
   * ours keeps it an integer (meta.ts `integer`). Read from the syntax, as the checker erases
   * aliases of primitives.
   */
  private declaresInt(node: ts.TypeNode | undefined, depth = 0): boolean {
    if (!node || depth > 16) return false;
    if (ts.isParenthesizedTypeNode(node)) return this.declaresInt(node.type, depth + 1);
    if (ts.isUnionTypeNode(node) || ts.isIntersectionTypeNode(node)) return node.types.some((m) => this.declaresInt(m, depth + 1));
    if (!ts.isTypeReferenceNode(node)) return false;
    const sym = resolveAlias(this.checker, this.checker.getSymbolAtLocation(node.typeName));
    if (!sym) return false;
    if (isSdkSymbol(sym, "api/", WIRE_NAMES)) return this.declaresInt(node.typeArguments?.[0], depth + 1);
    const decl = sym.declarations?.[0];
    if (!decl || !ts.isTypeAliasDeclaration(decl) || !this.isAppDecl(decl) || decl.typeParameters) return false;
    if (sym.getName() === "Int" && decl.type.kind === ts.SyntaxKind.NumberKeyword) return true;
    return this.declaresInt(decl.type, depth + 1);
  }

  // ----- helpers

  private siteOf(prop: ts.Symbol, fallback: ts.Node): ts.Node {
    const decl = prop.valueDeclaration ?? prop.declarations?.[0];
    return decl && this.isAppDecl(decl) ? decl : fallback;
  }

  private docOfSymbol(prop: ts.Symbol): string | undefined {
    const decl = prop.valueDeclaration ?? prop.declarations?.[0];
    return decl && this.isAppDecl(decl) ? leadingDoc(decl) : undefined;
  }

  private fail(site: ts.Node, message: string): Schema {
    this.diags.at(site, message);
    return { kind: "any" };
  }
}

/** The type a property was declared with, as written. */
function declaredTypeNode(prop: ts.Symbol): ts.TypeNode | undefined {
  const decl = prop.valueDeclaration ?? prop.declarations?.[0];
  return decl && (ts.isPropertySignature(decl) || ts.isPropertyDeclaration(decl)) ? decl.type : undefined;
}

/** Marks the number in a schema (or in a union's members) as an integer. */
function markInteger(s: Schema): Schema {
  if (s.kind === "number") return { ...s, integer: true };
  if (s.kind === "union") return { ...s, types: s.types.map(markInteger) };
  return s;
}

function setWire(f: FieldMeta, loc: FieldLocation, name: string | undefined): void {
  f.location = loc;
  f.wireName = name ?? f.name;
}

function isSymbolKeyed(p: ts.Symbol): boolean {
  return String(p.escapedName).startsWith("__@");
}

function isUndefinedNode(n: ts.TypeNode): boolean {
  return n.kind === ts.SyntaxKind.UndefinedKeyword || (ts.isLiteralTypeNode(n) && n.literal.kind === ts.SyntaxKind.UndefinedKeyword);
}

export function hasUndefined(t: ts.Type): boolean {
  return !!(t.flags & ts.TypeFlags.Union) && (t as ts.UnionType).types.some((m) => m.flags & ts.TypeFlags.Undefined);
}

function literalOf(t: ts.Type): Schema | null {
  if (t.flags & ts.TypeFlags.StringLiteral) return { kind: "literal", value: (t as ts.StringLiteralType).value };
  if (t.flags & ts.TypeFlags.NumberLiteral) return { kind: "literal", value: (t as ts.NumberLiteralType).value };
  if (t.flags & ts.TypeFlags.BooleanLiteral) return { kind: "literal", value: (t as { intrinsicName?: string }).intrinsicName === "true" };
  return null;
}

const STRING_RULES: (keyof Validation)[] = ["isEmail", "isURL", "startsWith", "endsWith", "matchesRegexp"];
const LEN_RULES: (keyof Validation)[] = ["minLen", "maxLen"];
const VALUE_RULES: (keyof Validation)[] = ["minValue", "maxValue"];

/** Attaches rules to the schemas that carry them, checking each rule fits the type (as Encore does). */
export function withValidation(s: Schema, v: Validation | undefined, site: ts.Node, diags: Diagnostics): Schema {
  if (!v) return s;
  const rules = Object.keys(v) as (keyof Validation)[];
  const allowed =
    s.kind === "string"
      ? [...STRING_RULES, ...LEN_RULES]
      : s.kind === "array"
        ? LEN_RULES
        : s.kind === "number"
          ? VALUE_RULES
          : s.kind === "ref"
            ? [...STRING_RULES, ...LEN_RULES, ...VALUE_RULES]
            : [];
  for (const r of rules) {
    if (!allowed.includes(r)) {
      diags.at(site, `validation ${r} cannot be applied to a ${s.kind} type`);
      return s;
    }
  }
  if (s.kind === "string" || s.kind === "number" || s.kind === "array" || s.kind === "ref") {
    return { ...s, validate: { ...(s.validate ?? {}), ...v } };
  }
  return s;
}

/** The comment block directly above a declaration (no blank line between), without comment markers. */
export function leadingDoc(node: ts.Node): string | undefined {
  const sf = node.getSourceFile();
  const text = sf.getFullText();
  const ranges = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
  const kept: ts.CommentRange[] = [];
  let next = node.getStart(sf);
  for (let i = ranges.length - 1; i >= 0; i--) {
    const r = ranges[i];
    const gap = text.slice(r.end, next);
    if ((gap.match(/\n/g) ?? []).length > 1) break;
    kept.unshift(r);
    next = r.pos;
  }
  const lines: string[] = [];
  for (const r of kept) {
    const raw = text.slice(r.pos, r.end);
    if (r.kind === ts.SyntaxKind.SingleLineCommentTrivia) lines.push(raw.replace(/^\/\/\s?/, ""));
    else {
      const body = raw.replace(/^\/\*\*?/, "").replace(/\*\/$/, "");
      for (const l of body.split("\n")) lines.push(l.replace(/^\s*\* ?/, "").trimEnd());
    }
  }
  const doc = lines.join("\n").trim();
  return doc === "" ? undefined : doc;
}
