// Cache clusters: the native library's CacheCluster (encore.dev/storage/cache, whose keyspaces map
// keys and values to strings and buffers and call the methods below). Each method is one Redis
// command, run with its expiry in one MULTI as Encore's runtime does, on Redis through ioredis
// (REDIS_URL) or, without Redis, on an in-process store that executes the same commands.
//
// TTL argument, as the SDK passes it: undefined = the command's own behaviour (SET clears a TTL,
// the rest keep it), -1 = keep the TTL, -2 = never expire (PERSIST), n >= 0 = expire in n ms.
import type { Redis } from "ioredis";
import { MemoryCache } from "./cache_memory.ts";

export type Arg = string | number | Buffer;
export type Cmd = [string, ...Arg[]];

export interface CacheBackend {
  /** Runs the commands atomically; the replies in order (bulk strings as Buffers), or throws the first error. */
  exec(cmds: Cmd[]): Promise<unknown[]>;
  close(): Promise<void>;
}

// ioredis is imported on first use: loading it with the runtime (before the app, which may load it
// too under a test runner's module system) would evaluate it twice in one process.
class RedisBackend implements CacheBackend {
  private client: Promise<Redis> | null = null;

  constructor(private readonly url: string) {}

  private redis(): Promise<Redis> {
    this.client ??= import("ioredis").then(({ Redis }) => new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 2 }));
    return this.client;
  }

  async exec(cmds: Cmd[]): Promise<unknown[]> {
    const redis = await this.redis();
    if (cmds.length === 1) return [await redis.callBuffer(...cmds[0])];
    let m = redis.multi();
    for (const c of cmds) m = m.callBuffer(...c);
    const res = (await m.exec()) ?? [];
    for (const [err] of res) if (err) throw err;
    return res.map(([, v]) => v);
  }

  async close(): Promise<void> {
    if (!this.client) return;
    const redis = await this.client;
    await redis.quit().catch(() => redis.disconnect());
  }
}

const KEEP_TTL = -1;
const PERSIST = -2;

function expCmds(keys: string[], ttl: number | null | undefined): Cmd[] {
  if (ttl === undefined || ttl === null || ttl === KEEP_TTL) return [];
  if (ttl === PERSIST) return keys.map((k) => ["PERSIST", k]);
  return keys.map((k) => ["PEXPIRE", k, Math.max(0, Math.floor(ttl))]);
}

function setTtlArgs(ttl: number | null | undefined): Arg[] {
  if (ttl === undefined || ttl === null || ttl === PERSIST) return [];
  if (ttl === KEEP_TTL) return ["KEEPTTL"];
  return ["PX", Math.max(1, Math.floor(ttl))];
}

const buf = (v: unknown): Buffer | null => (v === null || v === undefined ? null : Buffer.isBuffer(v) ? v : Buffer.from(String(v)));
const num = (v: unknown): number => (Buffer.isBuffer(v) ? Number(v.toString()) : Number(v));
const bufs = (v: unknown): Buffer[] => (Array.isArray(v) ? v.map((x) => buf(x)!) : []);

export class CacheCluster {
  constructor(
    readonly name: string,
    private readonly backend: CacheBackend,
    private readonly prefix: string,
  ) {}

  private k(key: string): string {
    return this.prefix + key;
  }

  private async one(cmd: Cmd): Promise<unknown> {
    return (await this.backend.exec([cmd]))[0];
  }

  /** The command, then the expiry of `keys`, in one transaction; the command's reply. */
  private async withTtl(cmd: Cmd, keys: string[], ttl: number | null | undefined): Promise<unknown> {
    return (await this.backend.exec([cmd, ...expCmds(keys, ttl)]))[0];
  }

