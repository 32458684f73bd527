// api(...), api.raw(...), api.streamIn/streamOut/streamInOut(...), api.static(...): endpoints and
// their wire schemas.
import { statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import type { EndpointMeta, ParamsMeta, PathSegment, Schema } from "../meta.ts";
import type { FileCtx, ParseContext } from "./parsecontext.ts";
import { boolLit, configObject, intLit, isNullLit, ParseError, stringArrayLit, stringLit, unwrapExpr } from "./literals.ts";
import { hasBodylessMethod, isMethod, normalizeMethods, parsePath } from "./paths.ts";
import type { ApiVariant } from "./scan.ts";
import { bindingOf } from "./scan.ts";
import { leadingDoc, type ParamsResult } from "./schemabuilder.ts";

const ENDPOINT_FIELDS = ["method", "path", "expose", "auth", "bodyLimit", "tags", "sensitive", "dir", "notFound", "notFoundStatus", "headers"];
const DEFAULT_BODY_LIMIT = 2 * 1024 * 1024;

export interface ParsedEndpoint {
  meta: EndpointMeta;
  decl: ts.VariableDeclaration;
  nameNode: ts.Node;
  call: ts.CallExpression;
}

interface Options {
  methods: string[] | null;
  path: string | null;
  pathNode: ts.Node | null;
  expose: boolean;
  auth: boolean;
  bodyLimit: number | null;
  tags: string[];
  sensitive: boolean;
}

export function parseEndpoint(ctx: ParseContext, file: FileCtx, call: ts.CallExpression, variant: ApiVariant | null): ParsedEndpoint | undefined {
  return ctx.guard(call, () => {
    const b = bindingOf(call);
    if (!ctx.requireTopLevel(b, call, "API endpoints")) return undefined;
    if (!b.decl || !b.name || !b.exported) throw new ParseError(call, "API endpoint must be bound to an exported variable");
    if (!file.service) {
      throw new ParseError(call, "API endpoints must be defined within a service (a folder with an encore.service.ts)");
    }
    const cfgArg = call.arguments[0];
    if (!cfgArg) throw new ParseError(call, "API endpoint must have a config object as its first argument");
    if (variant === "static") return parseStatic(ctx, file, call, b.decl, b.name, cfgArg);
    const handler = call.arguments[1];
    if (!handler) throw new ParseError(call, "API endpoint must have a handler function as its second argument");
    const opts = readOptions(cfgArg);

    const service = file.service.name;
    const name = b.name;
    const pathStr = opts.path ?? `/${service}.${name}`;
    const parsed = parsePath(pathStr);
    if ("error" in parsed) {
      throw new ParseError(opts.pathNode ?? cfgArg, opts.path === null ? `${parsed.error} (no path given, so it defaults to ${pathStr})` : parsed.error);
    }
    const segments = parsed.segments;
    const pathParams = new Set(segments.filter((s) => s.type !== "literal").map((s) => s.value));
    const pathSite = opts.pathNode ?? cfgArg;

    const meta: EndpointMeta = {
      service,
      name,
      file: file.rel,
      line: ctx.line(call),
      methods: opts.methods ?? ["POST"],
      path: pathStr,
      segments,
      expose: opts.expose,
      auth: opts.auth,
      raw: variant === "raw",
      streamingRequest: variant === "streamIn" || variant === "streamInOut",
      streamingResponse: variant === "streamOut" || variant === "streamInOut",
      tags: opts.tags,
      bodyLimit: opts.bodyLimit,
      sensitive: opts.sensitive,
      request: null,
      response: null,
    };
    const doc = leadingDoc(b.decl.parent.parent);
    if (doc) meta.doc = doc;

    if (variant === "raw") {
      // Raw endpoints read path parameters as strings; there is no schema.
    } else if (variant === null) {
      typedSchemas(ctx, meta, call, unwrapExpr(handler), pathParams, segments, pathSite);
    } else {
      meta.methods = ["GET"]; // streams always open with a GET upgrade
      streamSchemas(ctx, meta, call, variant, unwrapExpr(handler), pathParams, segments, pathSite);
    }
    return { meta, decl: b.decl, nameNode: b.decl.name, call };
  });
}

function readOptions(cfgArg: ts.Expression, isStatic = false): Options {
  const cfg = configObject(cfgArg, ENDPOINT_FIELDS);
  const o: Options = { methods: null, path: null, pathNode: null, expose: false, auth: false, bodyLimit: DEFAULT_BODY_LIMIT, tags: [], sensitive: false };
  const m = cfg.get("method");
  if (m) o.methods = readMethods(m.value);
  const p = cfg.get("path");
  if (p) {
    o.path = stringLit(p.value);
    o.pathNode = p.value;
  }
  const ex = cfg.get("expose");
  if (ex) o.expose = boolLit(ex.value);
  const au = cfg.get("auth");
  if (au) o.auth = boolLit(au.value);
  const bl = cfg.get("bodyLimit");
  if (bl) {
    if (isNullLit(bl.value)) o.bodyLimit = null;
    else {
      o.bodyLimit = intLit(bl.value);
      if (o.bodyLimit < 0) throw new ParseError(bl.value, "expected unsigned number literal");
    }
  }
  const tg = cfg.get("tags");
  if (tg) o.tags = stringArrayLit(tg.value);
  const se = cfg.get("sensitive");
  if (se) o.sensitive = boolLit(se.value);
  if (!isStatic) {
    for (const k of STATIC_FIELDS) {
      const v = cfg.get(k);
      if (v) throw new ParseError(v.prop, `unexpected field "${k}" (only for api.static)`);
    }
  }
  return o;
}

const STATIC_FIELDS = ["dir", "notFound", "notFoundStatus", "headers"];

/**
 * api.static({ path, dir, notFound?, notFoundStatus?, headers?, expose?, auth? }): GET and HEAD
 * serve files from `dir`, named by the path's one dynamic segment, which must come last (Encore's
 * rules, tsparser/src/parser/resources/apis/api.rs). Paths are relative to the declaring file.
 */
function parseStatic(
  ctx: ParseContext,
  file: FileCtx,
  call: ts.CallExpression,
  decl: ts.VariableDeclaration,
  name: string,
  cfgArg: ts.Expression,
): ParsedEndpoint {
  const service = file.service!.name;
  const opts = readOptions(cfgArg, true);
  const cfg = configObject(cfgArg, ENDPOINT_FIELDS);
  const pathStr = opts.path ?? `/${service}.${name}`;
  const parsed = parsePath(pathStr);
  const pathSite = opts.pathNode ?? cfgArg;
  if ("error" in parsed) throw new ParseError(pathSite, parsed.error);
  const dynamic = parsed.segments.findIndex((s) => s.type !== "literal");
  if (dynamic >= 0 && dynamic !== parsed.segments.length - 1) {
    const more = parsed.segments.slice(dynamic + 1).some((s) => s.type !== "literal");
    throw new ParseError(
      pathSite,
      more ? "static assets path cannot contain multiple dynamic segments" : "static assets path cannot have static segments after dynamic segments",
    );
  }
  const fileDir = path.dirname(file.abs);
  const dirOpt = cfg.get("dir");
  if (!dirOpt) throw new ParseError(cfgArg, "static assets must have the 'dir' field set");
  const dirAbs = path.resolve(fileDir, stringLit(dirOpt.value));
  let isDir = false;
  try {
    isDir = statSync(dirAbs).isDirectory();
  } catch {
    /* reported below */
  }
  if (!isDir) throw new ParseError(dirOpt.value, `unable to read static assets directory: ${ctx.rel(dirAbs)} is not a directory`);
  let notFound: string | null = null;
  const nf = cfg.get("notFound");
  if (nf) {
    const abs = path.resolve(fileDir, stringLit(nf.value));
    let isFile = false;
    try {
      isFile = statSync(abs).isFile();
    } catch {
      /* reported below */
    }
    if (!isFile) throw new ParseError(nf.value, `file does not exist: ${ctx.rel(abs)}`);
    notFound = ctx.rel(abs);
  }
  let notFoundStatus: number | null = null;
  const nfs = cfg.get("notFoundStatus");
  if (nfs) {
    notFoundStatus = intLit(nfs.value);
    if (notFoundStatus < 100 || notFoundStatus > 599) throw new ParseError(nfs.value, "notFoundStatus must be an HTTP status code (100-599)");
  }
  const headers: Record<string, string[]> = {};
  const hd = cfg.get("headers");
  if (hd) {
    const obj = unwrapExpr(hd.value);
    if (!ts.isObjectLiteralExpression(obj)) throw new ParseError(hd.value, "expected object literal");
    for (const p of obj.properties) {
      if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)))
        throw new ParseError(p, 'expected `"Header-Name": value` properties');
      const v = unwrapExpr(p.initializer);
      headers[p.name.text] = ts.isArrayLiteralExpression(v) ? stringArrayLit(v) : [stringLit(v)];
    }
  }
  const meta: EndpointMeta = {
    service,
    name,
    file: file.rel,
    line: ctx.line(call),
    methods: ["HEAD", "GET"],
    path: pathStr,
    segments: parsed.segments,
    expose: opts.expose,
    auth: opts.auth,
    raw: true,
    streamingRequest: false,
    streamingResponse: false,
    tags: opts.tags,
    bodyLimit: opts.bodyLimit,
    sensitive: opts.sensitive,
    request: null,
    response: null,
    static: { dir: ctx.rel(dirAbs) || ".", notFound, notFoundStatus, headers },
  };
  const doc = leadingDoc(decl.parent.parent);
  if (doc) meta.doc = doc;
  return { meta, decl, nameNode: decl.name, call };
}

