// Runtime configuration: every knob our runtime reads from the environment, in one place.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { AppMeta } from "../meta.ts";
import { META_VERSION } from "../meta.ts";
import type { S3Settings } from "./objects_s3.ts";
import { isLoopback, TrustedProxies } from "../server/clientaddr.ts";
import { DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_POOL_SIZE, defaultAcquireTimeoutMs } from "../db/pool.ts";

export interface RuntimeConfig {
  appRoot: string;
  meta: AppMeta;
  port: number;
  host: string;
  databaseUrl: string | undefined; // a server URL: each SQLDatabase gets its own database on it
  dataDir: string; // embedded Postgres data, when no DATABASE_URL
  dbPrefix: string; // prepended to every database name (lets tests run fixture apps side by side)
  poolSize: number; // most connections one database's pool holds (within dbMaxConnections)
  dbMaxConnections: number; // WARROOM_DB_MAX_CONNECTIONS: the process's total across all its databases
  dbIdleTimeoutMs: number; // WARROOM_DB_IDLE_TIMEOUT_MS: an unused connection is closed after this
  dbAcquireTimeoutMs: number; // WARROOM_DB_ACQUIRE_TIMEOUT_MS: the longest wait for a connection (then 503)
  dbPrepare: boolean; // WARROOM_DB_PREPARE=off: no named prepared statements (a transaction-mode pooler)
  dbSessionUrl: string | undefined; // WARROOM_DB_SESSION_URL: a direct server for session work (migrations, LISTEN)
  logLevel: string | undefined;
  cron: boolean;
  shutdownTimeoutMs: number;
  opsToken: string | undefined; // WARROOM_OPS_TOKEN: with it, the runtime's own pages are on the public port too (for requests carrying it)
  opsPort: number | null; // WARROOM_OPS_PORT: the runtime's own pages on their own port (null: "off")
  opsHost: string; // WARROOM_OPS_HOST: the ops port's address (loopback by default)
  devDashboard: boolean; // WARROOM_DEV_DASHBOARD=off: no /_dev and no request tracing
  httpHeadersTimeoutMs: number; // a client must send its request headers within this
  httpRequestTimeoutMs: number; // ... and its whole request (headers and body) within this; 0 = no limit
  objects: ObjectsConfig;
  redisUrl: string | undefined; // REDIS_URL: cache clusters live there; unset = in-process
  trustedProxies: TrustedProxies; // WARROOM_TRUSTED_PROXIES: peers whose X-Forwarded-For / X-Real-IP are believed
}

export interface ObjectsConfig {
  s3: S3Settings | null; // S3-compatible storage when WARROOM_S3_ENDPOINT or WARROOM_S3_REGION is set
  bucketNames: Record<string, string>; // WARROOM_S3_BUCKETS "docs=prod-docs,avatars=prod-avatars"
  bucketPrefix: string; // WARROOM_S3_BUCKET_PREFIX, before names not mapped
  signingKey: string | undefined; // WARROOM_OBJECTS_SIGNING_KEY: signs the local store's URLs
  baseUrl: string | undefined; // WARROOM_BASE_URL: this server as clients reach it (signed and public URLs)
}

function bucketMap(v: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (v ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean)) {
    const i = part.indexOf("=");
    if (i <= 0 || i === part.length - 1) throw new Error(`WARROOM_S3_BUCKETS: expected name=cloud-bucket pairs separated by commas, got "${part}"`);
    out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

function objectsConfig(env: NodeJS.ProcessEnv): ObjectsConfig {
  const endpoint = env.WARROOM_S3_ENDPOINT || undefined;
  const region = env.WARROOM_S3_REGION || undefined;
  return {
    s3:
      endpoint || region
        ? {
            endpoint,
            region: region ?? "us-east-1",
            accessKeyId: env.WARROOM_S3_ACCESS_KEY_ID || undefined,
            secretAccessKey: env.WARROOM_S3_SECRET_ACCESS_KEY || undefined,
            forcePathStyle: env.WARROOM_S3_FORCE_PATH_STYLE ? env.WARROOM_S3_FORCE_PATH_STYLE !== "false" : endpoint !== undefined,
            publicBaseUrl: env.WARROOM_S3_PUBLIC_BASE_URL || undefined,
          }
        : null,
    bucketNames: bucketMap(env.WARROOM_S3_BUCKETS),
    bucketPrefix: env.WARROOM_S3_BUCKET_PREFIX ?? "",
    signingKey: env.WARROOM_OBJECTS_SIGNING_KEY || undefined,
    baseUrl: env.WARROOM_BASE_URL?.replace(/\/+$/, "") || undefined,
  };
}
/** The runtime's own connections (Pub/Sub and cron: pooled, plus the LISTEN one) and one for the app. */
export const RUNTIME_DB_CONNECTIONS = 4;
export const MIN_DB_CONNECTIONS = RUNTIME_DB_CONNECTIONS + 1;

function intEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const v = env[name];
  if (v === undefined || v === "") return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${v}"`);
  return n;
}