  async get(key: string): Promise<Buffer | null> {
    return buf(await this.one(["GET", this.k(key)]));
  }
  async set(key: string, value: Buffer, ttlMs?: number | null): Promise<void> {
    await this.one(["SET", this.k(key), value, ...setTtlArgs(ttlMs)]);
  }
  async setIfNotExists(key: string, value: Buffer, ttlMs?: number | null): Promise<boolean> {
    return (await this.one(["SET", this.k(key), value, "NX", ...setTtlArgs(ttlMs)])) !== null;
  }
  async replace(key: string, value: Buffer, ttlMs?: number | null): Promise<boolean> {
    return (await this.one(["SET", this.k(key), value, "XX", ...setTtlArgs(ttlMs)])) !== null;
  }
  async getAndSet(key: string, value: Buffer, ttlMs?: number | null): Promise<Buffer | null> {
    return buf(await this.one(["SET", this.k(key), value, "GET", ...setTtlArgs(ttlMs)]));
  }
  async getAndDelete(key: string): Promise<Buffer | null> {
    return buf(await this.one(["GETDEL", this.k(key)]));
  }
  async delete(keys: string[]): Promise<number> {
    if (keys.length === 0) return 0;
    return num(await this.one(["DEL", ...keys.map((k) => this.k(k))]));
  }
  async mget(keys: string[]): Promise<Array<Buffer | null>> {
    if (keys.length === 0) return [];
    return ((await this.one(["MGET", ...keys.map((k) => this.k(k))])) as unknown[]).map(buf);
  }
  async mset(keys: string[], values: Buffer[], ttlMs?: number | null): Promise<void> {
    if (keys.length !== values.length) throw new Error("mset: as many values as keys are needed");
    if (keys.length === 0) return;
    const extra = setTtlArgs(ttlMs);
    // MSET cannot carry an expiry: with one, each key is its own SET (in one transaction).
    if (extra.length === 0) await this.one(["MSET", ...keys.flatMap((k, i) => [this.k(k), values[i]])]);
    else await this.backend.exec(keys.map((k, i): Cmd => ["SET", this.k(k), values[i], ...extra]));
  }
  async append(key: string, value: Buffer, ttlMs?: number | null): Promise<number> {
    return num(await this.withTtl(["APPEND", this.k(key), value], [this.k(key)], ttlMs));
  }
  async getRange(key: string, start: number, end: number): Promise<Buffer> {
    return buf(await this.one(["GETRANGE", this.k(key), start, end])) ?? Buffer.alloc(0);
  }
  async setRange(key: string, offset: number, value: Buffer, ttlMs?: number | null): Promise<number> {
    return num(await this.withTtl(["SETRANGE", this.k(key), offset, value], [this.k(key)], ttlMs));
  }
  async strlen(key: string): Promise<number> {
    return num(await this.one(["STRLEN", this.k(key)]));
  }
  async incrBy(key: string, delta: number, ttlMs?: number | null): Promise<number> {
    return num(await this.withTtl(["INCRBY", this.k(key), Math.trunc(delta)], [this.k(key)], ttlMs));
  }
  async decrBy(key: string, delta: number, ttlMs?: number | null): Promise<number> {
    return num(await this.withTtl(["DECRBY", this.k(key), Math.trunc(delta)], [this.k(key)], ttlMs));
  }
  async incrByFloat(key: string, delta: number, ttlMs?: number | null): Promise<number> {
    return num(await this.withTtl(["INCRBYFLOAT", this.k(key), String(delta)], [this.k(key)], ttlMs));
  }

  // ----- lists
  async lpush(key: string, values: Buffer[], ttlMs?: number | null): Promise<number> {
    return num(await this.withTtl(["LPUSH", this.k(key), ...values], [this.k(key)], ttlMs));
  }
  async rpush(key: string, values: Buffer[], ttlMs?: number | null): Promise<number> {
    return num(await this.withTtl(["RPUSH", this.k(key), ...values], [this.k(key)], ttlMs));
  }
  async lpop(key: string, ttlMs?: number | null): Promise<Buffer | null> {
    return buf(await this.withTtl(["LPOP", this.k(key)], [this.k(key)], ttlMs));
  }
  async rpop(key: string, ttlMs?: number | null): Promise<Buffer | null> {
    return buf(await this.withTtl(["RPOP", this.k(key)], [this.k(key)], ttlMs));
  }
  async lindex(key: string, index: number): Promise<Buffer | null> {
    return buf(await this.one(["LINDEX", this.k(key), index]));
  }
  async lrange(key: string, start: number, stop: number): Promise<Buffer[]> {
    return bufs(await this.one(["LRANGE", this.k(key), start, stop]));
  }
  async lrangeAll(key: string): Promise<Buffer[]> {
    return this.lrange(key, 0, -1);
  }
  async llen(key: string): Promise<number> {
    return num(await this.one(["LLEN", this.k(key)]));
  }
  async ltrim(key: string, start: number, stop: number, ttlMs?: number | null): Promise<void> {
    await this.withTtl(["LTRIM", this.k(key), start, stop], [this.k(key)], ttlMs);
  }
  async lset(key: string, index: number, value: Buffer, ttlMs?: number | null): Promise<void> {
    await this.withTtl(["LSET", this.k(key), index, value], [this.k(key)], ttlMs);
  }
  async linsertBefore(key: string, pivot: Buffer, value: Buffer, ttlMs?: number | null): Promise<number> {
    return num(await this.withTtl(["LINSERT", this.k(key), "BEFORE", pivot, value], [this.k(key)], ttlMs));
  }
  async linsertAfter(key: string, pivot: Buffer, value: Buffer, ttlMs?: number | null): Promise<number> {
    return num(await this.withTtl(["LINSERT", this.k(key), "AFTER", pivot, value], [this.k(key)], ttlMs));
  }
  async lremAll(key: string, value: Buffer, ttlMs?: number | null): Promise<number> {
    return num(await this.withTtl(["LREM", this.k(key), 0, value], [this.k(key)], ttlMs));
  }
  async lremFirst(key: string, count: number, value: Buffer, ttlMs?: number | null): Promise<number> {
    if (count === 0) return 0; // LREM 0 would remove every occurrence
    return num(await this.withTtl(["LREM", this.k(key), Math.abs(count), value], [this.k(key)], ttlMs));
  }
  async lremLast(key: string, count: number, value: Buffer, ttlMs?: number | null): Promise<number> {
    if (count === 0) return 0;
    return num(await this.withTtl(["LREM", this.k(key), -Math.abs(count), value], [this.k(key)], ttlMs));
  }
  async lmove(src: string, dst: string, srcDir: string, dstDir: string, ttlMs?: number | null): Promise<Buffer | null> {
    const dir = (d: string) => {
      const u = d.toUpperCase();
      if (u !== "LEFT" && u !== "RIGHT") throw new Error(`list position must be "left" or "right", got "${d}"`);
      return u;
    };
    return buf(await this.withTtl(["LMOVE", this.k(src), this.k(dst), dir(srcDir), dir(dstDir)], [this.k(src), this.k(dst)], ttlMs));
  }