function readMethods(expr: ts.Expression): string[] {
  const e = unwrapExpr(expr);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) {
    if (e.text === "*") return ["*"];
    if (!isMethod(e.text)) throw new ParseError(expr, `invalid method: ${e.text}`);
    return [e.text];
  }
  if (ts.isArrayLiteralExpression(e)) {
    const out: string[] = [];
    for (const el of e.elements) {
      const s = stringLit(el);
      if (s === "*") {
        if (e.elements.length > 1) throw new ParseError(expr, "invalid methods: cannot mix * and other methods");
        return ["*"];
      }
      if (!isMethod(s)) throw new ParseError(el, `invalid method: ${s}`);
      out.push(s);
    }
    if (out.length === 0) throw new ParseError(expr, "invalid methods: at least one method is required");
    return normalizeMethods(out);
  }
  throw new ParseError(expr, "invalid methods: must be string or array of strings");
}

type FnNode = ts.ArrowFunction | ts.FunctionExpression;

function isFn(n: ts.Node): n is FnNode {
  return ts.isArrowFunction(n) || ts.isFunctionExpression(n);
}

/** The handler's call signature, for types the source leaves to inference. */
function signatureOf(ctx: ParseContext, handler: ts.Expression): ts.Signature | undefined {
  return ctx.checker.getSignaturesOfType(ctx.checker.getTypeAtLocation(handler), ts.SignatureKind.Call)[0];
}

