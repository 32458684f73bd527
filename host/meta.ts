// The app's metadata: what the parser learns from the source and the runtime needs to serve it.
// The parser writes it to encore.gen/meta.json; the runtime reads it at start. It plays the role
// of Encore's own metadata (encore.parser.meta.v1), trimmed to what our runtime uses.

export const META_VERSION = 1;

/** A type as the wire sees it. Named interfaces/aliases are `ref`s into AppMeta.types. */
export type Schema =
  | { kind: "string"; validate?: Validation }
  | { kind: "number"; validate?: Validation; integer?: true } // integer: declared with the app's `Int` alias (host/parser/README.md)
  | { kind: "boolean" }
  | { kind: "date" } // Date: RFC 3339 string on the wire
  | { kind: "decimal" } // encore.dev/types Decimal: string on the wire
  | { kind: "bigint" }
  | { kind: "any" } // any / unknown: passed through untouched
  | { kind: "null" }
  | { kind: "literal"; value: string | number | boolean }
  | { kind: "union"; types: Schema[] } // e.g. "a" | "b", T | null
  | { kind: "array"; elem: Schema; validate?: Validation }
  | { kind: "object"; fields: FieldMeta[] }
  | { kind: "record"; key: "string" | "number"; value: Schema } // Record<string, T>, { [k: string]: T }
  | { kind: "ref"; name: string; validate?: Validation }; // key into AppMeta.types

/** Validation rules from encore.dev/validate, all of which must hold. */
export interface Validation {
  minLen?: number; // strings (characters) and arrays (items)
  maxLen?: number;
  minValue?: number; // Min<N>
  maxValue?: number; // Max<N>
  isEmail?: boolean;
  isURL?: boolean;
  startsWith?: string;
  endsWith?: string;
  matchesRegexp?: string;
}

/** Where a request field travels. "default": query for GET/HEAD/DELETE, JSON body otherwise. */
export type FieldLocation = "path" | "query" | "header" | "cookie" | "body" | "default";

export interface FieldMeta {
  name: string; // the property name in TypeScript (and in the JSON body)
  optional: boolean; // `x?:` or a union with undefined
  schema: Schema;
  doc?: string;
  /** Top-level request/response fields only: */
  location?: FieldLocation;
  /** Header / query / cookie name on the wire (Header<"X-Name">, Query<"q">); else `name`. */
  wireName?: string;
  /** Response only: a field of type HttpStatus sets the status code instead of going in the body. */
  httpStatus?: boolean;
}

/** A request or response type: the top-level fields, after resolving refs and intersections. */
export interface ParamsMeta {
  typeName?: string; // the declared name, for docs and the generated client
  fields: FieldMeta[];
}

export interface PathSegment {
  type: "literal" | "param" | "wildcard" | "fallback"; // `/x`, `/:id`, `/*rest`, `/!fallback`
  value: string; // literal text or parameter name
}

export interface EndpointMeta {
  service: string;
  name: string; // the exported const's name
  file: string; // path relative to the app root
  line: number;
  doc?: string;
  methods: string[]; // ["GET"], ["GET","POST"], or ["*"]
  path: string; // as declared, e.g. "/api/v1/users/:id"; default "/<service>.<name>"
  segments: PathSegment[];
  expose: boolean;
  auth: boolean;
  raw: boolean;
  streamingRequest: boolean;
  streamingResponse: boolean;
  tags: string[];
  bodyLimit: number | null; // bytes; default 2 MiB; null = unlimited
  sensitive: boolean;
  /** Typed endpoints: the request (null when the handler takes no parameters). */
  request: ParamsMeta | null;
  /** Typed endpoints: the response (null for void). */
  response: ParamsMeta | null;
  /** Streams: the handshake (path/query/header fields; null if none), and the message types. */
  handshake?: ParamsMeta | null;
  streamIn?: Schema | null; // messages client → server
  streamOut?: Schema | null; // messages server → client
  /** api.static: files served from a directory (no handler). */
  static?: StaticAssetsMeta;
}

