// The parser: reads an Encore.ts app like Encore's own parser and describes it as AppMeta.
import path from "node:path";
import type ts from "typescript";
import type { AppMeta, AuthHandlerMeta, BucketMeta, CronJobMeta, GatewayMeta, MetricMeta, ServiceMeta, SubscriptionMeta } from "../meta.ts";
import { META_VERSION } from "../meta.ts";
import { readAppConfig } from "./appconfig.ts";
import { ParseContext, type FileCtx, type ServiceInfo } from "./parsecontext.ts";
import { Diagnostics, sortDiagnostics, type Diagnostic } from "./diagnostics.ts";
import { parseEndpoint, type ParsedEndpoint } from "./endpoints.ts";
import { listAppFiles, SERVICE_FILE } from "./files.ts";
import {
  parseAuthHandler,
  parseCron,
  parseDatabase,
  parseDatabaseRef,
  parseGateway,
  parseSecret,
  parseService,
  parseSubscription,
  parseTopic,
  parseBucket,
  parseBucketRef,
  parseCacheCluster,
  parseMetric,
  type ParsedAuthHandler,
  type ParsedCron,
  type ParsedDatabase,
  type ParsedGateway,
  type ParsedSubscription,
  type ParsedTopic,
} from "./infra.ts";
import { expandMethods, routeShape } from "./paths.ts";
import { createAppProgram } from "./program.ts";
import { scanSdkUses, type SdkUse } from "./scan.ts";
import { SchemaBuilder } from "./schemabuilder.ts";

export type { Diagnostic } from "./diagnostics.ts";

export interface ParseResult {
  meta: AppMeta;
  diagnostics: Diagnostic[];
}