function paramCount(ctx: ParseContext, handler: ts.Expression): number {
  if (isFn(handler)) return handler.parameters.length;
  return signatureOf(ctx, handler)?.parameters.length ?? 0;
}

/** The i-th parameter's type: its annotation if written, else what the checker infers. */
function paramType(ctx: ParseContext, handler: ts.Expression, i: number): { type: ts.Type; site: ts.Node } | null {
  if (isFn(handler)) {
    const p = handler.parameters[i];
    if (!p) return null;
    if (p.type) return { type: ctx.checker.getTypeFromTypeNode(p.type), site: p.type };
    return { type: ctx.checker.getTypeAtLocation(p), site: p };
  }
  const sig = signatureOf(ctx, handler);
  const sym = sig?.parameters[i];
  if (!sym) return null;
  return { type: ctx.checker.getTypeOfSymbolAtLocation(sym, handler), site: handler };
}

/** The awaited return type: the annotation if written, else inferred. */
function returnType(ctx: ParseContext, handler: ts.Expression): { type: ts.Type; site: ts.Node } | null {
  let t: ts.Type | undefined;
  let site: ts.Node = handler;
  if (isFn(handler) && handler.type) {
    t = ctx.checker.getTypeFromTypeNode(handler.type);
    site = handler.type;
  } else {
    t = signatureOf(ctx, handler)?.getReturnType();
  }
  if (!t) return null;
  return { type: ctx.checker.getAwaitedType(t) ?? t, site };
}