export interface StaticAssetsMeta {
  dir: string; // relative to the app root
  notFound: string | null; // file served when none matches, relative to the app root
  notFoundStatus: number | null; // its status; default 404
  headers: Record<string, string[]>; // added to every file served
}

export interface ServiceMeta {
  name: string;
  dir: string; // relative to app root, e.g. "auth"
  file: string | null; // the encore.service.ts, relative to app root; null when there is none
  hasMiddlewares: boolean;
  endpoints: EndpointMeta[];
  databases: string[]; // SQLDatabase names declared in this service
}

export interface AuthHandlerMeta {
  service: string;
  name: string; // the exported const's name
  file: string;
  line: number;
  params: ParamsMeta; // header / query / cookie fields that carry the credentials
  authData: Schema; // the resolved AuthData type
}

export interface GatewayMeta {
  name: string; // "api-gateway"
  file: string;
  bindName: string; // the exported const's name
  authHandler?: string; // name of the auth handler it uses
}

export interface DatabaseMeta {
  name: string;
  service: string; // the service whose folder declares it
  file: string;
  migrationsDir: string | null; // relative to app root
  migrations: { version: number; name: string; file: string }[]; // sorted by version
  /** Prisma / drizzle v1 migrations: applied ones are tracked one by one, not as one version. */
  nonSequentialMigrations?: boolean;
}

export interface TopicMeta {
  name: string;
  service: string; // declaring service
  file: string;
  deliveryGuarantee: "at-least-once" | "exactly-once";
  orderingAttribute: string | null;
  messageType: Schema;
}

export interface SubscriptionMeta {
  name: string;
  topic: string;
  service: string;
  file: string;
  line: number;
  maxConcurrency: number; // default 100
  ackDeadlineMs: number; // default 30 s
  messageRetentionMs: number; // default 7 days
  retryPolicy: { minBackoffMs: number; maxBackoffMs: number; maxRetries: number }; // 10 s, 10 min, 100
}

export interface CronJobMeta {
  name: string; // the id, e.g. "analytics-aggregation"
  title: string;
  service: string;
  file: string;
  every: number | null; // ms
  schedule: string | null; // cron syntax
  endpoint: { service: string; name: string };
}

/** An object storage bucket (encore.dev/storage/objects). */
export interface BucketMeta {
  name: string;
  file: string;
  public: boolean; // objects readable without a signature, at publicUrl()
  versioned: boolean;
}

/** A metric (encore.dev/metrics): its name, kind and the service whose folder declares it. */
export interface MetricMeta {
  name: string;
  kind: "counter" | "gauge";
  labelled: boolean; // a CounterGroup / GaugeGroup
  services: string[]; // the SDK attributes increments outside a request to the only service listed
  file: string;
}

export interface CorsConfig {
  allowOriginsWithoutCredentials: string[];
  allowOriginsWithCredentials: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  debug?: boolean;
}

export interface AppMeta {
  version: typeof META_VERSION;
  appId: string;
  cors: CorsConfig;
  services: ServiceMeta[];
  gateways: GatewayMeta[];
  authHandler: AuthHandlerMeta | null;
  databases: DatabaseMeta[];
  topics: TopicMeta[];
  subscriptions: SubscriptionMeta[];
  cronJobs: CronJobMeta[];
  secrets: string[];
  // Optional so metadata written by hand in tests stays valid; the parser always fills them.
  buckets?: BucketMeta[];
  cacheClusters?: string[];
  metrics?: MetricMeta[];
  types: Record<string, Schema>; // named types referenced by `ref`
}

/** Durations in Encore's DurationString syntax ("10s", "1h30m", "500ms") → milliseconds. */
export function parseDuration(s: string): number | null {
  const re = /(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|m|h)/gy;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let matched = false;
  const text = s.trim();
  re.lastIndex = 0;
  while (re.lastIndex < text.length) {
    while (text[re.lastIndex] === " ") re.lastIndex++;
    const m = re.exec(text);
    if (!m) return null;
    total += Number(m[1]) * units[m[2]];
    matched = true;
  }
  return matched ? total : null;
}