  // ----- sets
  async sadd(key: string, members: Buffer[], ttlMs?: number | null): Promise<number> {
    return num(await this.withTtl(["SADD", this.k(key), ...members], [this.k(key)], ttlMs));
  }
  async srem(key: string, members: Buffer[], ttlMs?: number | null): Promise<number> {
    return num(await this.withTtl(["SREM", this.k(key), ...members], [this.k(key)], ttlMs));
  }
  async sismember(key: string, member: Buffer): Promise<boolean> {
    return num(await this.one(["SISMEMBER", this.k(key), member])) === 1;
  }
  async smembers(key: string): Promise<Buffer[]> {
    return bufs(await this.one(["SMEMBERS", this.k(key)]));
  }
  async scard(key: string): Promise<number> {
    return num(await this.one(["SCARD", this.k(key)]));
  }
  async spop(key: string, ttlMs?: number | null): Promise<Buffer | null> {
    return buf(await this.withTtl(["SPOP", this.k(key)], [this.k(key)], ttlMs));
  }
  async spopN(key: string, count: number, ttlMs?: number | null): Promise<Buffer[]> {
    return bufs(await this.withTtl(["SPOP", this.k(key), count], [this.k(key)], ttlMs));
  }
  async srandmember(key: string): Promise<Buffer | null> {
    return buf(await this.one(["SRANDMEMBER", this.k(key)]));
  }
  async srandmemberN(key: string, count: number): Promise<Buffer[]> {
    return bufs(await this.one(["SRANDMEMBER", this.k(key), count]));
  }
  async sdiff(keys: string[]): Promise<Buffer[]> {
    return bufs(await this.one(["SDIFF", ...keys.map((k) => this.k(k))]));
  }
  async sdiffstore(destination: string, keys: string[], ttlMs?: number | null): Promise<number> {
    return num(await this.withTtl(["SDIFFSTORE", this.k(destination), ...keys.map((k) => this.k(k))], [this.k(destination)], ttlMs));
  }
  async sinter(keys: string[]): Promise<Buffer[]> {
    return bufs(await this.one(["SINTER", ...keys.map((k) => this.k(k))]));
  }
  async sinterstore(destination: string, keys: string[], ttlMs?: number | null): Promise<number> {
    return num(await this.withTtl(["SINTERSTORE", this.k(destination), ...keys.map((k) => this.k(k))], [this.k(destination)], ttlMs));
  }
  async sunion(keys: string[]): Promise<Buffer[]> {
    return bufs(await this.one(["SUNION", ...keys.map((k) => this.k(k))]));
  }
  async sunionstore(destination: string, keys: string[], ttlMs?: number | null): Promise<number> {
    return num(await this.withTtl(["SUNIONSTORE", this.k(destination), ...keys.map((k) => this.k(k))], [this.k(destination)], ttlMs));
  }
  async smove(src: string, dst: string, member: Buffer, ttlMs?: number | null): Promise<boolean> {
    return num(await this.withTtl(["SMOVE", this.k(src), this.k(dst), member], [this.k(src), this.k(dst)], ttlMs)) === 1;
  }
}

/**
 * The app's cache clusters, all on one backend: Redis when REDIS_URL is set, else in-process.
 * Keys are namespaced by cluster (and WARROOM_DB_PREFIX, which keeps test runs apart), so the app's
 * clusters and anything else on the same Redis do not collide.
 */
export class CacheRuntime {
  private backend: CacheBackend | null = null;

  constructor(
    private readonly redisUrl: string | undefined,
    private readonly keyPrefix: string,
  ) {}

  private get shared(): CacheBackend {
    if (!this.backend) {
      // Lazy: connecting happens on the first command; a Redis that is down fails that command
      // (an error to the caller) instead of the start-up.
      this.backend = this.redisUrl ? new RedisBackend(this.redisUrl) : new MemoryCache();
    }
    return this.backend;
  }

  cluster(name: string): CacheCluster {
    return new CacheCluster(name, this.shared, `${this.keyPrefix}cache:${name}:`);
  }

  async close(): Promise<void> {
    await this.backend?.close();
    this.backend = null;
  }
}