function typeArg(ctx: ParseContext, call: ts.CallExpression, i: number): { type: ts.Type; site: ts.Node } | null {
  const n = call.typeArguments?.[i];
  return n ? { type: ctx.checker.getTypeFromTypeNode(n), site: n } : null;
}

/** null for void/undefined; `T | undefined` (an optional parameter) becomes T. */
function dropVoid(t: ts.Type): ts.Type | null {
  if (t.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined)) return null;
  if (t.flags & ts.TypeFlags.Union) {
    const rest = (t as ts.UnionType).types.filter((m) => !(m.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined)));
    if (rest.length === 0) return null;
    if (rest.length === 1) return rest[0];
  }
  return t;
}

function checkHandlerTypeParams(handler: ts.Expression, what: string): void {
  if (isFn(handler) && handler.typeParameters) throw new ParseError(handler.typeParameters[0], `${what} handler cannot have type parameters`);
}

function typedSchemas(
  ctx: ParseContext,
  meta: EndpointMeta,
  call: ts.CallExpression,
  handler: ts.Expression,
  pathParams: Set<string>,
  segments: PathSegment[],
  pathSite: ts.Node,
): void {
  checkHandlerTypeParams(handler, "endpoint");
  const hasParam = paramCount(ctx, handler) > 0;
  let req = (isFn(handler) && handler.parameters[0]?.type ? paramType(ctx, handler, 0) : null) ?? typeArg(ctx, call, 0);
  if (!req && hasParam) {
    // Left to inference: only an object type says anything about the request.
    const inferred = paramType(ctx, handler, 0);
    if (inferred && inferred.type.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) req = inferred;
  }
  const resp = (isFn(handler) && handler.type ? returnType(ctx, handler) : null) ?? typeArg(ctx, call, 1) ?? returnType(ctx, handler);

  const reqType = req && dropVoid(req.type);
  let request: ParamsResult | null = null;
  if (req && reqType) request = ctx.schema.params(reqType, req.site, "request", pathParams);
  meta.request = request?.meta ?? null;
  if (pathParams.size > 0 && !reqType) {
    ctx.diags.at(call, "request schema must be defined when having path parameters");
  } else if (request) {
    checkPathParams(ctx, request, segments, pathSite);
  }
  if (request) checkQueryFields(ctx, request, meta.methods);
  meta.response = responseParams(ctx, resp);
}

function responseParams(ctx: ParseContext, resp: { type: ts.Type; site: ts.Node } | null): ParamsMeta | null {
  const t = resp && dropVoid(resp.type);
  if (!resp || !t) return null;
  const r = ctx.schema.params(t, resp.site, "response");
  // Encore drops an empty response type like void.
  return r && r.meta.fields.length > 0 ? r.meta : null;
}

function checkPathParams(ctx: ParseContext, req: ParamsResult, segments: PathSegment[], pathSite: ts.Node): void {
  for (const seg of segments) {
    if (seg.type === "literal") continue;
    const f = req.meta.fields.find((x) => x.name === seg.value);
    if (!f) {
      ctx.diags.at(pathSite, `path parameter "${seg.value}" not found in request schema`);
      continue;
    }
    const site = req.sites.get(f.name) ?? pathSite;
    if (f.optional) ctx.diags.at(site, `path parameter "${f.name}" must not be optional`);
    if (seg.type === "param") {
      const kind = ctx.schema.resolve(f.schema).kind;
      if (!["string", "number", "boolean", "bigint"].includes(kind)) {
        ctx.diags.at(site, `unsupported path parameter type for "${f.name}": path parameters must be string, number or boolean`);
      }
    }
  }
}

/** Fields sent in the query string must be scalars or lists of them. */
function checkQueryFields(ctx: ParseContext, params: ParamsResult, methods: string[]): void {
  const defaultIsQuery = hasBodylessMethod(methods);
  for (const f of params.meta.fields) {
    if (f.location === "query" || (f.location === "default" && defaultIsQuery)) {
      if (!ctx.schema.isQueryType(f.schema)) ctx.diags.at(params.sites.get(f.name)!, `type not supported for query parameters ("${f.name}")`);
    }
  }
}