export function parseApp(rootDir: string): ParseResult {
  const root = path.resolve(rootDir);
  const diags = new Diagnostics(root);
  const appCfg = readAppConfig(root, diags);
  const files = listAppFiles(root);
  const program = createAppProgram(root, files);
  const checker = program.getTypeChecker();
  const ctx = new ParseContext(root, program, checker, diags, new SchemaBuilder(program, checker, diags));

  if (files.length > 0 && !program.getSourceFiles().some((sf) => sf.fileName.includes("/node_modules/encore.dev/"))) {
    diags.atFile(path.join(root, "encore.app"), 1, 1, "cannot find the encore.dev package from the app: install its dependencies (npm install)");
  }

  const sources: { sf: ts.SourceFile; abs: string; uses: SdkUse[] }[] = [];
  for (const abs of files) {
    const sf = program.getSourceFile(abs);
    if (sf) sources.push({ sf, abs, uses: scanSdkUses(checker, sf) });
  }

  const services = discoverServices(ctx, sources);
  const byDepth = [...services].sort((a, b) => b.dir.length - a.dir.length);
  const serviceOf = (abs: string): ServiceInfo | null => byDepth.find((s) => abs === s.dir || abs.startsWith(s.dir + path.sep)) ?? null;

  const endpoints: ParsedEndpoint[] = [];
  const databases: ParsedDatabase[] = [];
  const dbRefs: { name: string; node: ts.CallExpression }[] = [];
  const topics: ParsedTopic[] = [];
  const subs: ParsedSubscription[] = [];
  const crons: ParsedCron[] = [];
  const gateways: ParsedGateway[] = [];
  const auths: ParsedAuthHandler[] = [];
  const secrets = new Set<string>();
  const buckets: { meta: BucketMeta; node: ts.Node }[] = [];
  const bucketRefs: { name: string; node: ts.CallExpression }[] = [];
  const caches: { name: string; node: ts.Node }[] = [];
  const metrics: { meta: MetricMeta; node: ts.Node }[] = [];

  for (const { sf, abs, uses } of sources) {
    const file: FileCtx = { sf, abs, rel: ctx.rel(abs), service: serviceOf(path.dirname(abs)) };
    for (const u of uses) {
      const n = u.node;
      switch (u.sdk) {
        case "api":
          push(endpoints, parseEndpoint(ctx, file, n as ts.CallExpression, u.variant === "named" ? null : u.variant));
          break;
        case "SQLDatabase":
          if (u.variant === "named") push(dbRefs, parseDatabaseRef(ctx, n as ts.CallExpression));
          else push(databases, parseDatabase(ctx, file, n as ts.NewExpression));
          break;
        case "Topic":
          push(topics, parseTopic(ctx, file, n as ts.NewExpression));
          break;
        case "Subscription":
          push(subs, parseSubscription(ctx, file, n as ts.NewExpression));
          break;
        case "CronJob":
          push(crons, parseCron(ctx, file, n as ts.NewExpression));
          break;
        case "Gateway":
          push(gateways, parseGateway(ctx, file, n as ts.NewExpression));
          break;
        case "authHandler":
          push(auths, parseAuthHandler(ctx, file, n as ts.CallExpression));
          break;
        case "secret": {
          const s = parseSecret(ctx, file, n as ts.CallExpression);
          if (s !== undefined) secrets.add(s);
          break;
        }
        case "Bucket":
          if (u.variant === "named") push(bucketRefs, parseBucketRef(ctx, n as ts.CallExpression));
          else push(buckets, parseBucket(ctx, file, n as ts.NewExpression));
          break;
        case "CacheCluster":
          push(caches, parseCacheCluster(ctx, n as ts.NewExpression));
          break;
        case "Counter":
        case "CounterGroup":
        case "Gauge":
        case "GaugeGroup":
          push(metrics, parseMetric(ctx, file, n as ts.NewExpression, u.sdk));
          break;
        case "Service":
          break; // handled by discoverServices
      }
    }
  }

  checkEndpoints(ctx, endpoints);
  checkUnique(
    ctx,
    databases,
    (d) => d.meta.name,
    (d) => d.node,
    "SQL Database with this name already defined",
  );
  checkUnique(
    ctx,
    topics,
    (t) => t.meta.name,
    (t) => t.node,
    "PubSub topic with this name already defined",
  );
  checkUnique(
    ctx,
    crons,
    (c) => c.name,
    (c) => c.node,
    "cron job with this name already defined",
  );
  checkUnique(
    ctx,
    auths,
    () => "auth",
    (a) => a.node,
    "only one auth handler can be defined per application",
  );
  checkUnique(
    ctx,
    gateways,
    () => "gw",
    (g) => g.node,
    "multiple gateways not yet supported",
  );
  checkUnique(
    ctx,
    buckets,
    (b) => b.meta.name,
    (b) => b.node,
    "bucket with this name already defined",
  );
  checkUnique(
    ctx,
    caches,
    (c) => c.name,
    (c) => c.node,
    "cache cluster with this name already defined",
  );
  for (const [i, m] of metrics.entries()) {
    if (metrics.slice(0, i).some((p) => p.meta.name === m.meta.name)) {
      ctx.diags.at(m.node, `metric '${m.meta.name}' is defined multiple times; metrics must have unique names across the entire application`);
    }
  }
  for (const ref of bucketRefs) {
    if (!buckets.some((b) => b.meta.name === ref.name)) ctx.diags.at(ref.node, `resource not found: bucket "${ref.name}" is not declared in this app`);
  }
  for (const ref of dbRefs) {
    if (!databases.some((d) => d.meta.name === ref.name)) ctx.diags.at(ref.node, `resource not found: SQL database "${ref.name}" is not declared in this app`);
  }

  const subscriptions = resolveSubscriptions(ctx, subs, topics);
  const cronJobs = resolveCrons(ctx, crons, endpoints);
  const { gatewayMetas, authHandler } = resolveGateways(ctx, gateways, auths);

  const serviceMetas: ServiceMeta[] = [...services]
    .sort((a, b) => (a.relDir < b.relDir ? -1 : a.relDir > b.relDir ? 1 : 0))
    .map((s) => ({
      name: s.name,
      dir: s.relDir,
      file: s.file ? ctx.rel(s.file) : null,
      hasMiddlewares: s.hasMiddlewares,
      endpoints: endpoints.filter((e) => e.meta.service === s.name).map((e) => e.meta),
      databases: databases.filter((d) => d.meta.service === s.name).map((d) => d.meta.name),
    }));

  const meta: AppMeta = {
    version: META_VERSION,
    appId: appCfg.appId,
    cors: appCfg.cors,
    services: serviceMetas,
    gateways: gatewayMetas,
    authHandler,
    databases: databases.map((d) => d.meta),
    topics: topics.map((t) => t.meta),
    subscriptions,
    cronJobs,
    secrets: [...secrets].sort(),
    buckets: buckets.map((b) => b.meta),
    cacheClusters: caches.map((c) => c.name),
    metrics: metrics.map((m) => m.meta),
    types: ctx.schema.types,
  };
  return { meta, diagnostics: sortDiagnostics(diags.list) };
}

