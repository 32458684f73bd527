// Infrastructure resources: services, databases, topics, subscriptions, cron jobs, gateways, auth, secrets.
import path from "node:path";
import ts from "typescript";
import type { AuthHandlerMeta, BucketMeta, DatabaseMeta, MetricMeta, Schema, TopicMeta } from "../meta.ts";
import type { FileCtx, ParseContext, ServiceInfo } from "./parsecontext.ts";
import { checkCronExpr, checkEvery } from "./cronchecks.ts";
import { SERVICE_FILE } from "./files.ts";
import { configObject, durationLit, ParseError, stringLit, uintLit, unwrapExpr } from "./literals.ts";
import { listMigrations, MIGRATION_SOURCES, nonSequential, type MigrationSource } from "./migrations.ts";
import { bindingOf } from "./scan.ts";

/** The resource name (first constructor/call argument), which Encore reads statically. */
function resourceName(node: ts.CallExpression | ts.NewExpression, idx = 0): string {
  const arg = node.arguments?.[idx];
  if (!arg) throw new ParseError(node, `missing resource name as argument[${idx}]`);
  const e = unwrapExpr(arg);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  throw new ParseError(arg, "expected string literal as the resource name");
}

function configArg(node: ts.NewExpression, idx: number, what = "missing required config object"): ts.Expression {
  const arg = node.arguments?.[idx];
  if (!arg) throw new ParseError(node, what);
  return arg;
}

// ----- services

export function parseService(ctx: ParseContext, file: FileCtx, node: ts.NewExpression): ServiceInfo | undefined {
  return ctx.guard(node, () => {
    if (path.basename(file.abs) !== SERVICE_FILE) throw new ParseError(node, "service declarations are only allowed in encore.service.ts");
    const b = bindingOf(node);
    if (b.decl) throw new ParseError(b.decl.name, "service definitions should not be bound to a variable");
    if (!b.defaultExport) throw new ParseError(node, "service must be default export");
    const name = resourceName(node);
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) {
      throw new ParseError(node.arguments![0], `invalid service name "${name}": use letters, digits, '-' and '_', starting with a letter`);
    }
    let hasMiddlewares = false;
    const cfg = node.arguments?.[1];
    if (cfg) hasMiddlewares = configObject(cfg, ["middlewares"]).has("middlewares");
    const dir = path.dirname(file.abs);
    return { name, dir, relDir: ctx.rel(dir), file: file.abs, hasMiddlewares };
  });
}

// ----- databases

export interface ParsedDatabase {
  meta: DatabaseMeta;
  node: ts.NewExpression;
}

export function parseDatabase(ctx: ParseContext, file: FileCtx, node: ts.NewExpression): ParsedDatabase | undefined {
  return ctx.guard(node, () => {
    const b = bindingOf(node);
    if (!ctx.requireTopLevel(b, node, "SQL databases")) return undefined;
    // A database is the app's, not a service's: Encore accepts one declared outside any service.
    const name = resourceName(node);
    const meta: DatabaseMeta = { name, service: file.service?.name ?? "", file: file.rel, migrationsDir: null, migrations: [] };
    const cfgArg = node.arguments?.[1];
    if (cfgArg) {
      const cfg = configObject(cfgArg, ["migrations"]);
      const m = cfg.get("migrations");
      if (m) {
        let relNode: ts.Expression = m.value;
        let source: MigrationSource | null = null;
        const v = unwrapExpr(m.value);
        if (ts.isObjectLiteralExpression(v)) {
          const mc = configObject(v, ["path", "source"]);
          const p = mc.get("path");
          if (!p) throw new ParseError(v, "field path is required but is missing");
          const src = mc.get("source");
          if (src) {
            const name = stringLit(src.value);
            if (!MIGRATION_SOURCES.includes(name))
              throw new ParseError(src.value, `unknown migration source "${name}" (expected one of ${MIGRATION_SOURCES.map((x) => `"${x}"`).join(", ")})`);
            source = name as MigrationSource;
          }
          relNode = p.value;
        }
        const rel = stringLit(relNode, "relative path string literal");
        const norm = path.posix.normalize(rel.replace(/\\/g, "/"));
        if (path.isAbsolute(rel) || norm === ".." || norm.startsWith("../")) {
          throw new ParseError(relNode, "migrations must be a relative path inside the declaring file's folder (no '..')");
        }
        const dir = path.resolve(path.dirname(file.abs), rel);
        const listed = listMigrations(dir, source);
        if ("error" in listed) throw new ParseError(relNode, listed.error);
        meta.migrationsDir = ctx.rel(dir);
        if (nonSequential(source)) meta.nonSequentialMigrations = true;
        meta.migrations = listed.migrations.map((x) => ({ version: x.version, name: x.name, file: ctx.rel(path.join(dir, x.fileName)) }));
      }
    }
    return { meta, node };
  });
}