function streamSchemas(
  ctx: ParseContext,
  meta: EndpointMeta,
  call: ts.CallExpression,
  variant: "streamIn" | "streamOut" | "streamInOut",
  handler: ts.Expression,
  pathParams: Set<string>,
  segments: PathSegment[],
  pathSite: ts.Node,
): void {
  checkHandlerTypeParams(handler, "stream endpoint");
  const hasHandshake = paramCount(ctx, handler) === 2;
  const targs = call.typeArguments;
  if (targs) {
    const n = targs.length;
    const expected = variant === "streamInOut" ? [hasHandshake ? 3 : 2] : variant === "streamOut" ? [hasHandshake ? 2 : 1] : hasHandshake ? [2, 3] : [1, 2];
    if (!expected.includes(n)) {
      const what = expected.length === 1 ? `${expected[0]}` : `one of [${expected.join(", ")}]`;
      throw new ParseError(targs[0] ?? call, `wrong number of type parameters, expected ${what}, found ${n}`);
    }
  }
  const off = hasHandshake ? 1 : 0;
  const streamParam = paramType(ctx, handler, off);
  const streamArg = (i: number) => {
    const t = streamParam && streamTypeArg(ctx, streamParam.type, i);
    return t ? { type: t, site: streamParam!.site } : null;
  };

  const hs = hasHandshake ? (targs ? typeArg(ctx, call, 0) : paramType(ctx, handler, 0)) : null;
  let inMsg: { type: ts.Type; site: ts.Node } | null = null;
  let outMsg: { type: ts.Type; site: ts.Node } | null = null;
  let resp: { type: ts.Type; site: ts.Node } | null = null;
  if (variant === "streamInOut") {
    inMsg = targs ? typeArg(ctx, call, off) : streamArg(0);
    outMsg = targs ? typeArg(ctx, call, off + 1) : streamArg(1);
  } else if (variant === "streamIn") {
    inMsg = targs ? typeArg(ctx, call, off) : streamArg(0);
    resp = (targs ? typeArg(ctx, call, off + 1) : null) ?? returnType(ctx, handler);
  } else {
    outMsg = targs ? typeArg(ctx, call, off) : streamArg(0);
  }

  const hsType = hs && dropVoid(hs.type);
  const handshake = hs && hsType ? ctx.schema.params(hsType, hs.site, "handshake", pathParams) : null;
  meta.handshake = handshake?.meta ?? null;
  if (pathParams.size > 0 && !handshake) {
    ctx.diags.at(call, "stream endpoints with path parameters must declare them in a handshake type (the handler's first parameter)");
  } else if (handshake) {
    checkPathParams(ctx, handshake, segments, pathSite);
    checkQueryFields(ctx, handshake, ["GET"]);
  }
  meta.streamIn = variant === "streamOut" ? null : messageSchema(ctx, inMsg);
  meta.streamOut = variant === "streamIn" ? null : messageSchema(ctx, outMsg);
  if (variant === "streamIn") meta.response = responseParams(ctx, resp);
}

/** The message type of StreamIn<T> / StreamOut<T> (index 0) or StreamInOut<I, O> (index 0 or 1). */
function streamTypeArg(ctx: ParseContext, t: ts.Type, i: number): ts.Type | undefined {
  if (t.aliasTypeArguments && t.aliasTypeArguments.length > i) return t.aliasTypeArguments[i];
  if ((t as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) return ctx.checker.getTypeArguments(t as ts.TypeReference)[i];
  return undefined;
}

function messageSchema(ctx: ParseContext, m: { type: ts.Type; site: ts.Node } | null): Schema | null {
  const t = m && dropVoid(m.type);
  if (!m || !t) return null;
  const s = ctx.schema.convert(t, m.site);
  const k = ctx.schema.resolve(s).kind;
  if (k !== "object" && k !== "any") ctx.diags.at(m.site, "request and response types must be interfaces or void");
  return s;
}