function push<T>(list: T[], item: T | undefined): void {
  if (item !== undefined) list.push(item);
}

/** Resources whose folder is a service even without an encore.service.ts (Encore's "weak" roots). */
const SERVICE_ROOT_SDK = new Set<SdkUse["sdk"]>(["api", "Subscription", "Gateway", "authHandler"]);

/**
 * The app's services, found as Encore finds them (tsparser/src/parser/service_discovery.rs): the
 * folder of each `new Service(...)` (encore.service.ts), and the folder of every file declaring an
 * endpoint, subscription, gateway or auth handler, named after the folder, unless it lies inside
 * another such folder (then it is part of that service; a folder holding such folders absorbs
 * them). A service declared inside another service is an error, as are two with one name.
 */
function discoverServices(ctx: ParseContext, sources: { sf: ts.SourceFile; abs: string; uses: SdkUse[] }[]): ServiceInfo[] {
  const services: ServiceInfo[] = [];
  const sites = new Map<ServiceInfo, ts.Node>();
  for (const { sf, abs, uses } of sources) {
    const file: FileCtx = { sf, abs, rel: ctx.rel(abs), service: null };
    const decls = uses.filter((u) => u.sdk === "Service");
    decls.forEach((u, i) => {
      if (i > 0) {
        ctx.diags.at(u.node, "cannot have multiple service declarations in the same module");
        return;
      }
      const s = parseService(ctx, file, u.node as ts.NewExpression);
      if (!s) return;
      const dup = services.find((x) => x.name === s.name);
      if (dup) ctx.diags.at(u.node, `service "${s.name}" is already defined in ${ctx.rel(dup.file!)}`);
      else {
        services.push(s);
        sites.set(s, u.node);
      }
    });
    if (path.basename(abs) === SERVICE_FILE && decls.length === 0) {
      ctx.diags.atFile(abs, 1, 1, "encore.service.ts must define a Service resource");
    }
  }

  const declared = new Set(services.map((s) => s.dir));
  const inside = (dir: string, root: string) => dir.startsWith(root + path.sep);
  let discovered: { info: ServiceInfo; site: ts.Node }[] = [];
  for (const { abs, uses } of sources) {
    const use = uses.find((u) => SERVICE_ROOT_SDK.has(u.sdk));
    if (!use) continue;
    const dir = path.dirname(abs);
    if (declared.has(dir) || services.some((s) => inside(dir, s.dir))) continue;
    if (discovered.some((d) => d.info.dir === dir || inside(dir, d.info.dir))) continue;
    discovered = discovered.filter((d) => !inside(d.info.dir, dir));
    discovered.push({ info: { name: path.basename(dir), dir, relDir: ctx.rel(dir), file: null, hasMiddlewares: false }, site: use.node });
  }
  for (const d of discovered) {
    services.push(d.info);
    sites.set(d.info, d.site);
  }

  for (const [i, a] of services.entries()) {
    for (const b of services.slice(i + 1)) {
      if (inside(a.dir, b.dir) || inside(b.dir, a.dir)) {
        const [inner, outer] = inside(a.dir, b.dir) ? [a, b] : [b, a];
        ctx.diags.at(sites.get(inner)!, `service ${inner.name} cannot be contained within service ${outer.name} (${outer.relDir || "."})`);
      } else if (a.name === b.name && !(a.file && b.file)) {
        ctx.diags.at(sites.get(b)!, `service ${b.name} defined twice (also in ${a.relDir || "."})`);
      }
    }
  }
  return services;
}

function checkUnique<T>(ctx: ParseContext, items: T[], key: (t: T) => string, node: (t: T) => ts.Node, message: string): void {
  const seen = new Map<string, T>();
  for (const it of items) {
    const k = key(it);
    const prev = seen.get(k);
    if (prev) {
      const p = node(prev);
      ctx.diags.at(node(it), `${message} (previously defined at ${ctx.rel(p.getSourceFile().fileName)}:${ctx.line(p)})`);
    } else seen.set(k, it);
  }
}