/** The ops port opens onto the whole network only where the ops token guards it. */
function opsHost(env: NodeJS.ProcessEnv): string {
  const host = env.WARROOM_OPS_HOST || "127.0.0.1";
  if (!isLoopback(host) && !env.WARROOM_OPS_TOKEN && env.WARROOM_OPS_PORT !== "off") {
    throw new Error(`WARROOM_OPS_HOST=${host} is not a loopback address: set WARROOM_OPS_TOKEN too (the ops pages then ask for it there)`);
  }
  return host;
}

function trustedProxies(v: string | undefined): TrustedProxies {
  try {
    return new TrustedProxies(v ?? "");
  } catch (err) {
    throw new Error(`WARROOM_TRUSTED_PROXIES must be comma-separated CIDRs or addresses: ${(err as Error).message}`);
  }
}

export function loadMeta(appRoot: string): AppMeta {
  const file = path.join(appRoot, "encore.gen", "meta.json");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new Error(`no app metadata at ${file}: run the parser first (npm run gen)`);
  }
  const meta = JSON.parse(text) as AppMeta;
  if (meta.version !== META_VERSION) throw new Error(`${file} has metadata version ${meta.version}, expected ${META_VERSION}: regenerate it`);
  return meta;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const appRoot = path.resolve(env.WARROOM_APP_ROOT ?? process.cwd());
  const httpHeadersTimeoutMs = intEnv(env, "WARROOM_HTTP_HEADERS_TIMEOUT_MS", 60_000);
  const httpRequestTimeoutMs = intEnv(env, "WARROOM_HTTP_REQUEST_TIMEOUT_MS", 300_000);
  // node:http refuses a headers timeout longer than the request timeout; say so in our terms.
  if (httpRequestTimeoutMs > 0 && httpHeadersTimeoutMs > httpRequestTimeoutMs) {
    throw new Error(`WARROOM_HTTP_HEADERS_TIMEOUT_MS (${httpHeadersTimeoutMs}) must not exceed WARROOM_HTTP_REQUEST_TIMEOUT_MS (${httpRequestTimeoutMs})`);
  }
  // Sized so that four processes fit in PostgreSQL's default max_connections (100) with room
  // for psql sessions and migrations (README, "Connections").
  const dbMaxConnections = intEnv(env, "WARROOM_DB_MAX_CONNECTIONS", 20);
  if (dbMaxConnections < MIN_DB_CONNECTIONS)
    throw new Error(`WARROOM_DB_MAX_CONNECTIONS must be at least ${MIN_DB_CONNECTIONS} (the runtime's own connections plus one), got ${dbMaxConnections}`);
  return {
    appRoot,
    meta: loadMeta(appRoot),
    port: intEnv(env, "PORT", 4000),
    host: env.WARROOM_HOST ?? "0.0.0.0",
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(appRoot, env.WARROOM_DATA_DIR ?? ".data"),
    dbPrefix: env.WARROOM_DB_PREFIX ?? "",
    poolSize: Math.max(1, intEnv(env, "WARROOM_DB_POOL_SIZE", DEFAULT_POOL_SIZE)),
    dbMaxConnections,
    dbIdleTimeoutMs: Math.max(1000, intEnv(env, "WARROOM_DB_IDLE_TIMEOUT_MS", DEFAULT_IDLE_TIMEOUT_MS)),
    dbAcquireTimeoutMs: Math.max(100, intEnv(env, "WARROOM_DB_ACQUIRE_TIMEOUT_MS", defaultAcquireTimeoutMs(env.NODE_ENV))),
    dbPrepare: env.WARROOM_DB_PREPARE !== "off",
    dbSessionUrl: env.WARROOM_DB_SESSION_URL || undefined,
    logLevel: env.WARROOM_LOG_LEVEL,
    cron: env.WARROOM_CRON !== "off",
    shutdownTimeoutMs: intEnv(env, "WARROOM_SHUTDOWN_TIMEOUT_MS", 30_000),
    opsToken: env.WARROOM_OPS_TOKEN || undefined,
    opsPort: env.WARROOM_OPS_PORT === "off" ? null : intEnv(env, "WARROOM_OPS_PORT", 9400),
    opsHost: opsHost(env),
    devDashboard: env.WARROOM_DEV_DASHBOARD !== "off",
    httpHeadersTimeoutMs,
    httpRequestTimeoutMs,
    objects: objectsConfig(env),
    redisUrl: env.REDIS_URL || undefined,
    trustedProxies: trustedProxies(env.WARROOM_TRUSTED_PROXIES),
  };
}