export function parseDatabaseRef(ctx: ParseContext, node: ts.CallExpression): { name: string; node: ts.CallExpression } | undefined {
  return ctx.guard(node, () => ({ name: resourceName(node), node }));
}

// ----- object storage, cache clusters, metrics

function boolLit(e: ts.Expression): boolean {
  const v = unwrapExpr(e);
  if (v.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (v.kind === ts.SyntaxKind.FalseKeyword) return false;
  throw new ParseError(e, "expected a boolean literal");
}

export function parseBucket(ctx: ParseContext, file: FileCtx, node: ts.NewExpression): { meta: BucketMeta; node: ts.Node } | undefined {
  return ctx.guard(node, () => {
    if (!ctx.requireTopLevel(bindingOf(node), node, "object storage buckets")) return undefined;
    const meta: BucketMeta = { name: resourceName(node), file: file.rel, public: false, versioned: false };
    if (!/^[a-z0-9][a-z0-9-]*[a-z0-9]$/.test(meta.name) || meta.name.length > 63) {
      throw new ParseError(node.arguments![0], `invalid bucket name "${meta.name}": use lowercase letters, digits and '-' (2 to 63 characters)`);
    }
    const cfgArg = node.arguments?.[1];
    if (cfgArg) {
      const cfg = configObject(cfgArg, ["public", "versioned"]);
      const pub = cfg.get("public");
      if (pub) meta.public = boolLit(pub.value);
      const ver = cfg.get("versioned");
      if (ver) meta.versioned = boolLit(ver.value);
    }
    return { meta, node };
  });
}

export function parseBucketRef(ctx: ParseContext, node: ts.CallExpression): { name: string; node: ts.CallExpression } | undefined {
  return ctx.guard(node, () => ({ name: resourceName(node), node }));
}

export function parseCacheCluster(ctx: ParseContext, node: ts.NewExpression): { name: string; node: ts.Node } | undefined {
  return ctx.guard(node, () => {
    if (!ctx.requireTopLevel(bindingOf(node), node, "cache clusters")) return undefined;
    const name = resourceName(node);
    const cfgArg = node.arguments?.[1];
    if (cfgArg) configObject(cfgArg, ["evictionPolicy"]);
    return { name, node };
  });
}

const METRIC_KINDS: Record<string, { kind: MetricMeta["kind"]; labelled: boolean }> = {
  Counter: { kind: "counter", labelled: false },
  CounterGroup: { kind: "counter", labelled: true },
  Gauge: { kind: "gauge", labelled: false },
  GaugeGroup: { kind: "gauge", labelled: true },
};

export function parseMetric(ctx: ParseContext, file: FileCtx, node: ts.NewExpression, sdk: string): { meta: MetricMeta; node: ts.Node } | undefined {
  return ctx.guard(node, () => {
    if (!ctx.requireTopLevel(bindingOf(node), node, "metrics")) return undefined;
    const name = metricName(node);
    const { kind, labelled } = METRIC_KINDS[sdk];
    return { meta: { name, kind, labelled, services: file.service ? [file.service.name] : [], file: file.rel }, node };
  });
}

// ----- topics and subscriptions

export interface ParsedTopic {
  meta: TopicMeta;
  node: ts.NewExpression;
  decl?: ts.VariableDeclaration;
}

export function parseTopic(ctx: ParseContext, file: FileCtx, node: ts.NewExpression): ParsedTopic | undefined {
  return ctx.guard(node, () => {
    const b = bindingOf(node);
    if (!ctx.requireTopLevel(b, node, "Pub/Sub topics")) return undefined;
    const name = resourceName(node);
    const cfg = configObject(configArg(node, 1), ["deliveryGuarantee", "orderingAttribute"]);
    let deliveryGuarantee: TopicMeta["deliveryGuarantee"] = "at-least-once";
    const dg = cfg.get("deliveryGuarantee");
    if (dg) {
      const v = stringLit(dg.value);
      if (v !== "at-least-once" && v !== "exactly-once") throw new ParseError(dg.value, "invalid delivery guarantee");
      deliveryGuarantee = v;
    }
    const oa = cfg.get("orderingAttribute");
    const orderingAttribute = oa ? stringLit(oa.value) : null;
    const targ = node.typeArguments?.[0];
    if (!targ) throw new ParseError(node, "missing message type parameter");
    const messageType = ctx.schema.convert(ctx.checker.getTypeFromTypeNode(targ), targ);
    if (!isObjectLike(ctx, messageType)) ctx.diags.at(targ, "topic message type must be an interface or object type (or a union of them)");
    const meta: TopicMeta = {
      name,
      service: file.service?.name ?? "",
      file: file.rel,
      deliveryGuarantee,
      orderingAttribute,
      messageType,
    };
    return { meta, node, decl: b.decl };
  });
}

/** An object type, or a union of object types (`(A | B) & { id: string }`), as Encore accepts. */
function isObjectLike(ctx: ParseContext, schema: Schema): boolean {
  const r = ctx.schema.resolve(schema);
  if (r.kind === "object" || r.kind === "any" || r.kind === "record") return true;
  return r.kind === "union" && r.types.every((t) => isObjectLike(ctx, t));
}

export interface ParsedSubscription {
  name: string;
  topicExpr: ts.Expression;
  service: string;
  file: string;
  line: number;
  node: ts.NewExpression;
  maxConcurrency: number;
  ackDeadlineMs: number;
  messageRetentionMs: number;
  retryPolicy: { minBackoffMs: number; maxBackoffMs: number; maxRetries: number };
}

export function parseSubscription(ctx: ParseContext, file: FileCtx, node: ts.NewExpression): ParsedSubscription | undefined {
  return ctx.guard(node, () => {
    const b = bindingOf(node);
    if (!ctx.requireTopLevel(b, node, "Pub/Sub subscriptions")) return undefined;
    if (!file.service) throw new ParseError(node, "Pub/Sub subscriptions must be declared within a service (a folder with an encore.service.ts)");
    const topicArg = node.arguments?.[0];
    if (!topicArg) throw new ParseError(node, "missing constructor arguments");
    if (ts.isSpreadElement(topicArg)) throw new ParseError(topicArg, "cannot use ... for PubSub topic reference");
    const name = resourceName(node, 1);
    const cfg = configObject(configArg(node, 2), ["handler", "maxConcurrency", "ackDeadline", "messageRetention", "retryPolicy"]);
    if (!cfg.has("handler")) throw new ParseError(node.arguments![2], "field handler is required but is missing");
    const sub: ParsedSubscription = {
      name,
      topicExpr: topicArg,
      service: file.service.name,
      file: file.rel,
      line: ctx.line(node),
      node,
      maxConcurrency: 100,
      ackDeadlineMs: 30_000,
      messageRetentionMs: 7 * 24 * 3600_000,
      retryPolicy: { minBackoffMs: 10_000, maxBackoffMs: 600_000, maxRetries: 100 },
    };
    const mc = cfg.get("maxConcurrency");
    if (mc) sub.maxConcurrency = uintLit(mc.value);
    const ad = cfg.get("ackDeadline");
    if (ad) sub.ackDeadlineMs = durationLit(ad.value);
    const mr = cfg.get("messageRetention");
    if (mr) sub.messageRetentionMs = durationLit(mr.value);
    const rp = cfg.get("retryPolicy");
    if (rp) {
      const r = configObject(rp.value, ["minBackoff", "maxBackoff", "maxRetries"]);
      const minB = r.get("minBackoff");
      if (minB) sub.retryPolicy.minBackoffMs = durationLit(minB.value);
      const maxB = r.get("maxBackoff");
      if (maxB) sub.retryPolicy.maxBackoffMs = durationLit(maxB.value);
      const maxR = r.get("maxRetries");
      if (maxR) sub.retryPolicy.maxRetries = uintLit(maxR.value);
    }
    return sub;
  });
}

// ----- cron jobs

export interface ParsedCron {
  name: string;
  title: string;
  service: string;
  file: string;
  every: number | null;
  schedule: string | null;
  endpointExpr: ts.Expression;
  node: ts.NewExpression;
}

export function parseCron(ctx: ParseContext, file: FileCtx, node: ts.NewExpression): ParsedCron | undefined {
  return ctx.guard(node, () => {
    const b = bindingOf(node);
    if (!ctx.requireTopLevel(b, node, "cron jobs")) return undefined;
    if (!file.service) throw new ParseError(node, "cron jobs must be declared within a service (a folder with an encore.service.ts)");
    const name = resourceName(node);
    const cfgArg = configArg(node, 1);
    const cfg = configObject(cfgArg, ["title", "every", "schedule", "endpoint"]);
    const ep = cfg.get("endpoint");
    if (!ep) throw new ParseError(cfgArg, "field endpoint is required but is missing");
    const t = cfg.get("title");
    const ev = cfg.get("every");
    const sc = cfg.get("schedule");
    if (ev && sc) throw new ParseError(node, "expected either `every` or `schedule` to be set, not both");
    if (!ev && !sc) throw new ParseError(node, "expected either `every` or `schedule` to be set");
    let every: number | null = null;
    let schedule: string | null = null;
    if (ev) {
      const r = checkEvery(stringLit(ev.value, "duration string literal"));
      if ("error" in r) throw new ParseError(ev.value, r.error);
      every = r.ms;
    } else {
      schedule = stringLit(sc!.value, "cron expression");
      const err = checkCronExpr(schedule);
      if (err) throw new ParseError(sc!.value, err);
    }
    return {
      name,
      title: t ? stringLit(t.value) : name,
      service: file.service.name,
      file: file.rel,
      every,
      schedule,
      endpointExpr: ep.value,
      node,
    };
  });
}

// ----- gateways and auth handlers

export interface ParsedGateway {
  file: string;
  bindName: string;
  authExpr: ts.Expression | null;
  node: ts.NewExpression;
}

export function parseGateway(ctx: ParseContext, file: FileCtx, node: ts.NewExpression): ParsedGateway | undefined {
  return ctx.guard(node, () => {
    const b = bindingOf(node);
    if (!ctx.requireTopLevel(b, node, "gateways")) return undefined;
    if (!file.service) throw new ParseError(node, "gateways must be declared within a service (a folder with an encore.service.ts)");
    if (!b.name || !b.exported) throw new ParseError(node, "gateway objects must be assigned to an exported variable");
    const cfg = configObject(configArg(node, 0, "missing config object"), ["authHandler"]);
    return { file: file.rel, bindName: b.name, authExpr: cfg.get("authHandler")?.value ?? null, node };
  });
}

export interface ParsedAuthHandler {
  meta: AuthHandlerMeta;
  decl: ts.VariableDeclaration;
  node: ts.CallExpression;
}

export function parseAuthHandler(ctx: ParseContext, file: FileCtx, node: ts.CallExpression): ParsedAuthHandler | undefined {
  return ctx.guard(node, () => {
    const b = bindingOf(node);
    if (!ctx.requireTopLevel(b, node, "auth handlers")) return undefined;
    // Exported or not, as in Encore: the gateway that names it is what registers it.
    if (!b.decl || !b.name) throw new ParseError(node, "auth handler must be bound to a variable");
    if (!file.service) throw new ParseError(node, "auth handlers must be declared within a service (a folder with an encore.service.ts)");
    const handlerArg = node.arguments[0];
    if (!handlerArg) throw new ParseError(node, "auth handler must have a handler function as its first argument");
    const handler = unwrapExpr(handlerArg);
    const fn = ts.isArrowFunction(handler) || ts.isFunctionExpression(handler) ? handler : null;
    if (fn?.typeParameters) throw new ParseError(fn.typeParameters[0], "auth handler cannot have type parameters");
    const c = ctx.checker;
    const paramNode = fn?.parameters[0]?.type ?? node.typeArguments?.[0];
    if (!paramNode) throw new ParseError(node, "auth handler must have an explicitly defined parameter type");
    const resultNode = fn?.type ?? node.typeArguments?.[1];
    if (!resultNode) throw new ParseError(node, "auth handler must have an explicitly defined result type");

    const params = ctx.schema.params(c.getTypeFromTypeNode(paramNode), paramNode, "auth");
    const result = c.getTypeFromTypeNode(resultNode);
    const data = c.getNonNullableType(c.getAwaitedType(result) ?? result);
    const authData: Schema = ctx.schema.convert(data, resultNode);
    const k = ctx.schema.resolve(authData).kind;
    if (k !== "object" && k !== "any") ctx.diags.at(resultNode, "auth data must be an interface or object type with a userID field");
    if (!params) return undefined;
    const meta: AuthHandlerMeta = {
      service: file.service.name,
      name: b.name,
      file: file.rel,
      line: ctx.line(node),
      params: params.meta,
      authData,
    };
    return { meta, decl: b.decl, node };
  });
}

// ----- secrets

/**
 * secret("NAME") anywhere inside a top-level variable declaration, as Encore reads it
 * (tsparser/src/parser/resources/infra/secret.rs): `const k = secret("K")`, and also
 * `const cfg = { key: secret("K")() }`; but not inside a function.
 */
export function parseSecret(ctx: ParseContext, _file: FileCtx, node: ts.CallExpression): string | undefined {
  return ctx.guard(node, () => {
    let bound: ts.VariableDeclaration | null = null;
    for (let a: ts.Node | undefined = node.parent; a && !ts.isSourceFile(a); a = a.parent) {
      if (ts.isFunctionLike(a)) throw new ParseError(node, "secrets must be defined globally");
      if (!bound && ts.isVariableDeclaration(a)) bound = a;
    }
    if (!bound) throw new ParseError(node, "secrets must be bound to a variable");
    if (!ts.isIdentifier(bound.name)) throw new ParseError(bound.name, "expected identifier as bind name");
    const arg = node.arguments[0];
    if (!arg) throw new ParseError(node, "secret() takes a single argument, the name of the secret as a string literal");
    return stringLit(arg);
  });
}

/** A metric's name: snake_case, not starting with "e_" (reserved), as Encore requires. */
function metricName(node: ts.NewExpression): string {
  const name = resourceName(node);
  if (!/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(name)) throw new ParseError(node.arguments![0], `invalid metric name '${name}': must be snake_case.`);
  if (name.startsWith("e_")) throw new ParseError(node.arguments![0], `invalid metric name '${name}': the prefix "e_" is reserved.`);
  return name;
}