function checkEndpoints(ctx: ParseContext, endpoints: ParsedEndpoint[]): void {
  const names = new Map<string, ParsedEndpoint>();
  const routes = new Map<string, ParsedEndpoint>();
  for (const ep of endpoints) {
    const m = ep.meta;
    const nameKey = `${m.service}.${m.name}`;
    const prevName = names.get(nameKey);
    if (prevName) {
      ctx.diags.at(
        ep.nameNode,
        `api endpoints with conflicting names defined within the same service (previously defined at ${prevName.meta.file}:${prevName.meta.line})`,
      );
      continue;
    }
    names.set(nameKey, ep);
    for (const method of expandMethods(m.methods)) {
      const key = `${method} ${routeShape(m.segments)}`;
      const prev = routes.get(key);
      if (prev) {
        ctx.diags.at(
          ep.call,
          `api endpoints with conflicting paths defined: ${method} ${m.path} (previously defined by ${prev.meta.service}.${prev.meta.name} at ${prev.meta.file}:${prev.meta.line})`,
        );
        break;
      }
      routes.set(key, ep);
    }
  }
}

function resolveSubscriptions(ctx: ParseContext, subs: ParsedSubscription[], topics: ParsedTopic[]): SubscriptionMeta[] {
  const out: SubscriptionMeta[] = [];
  const seen = new Set<string>();
  for (const s of subs) {
    const decl = ctx.declOf(s.topicExpr);
    const topic = decl && topics.find((t) => t.decl === decl);
    if (!topic) {
      ctx.diags.at(s.topicExpr, "cannot resolve topic reference: pass a Topic declared with `new Topic(...)` at the top level of a module");
      continue;
    }
    const key = `${topic.meta.name}\u0000${s.name}`;
    if (seen.has(key)) {
      ctx.diags.at(s.node, "PubSub subscription with this name already defined on this topic");
      continue;
    }
    seen.add(key);
    out.push({
      name: s.name,
      topic: topic.meta.name,
      service: s.service,
      file: s.file,
      line: s.line,
      maxConcurrency: s.maxConcurrency,
      ackDeadlineMs: s.ackDeadlineMs,
      messageRetentionMs: s.messageRetentionMs,
      retryPolicy: s.retryPolicy,
    });
  }
  return out;
}

function resolveCrons(ctx: ParseContext, crons: ParsedCron[], endpoints: ParsedEndpoint[]): CronJobMeta[] {
  const out: CronJobMeta[] = [];
  for (const c of crons) {
    const decl = ctx.declOf(c.endpointExpr);
    const ep = decl && endpoints.find((e) => e.decl === decl);
    if (!ep) {
      ctx.diags.at(c.endpointExpr, "cron job endpoint not found: `endpoint` must refer to an API endpoint declared with api(...)");
      continue;
    }
    if (ep.meta.request && ep.meta.request.fields.length > 0) {
      ctx.diags.at(c.endpointExpr, `cron job endpoint ${ep.meta.service}.${ep.meta.name} must not take parameters`);
      continue;
    }
    if (ep.meta.raw || ep.meta.streamingRequest || ep.meta.streamingResponse) {
      ctx.diags.at(c.endpointExpr, `cron job endpoint ${ep.meta.service}.${ep.meta.name} must be a typed endpoint (not raw or streaming)`);
      continue;
    }
    out.push({
      name: c.name,
      title: c.title,
      service: c.service,
      file: c.file,
      every: c.every,
      schedule: c.schedule,
      endpoint: { service: ep.meta.service, name: ep.meta.name },
    });
  }
  return out;
}

function resolveGateways(
  ctx: ParseContext,
  gateways: ParsedGateway[],
  auths: ParsedAuthHandler[],
): { gatewayMetas: GatewayMeta[]; authHandler: AuthHandlerMeta | null } {
  const gatewayMetas: GatewayMeta[] = [];
  let authHandler: AuthHandlerMeta | null = null;
  for (const g of gateways.slice(0, 1)) {
    const gm: GatewayMeta = { name: "api-gateway", file: g.file, bindName: g.bindName };
    if (g.authExpr) {
      const decl = ctx.declOf(g.authExpr);
      const ah = decl && auths.find((a) => a.decl === decl);
      if (!ah) {
        ctx.diags.at(g.authExpr, "auth handler not found: `authHandler` must refer to a handler declared with authHandler(...)");
        continue;
      }
      gm.authHandler = ah.meta.name;
      authHandler = ah.meta;
    }
    gatewayMetas.push(gm);
  }
  return { gatewayMetas, authHandler };
}
