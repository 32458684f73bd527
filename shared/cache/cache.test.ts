import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import net from "node:net";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { createCache, type Cache, type CacheError, type CacheOptions } from "./index.ts";
import { redisForTests } from "../../host/testing/services.ts";

// The shared Redis is the one REDIS_URL names (its tests are skipped without it); the outage tests
// start a private redis-server when that program is installed.
const REDIS_URL = redisForTests("the cache's tests on the shared Redis") ?? "";
const HAS_REDIS_SERVER = spawnSync("redis-server", ["--version"]).status === 0;
if (!HAS_REDIS_SERVER) console.warn("skipped: the cache's outage tests (they start a private redis-server, which is not installed)");
// Every key this file writes to the shared Redis lives under this run's namespace.
const RUN = `cachetest-${process.pid}-${randomUUID().slice(0, 8)}`;

let opened: Cache[] = [];
afterEach(async () => {
  await Promise.all(opened.map((cache) => cache.close()));
  opened = [];
});

// gate is a promise the test resolves when it wants a load to finish.
function gate<T>(): { promise: Promise<T>; open: (value: T) => void; fail: (err: Error) => void } {
  let open!: (value: T) => void;
  let fail!: (err: Error) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

interface Backend {
  name: "memory" | "redis";
  // A fresh cache in its own namespace.
  make(opts?: CacheOptions): Cache;
  // Lets ms pass for TTLs: the memory backend's clock jumps; Redis's real clock runs while we poll.
  elapse(ms: number): void;
}

let testCount = 0;
function memoryBackend(): Backend {
  let clock = 1_000_000;
  return {
    name: "memory",
    make: (opts) => track(createCache({ now: () => clock, namespace: `t${++testCount}`, ...opts })),
    elapse: (ms) => void (clock += ms),
  };
}

function redisBackend(): Backend {
  return {
    name: "redis",
    make: (opts) => track(createCache({ redisUrl: REDIS_URL, namespace: `${RUN}:t${++testCount}`, ...opts })),
    elapse: () => undefined,
  };
}

function track(cache: Cache): Cache {
  opened.push(cache);
  return cache;
}

describe.each(REDIS_URL ? [memoryBackend(), redisBackend()] : [memoryBackend()])("$name backend", (backend) => {
  test("reports which backend it is", () => {
    expect(backend.make().backend).toBe(backend.name);
  });

  test("a stored value reads back until it is deleted", async () => {
    const cache = backend.make();
    await cache.set("campaign:1", { id: 1, name: "Harbour", tags: ["a", "b"], budget: null }, 60);
    expect(await cache.get("campaign:1")).toEqual({ id: 1, name: "Harbour", tags: ["a", "b"], budget: null });
    await cache.del("campaign:1");
    expect(await cache.get("campaign:1")).toBeUndefined();
  });

  test("a key never set reads as undefined", async () => {
    expect(await backend.make().get("nothing-here")).toBeUndefined();
  });

  test("falsy values are hits, not misses", async () => {
    const cache = backend.make();
    await cache.set("zero", 0, 60);
    await cache.set("empty", "", 60);
    await cache.set("null", null, 60);
    expect(await cache.get("zero")).toBe(0);
    expect(await cache.get("empty")).toBe("");
    expect(await cache.get("null")).toBeNull();
  });

  test("an entry expires after its TTL", async () => {
    const cache = backend.make();
    await cache.set("short", "lived", 0.2);
    await cache.set("long", "lived", 60);
    backend.elapse(200);
    await expect.poll(() => cache.get("short")).toBeUndefined();
    expect(await cache.get("long")).toBe("lived");
  });

  test("setting with a TTL of zero deletes the key", async () => {
    const cache = backend.make();
    await cache.set("k", 1, 60);
    await cache.set("k", 2, 0);
    expect(await cache.get("k")).toBeUndefined();
  });

  test("undefined is not stored", async () => {
    const cache = backend.make();
    await cache.set("k", "old", 60);
    await cache.set("k", undefined, 60);
    expect(await cache.get("k")).toBe("old");
  });

  test("Dates survive the round trip", async () => {
    const cache = backend.make();
    const at = new Date("2024-11-05T20:00:00.123Z");
    await cache.set("event", { at, history: [{ at }], label: { $date: "not a date" } }, 60);
    await cache.set("bare", at, 60);
    const event = await cache.get<{ at: Date; history: { at: Date }[]; label: unknown }>("event");
    expect(event!.at).toBeInstanceOf(Date);
    expect(event!.at.getTime()).toBe(at.getTime());
    expect(event!.history[0]!.at).toEqual(at);
    expect(event!.label).toEqual({ $date: "not a date" });
    expect(await cache.get("bare")).toEqual(at);
  });

  test("a stored value is a copy: mutating it after set changes nothing", async () => {
    const cache = backend.make();
    const value = { n: 1 };
    await cache.set("k", value, 60);
    value.n = 2;
    expect(await cache.get("k")).toEqual({ n: 1 });
  });

  test("del removes several keys at once", async () => {
    const cache = backend.make();
    await Promise.all(["a", "b", "c"].map((key) => cache.set(key, key, 60)));
    await cache.del("a", "b", "missing");
    await cache.del();
    expect(await cache.get("a")).toBeUndefined();
    expect(await cache.get("b")).toBeUndefined();
    expect(await cache.get("c")).toBe("c");
  });

  test("delPrefix removes exactly the keys that start with the prefix", async () => {
    const cache = backend.make();
    const family = ["list:*[1]?:a", "list:*[1]?:b", "list:*[1]?:c\\d"];
    const lookalikes = ["list:x[1]?:a", "list:*1?:a", "list:*[1]", "other:list:*[1]?:a"];
    for (const key of [...family, ...lookalikes]) await cache.set(key, key, 60);
    await cache.delPrefix("list:*[1]?:");
    for (const key of family) expect(await cache.get(key)).toBeUndefined();
    for (const key of lookalikes) expect(await cache.get(key)).toBe(key);
  });

  test("delPrefix stays inside the namespace", async () => {
    const mine = backend.make();
    const theirs = backend.make();
    await mine.set("k", "mine", 60);
    await theirs.set("k", "theirs", 60);
    await mine.delPrefix("");
    expect(await mine.get("k")).toBeUndefined();
    expect(await theirs.get("k")).toBe("theirs");
  });

  test("caches in different namespaces do not see each other's keys", async () => {
    const a = backend.make();
    const b = backend.make();
    await a.set("shared-name", "a", 60);
    expect(await b.get("shared-name")).toBeUndefined();
  });

  test("getOrLoad calls load once for concurrent misses", async () => {
    const cache = backend.make();
    const release = gate<{ id: number }>();
    let loads = 0;
    const load = () => {
      loads++;
      return release.promise;
    };
    const callers = Array.from({ length: 20 }, () => cache.getOrLoad("hot", 60, load));
    // Let every caller reach the backend and find the miss before the load finishes.
    await expect.poll(() => loads).toBe(1);
    release.open({ id: 7 });
    const results = await Promise.all(callers);
    expect(loads).toBe(1);
    expect(results).toEqual(Array(20).fill({ id: 7 }));
    expect(await cache.get("hot")).toEqual({ id: 7 });
  });

  test("getOrLoad serves later calls from the cache until the entry expires", async () => {
    const cache = backend.make();
    let loads = 0;
    const load = async () => ({ version: ++loads });
    expect(await cache.getOrLoad("k", 0.2, load)).toEqual({ version: 1 });
    expect(await cache.getOrLoad("k", 0.2, load)).toEqual({ version: 1 });
    backend.elapse(200);
    await expect.poll(() => cache.getOrLoad("k", 60, load)).toEqual({ version: 2 });
  });

  test("a failed load is not cached and every waiting caller sees the error", async () => {
    const cache = backend.make();
    const release = gate<string>();
    let loads = 0;
    const first = cache.getOrLoad("k", 60, () => {
      loads++;
      return release.promise;
    });
    const second = cache.getOrLoad("k", 60, async () => "never called");
    await expect.poll(() => loads).toBe(1);
    release.fail(new Error("database down"));
    await expect(first).rejects.toThrow("database down");
    await expect(second).rejects.toThrow("database down");
    expect(await cache.get("k")).toBeUndefined();
    expect(await cache.getOrLoad("k", 60, async () => "recovered")).toBe("recovered");
  });

  test("a value loaded across an invalidation is returned but not cached", async () => {
    const cache = backend.make();
    const release = gate<string>();
    let loads = 0;
    const pending = cache.getOrLoad("k", 60, () => {
      loads++;
      return release.promise;
    });
    await expect.poll(() => loads).toBe(1);
    await cache.del("k");
    // A caller after the invalidation must not join the stale load.
    const fresh = cache.getOrLoad("k", 60, async () => "fresh");
    release.open("stale");
    expect(await pending).toBe("stale");
    expect(await fresh).toBe("fresh");
    expect(await cache.get("k")).toBe("fresh");
  });

  test("delPrefix also detaches in-flight loads of the family", async () => {
    const cache = backend.make();
    const release = gate<string>();
    let loads = 0;
    const pending = cache.getOrLoad("list:1", 60, () => {
      loads++;
      return release.promise;
    });
    await expect.poll(() => loads).toBe(1);
    await cache.delPrefix("list:");
    release.open("stale");
    expect(await pending).toBe("stale");
    expect(await cache.get("list:1")).toBeUndefined();
  });

  test("incr counts from 1 and the counter restarts after its TTL", async () => {
    const cache = backend.make();
    expect(await cache.incr("rate", 0.2)).toBe(1);
    expect(await cache.incr("rate", 0.2)).toBe(2);
    expect(await cache.incr("rate", 0.2)).toBe(3);
    expect(await cache.get("rate")).toBe(3);
    backend.elapse(200);
    await expect.poll(() => cache.get("rate")).toBeUndefined();
    expect(await cache.incr("rate", 0.2)).toBe(1);
  });

  test("later increments do not extend the counter's window", async () => {
    const cache = backend.make();
    await cache.incr("window", 0.3);
    backend.elapse(150);
    await cache.incr("window", 0.3);
    backend.elapse(150);
    await expect.poll(() => cache.get("window")).toBeUndefined();
  });

  test("incr on a value that is not an integer reports and answers undefined", async () => {
    const errors: CacheError[] = [];
    const cache = backend.make({ onError: (err) => errors.push(err) });
    await cache.set("text", "hello", 60);
    expect(await cache.incr("text", 60)).toBeUndefined();
    expect(errors.map((err) => err.operation)).toEqual(["incr"]);
  });

  test("invalid TTLs are reported, never thrown", async () => {
    const errors: CacheError[] = [];
    const cache = backend.make({ onError: (err) => errors.push(err), errorIntervalMs: 0 });
    await cache.set("k", 1, Number.NaN);
    await cache.set("k", 1, Infinity);
    expect(await cache.incr("k", 0)).toBeUndefined();
    expect(await cache.get("k")).toBeUndefined();
    expect(errors.map((err) => err.cause)).toEqual([expect.any(RangeError), expect.any(RangeError), expect.any(RangeError)]);
  });

  test("values with no JSON form are reported, never thrown", async () => {
    const errors: CacheError[] = [];
    const cache = backend.make({ onError: (err) => errors.push(err) });
    await cache.set("k", { big: 1n }, 60);
    expect(await cache.get("k")).toBeUndefined();
    expect(errors).toHaveLength(1);
  });

  test("after close every operation is a miss or a no-op", async () => {
    const cache = backend.make();
    await cache.set("k", 1, 60);
    await cache.close();
    expect(await cache.get("k")).toBeUndefined();
    await cache.set("k", 2, 60);
    expect(await cache.incr("n", 60)).toBeUndefined();
    expect(await cache.getOrLoad("k", 60, async () => "loaded")).toBe("loaded");
    await cache.close();
  });
});

describe("memory backend", () => {
  test("the least recently used entry is evicted when the cache is full", async () => {
    const cache = track(createCache({ maxEntries: 3 }));
    await cache.set("a", 1, 60);
    await cache.set("b", 2, 60);
    await cache.set("c", 3, 60);
    await cache.get("a"); // a is now more recent than b
    await cache.set("d", 4, 60);
    expect(await cache.get("b")).toBeUndefined();
    expect(await cache.get("a")).toBe(1);
    expect(await cache.get("c")).toBe(3);
    expect(await cache.get("d")).toBe(4);
  });

  test("overwriting a key refreshes its recency and does not grow the cache", async () => {
    const cache = track(createCache({ maxEntries: 2 }));
    await cache.set("a", 1, 60);
    await cache.set("b", 2, 60);
    await cache.set("a", 10, 60);
    await cache.set("c", 3, 60);
    expect(await cache.get("a")).toBe(10);
    expect(await cache.get("b")).toBeUndefined();
  });

  test("an entry is gone at exactly its expiry time", async () => {
    let clock = 0;
    const cache = track(createCache({ now: () => clock }));
    await cache.set("k", "v", 1);
    clock = 999;
    expect(await cache.get("k")).toBe("v");
    clock = 1000;
    expect(await cache.get("k")).toBeUndefined();
  });

  test("without a namespace, delPrefix of everything is refused", async () => {
    const errors: CacheError[] = [];
    const cache = track(createCache({ onError: (err) => errors.push(err) }));
    await cache.set("k", 1, 60);
    await cache.delPrefix("");
    expect(await cache.get("k")).toBe(1);
    expect(errors[0]!.operation).toBe("delPrefix");
  });
});

describe.skipIf(!REDIS_URL)("redis backend", () => {
  let raw: Redis;
  beforeAll(() => {
    raw = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    // Remove whatever this run left behind, then prove nothing is left.
    let cursor = "0";
    do {
      const [next, keys] = await raw.scan(cursor, "MATCH", `${RUN}*`, "COUNT", 1000);
      if (keys.length > 0) await raw.unlink(...keys);
      cursor = next;
    } while (cursor !== "0");
    expect(await raw.scan("0", "MATCH", `${RUN}*`, "COUNT", 100_000)).toEqual(["0", []]);
    await raw.quit();
  });

  test("keys are stored under the namespace with a TTL", async () => {
    const namespace = `${RUN}:layout`;
    const cache = track(createCache({ redisUrl: REDIS_URL, namespace }));
    await cache.set("campaign:1", { at: new Date(0) }, 60);
    expect(await raw.get(`${namespace}:campaign:1`)).toBe('{"at":{"$date":"1970-01-01T00:00:00.000Z"}}');
    const ttl = await raw.pttl(`${namespace}:campaign:1`);
    expect(ttl).toBeGreaterThan(59_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  test("incr sets the TTL on the first increment only", async () => {
    const namespace = `${RUN}:counter`;
    const cache = track(createCache({ redisUrl: REDIS_URL, namespace }));
    await cache.incr("hits", 60);
    await raw.pexpire(`${namespace}:hits`, 30_000);
    await cache.incr("hits", 60);
    expect(await raw.pttl(`${namespace}:hits`)).toBeLessThanOrEqual(30_000);
  });

  test("incr gives a counter without expiry one", async () => {
    const namespace = `${RUN}:repair`;
    const cache = track(createCache({ redisUrl: REDIS_URL, namespace }));
    await raw.set(`${namespace}:hits`, "5");
    expect(await cache.incr("hits", 60)).toBe(6);
    expect(await raw.pttl(`${namespace}:hits`)).toBeGreaterThan(59_000);
  });

  test("delPrefix deletes a family larger than one SCAN batch", async () => {
    const namespace = `${RUN}:bulk`;
    const cache = track(createCache({ redisUrl: REDIS_URL, namespace }));
    const pipeline = raw.pipeline();
    for (let i = 0; i < 1_500; i++) pipeline.set(`${namespace}:feed:${i}`, String(i), "EX", 60);
    pipeline.set(`${namespace}:keep`, "1", "EX", 60);
    await pipeline.exec();
    await cache.delPrefix("feed:");
    const [, left] = await raw.scan("0", "MATCH", `${namespace}:*`, "COUNT", 100_000);
    expect(left).toEqual([`${namespace}:keep`]);
  });

  test("single-flight holds across the network round trip", async () => {
    const cache = track(createCache({ redisUrl: REDIS_URL, namespace: `${RUN}:flight` }));
    let loads = 0;
    const results = await Promise.all(Array.from({ length: 50 }, () => cache.getOrLoad("k", 60, async () => ++loads)));
    expect(loads).toBe(1);
    expect(new Set(results)).toEqual(new Set([1]));
  });
});

describe("when Redis is unavailable", () => {
  const TIMEOUT = 100;
  // Generous for a loaded CI machine, still far below a request that waits on a dead server.
  const SLACK = 150;

  async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
    const started = performance.now();
    const value = await run();
    return { value, ms: performance.now() - started };
  }

  test("a closed port answers misses within the operation timeout and nothing throws", async () => {
    const errors: CacheError[] = [];
    const cache = track(createCache({ redisUrl: "redis://127.0.0.1:1", namespace: RUN, operationTimeoutMs: TIMEOUT, onError: (err) => errors.push(err) }));
    expect(cache.backend).toBe("redis");
    const first = await timed(() => cache.get("k"));
    expect(first.value).toBeUndefined();
    expect(first.ms).toBeLessThan(TIMEOUT + SLACK);

    for (const op of [() => cache.set("k", 1, 60), () => cache.del("k"), () => cache.delPrefix("k"), () => cache.incr("k", 60), () => cache.get("k")]) {
      const { ms } = await timed(op);
      expect(ms).toBeLessThan(TIMEOUT + SLACK);
    }
    expect(await cache.incr("k", 60)).toBeUndefined();

    let loads = 0;
    const loaded = await timed(() => cache.getOrLoad("k", 60, async () => ({ from: "database", n: ++loads })));
    expect(loaded.value).toEqual({ from: "database", n: 1 });
    expect(loaded.ms).toBeLessThan(TIMEOUT + SLACK);
    // Nothing was cached, so the next request loads again.
    expect(await cache.getOrLoad("k", 60, async () => ++loads)).toBe(2);

    // Many failures, one report: the default interval is 10s.
    expect(errors).toHaveLength(1);
  });

  test("a server that accepts connections but never answers is abandoned after operationTimeoutMs", async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    silent.listen(0, "127.0.0.1");
    await once(silent, "listening");
    const { port } = silent.address() as net.AddressInfo;
    try {
      const errors: CacheError[] = [];
      const cache = track(createCache({ redisUrl: `redis://127.0.0.1:${port}`, operationTimeoutMs: TIMEOUT, onError: (err) => errors.push(err) }));
      const miss = await timed(() => cache.get("k"));
      expect(miss.value).toBeUndefined();
      expect(miss.ms).toBeGreaterThanOrEqual(TIMEOUT - 5);
      expect(miss.ms).toBeLessThan(TIMEOUT + SLACK);
      expect(errors[0]!.cause).toMatchObject({ name: "CacheTimeoutError", timeoutMs: TIMEOUT });

      const loaded = await timed(() => cache.getOrLoad("k", 60, async () => "from database"));
      expect(loaded.value).toBe("from database");
      // One timed-out get, then one timed-out set.
      expect(loaded.ms).toBeLessThan(2 * TIMEOUT + SLACK);
      await cache.close();
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});

describe.skipIf(!HAS_REDIS_SERVER)("a private Redis server that pauses, dies and comes back", () => {
  let port: number;
  let server: ChildProcess | undefined;

  async function freePort(): Promise<number> {
    const probe = net.createServer().listen(0, "127.0.0.1");
    await once(probe, "listening");
    const { port } = probe.address() as net.AddressInfo;
    probe.close();
    await once(probe, "close");
    return port;
  }

  async function startServer(): Promise<void> {
    const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    server = child;
    let output = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on("data", (chunk) => {
        output += chunk;
        if (output.includes("Ready to accept connections")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)));
    });
  }

  async function stopServer(): Promise<void> {
    const child = server;
    server = undefined;
    if (!child || child.exitCode !== null) return;
    child.kill("SIGKILL");
    await once(child, "exit");
  }

  beforeAll(async () => {
    port = await freePort();
    await startServer();
  });
  afterAll(stopServer);

  test("a command that Redis does not answer in time is a miss, and the cache keeps working", async () => {
    const errors: CacheError[] = [];
    const cache = track(
      createCache({ redisUrl: `redis://127.0.0.1:${port}`, namespace: "pause", operationTimeoutMs: 100, onError: (err) => errors.push(err) }),
    );
    await cache.set("k", "v", 60);
    expect(await cache.get("k")).toBe("v");

    const admin = new Redis(port, "127.0.0.1");
    try {
      await admin.call("CLIENT", "PAUSE", "400", "ALL");
      const started = performance.now();
      expect(await cache.get("k")).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(100 + 150);
      expect(errors[0]!.cause).toMatchObject({ name: "CacheTimeoutError" });
      await expect.poll(() => cache.get("k")).toBe("v");
    } finally {
      await admin.quit();
    }
  });

  test("a Redis that dies answers misses at once and is used again when it comes back", async () => {
    const cache = track(createCache({ redisUrl: `redis://127.0.0.1:${port}`, namespace: "outage", onError: () => undefined }));
    await cache.set("k", "before", 60);
    expect(await cache.get("k")).toBe("before");

    await stopServer();
    const started = performance.now();
    expect(await cache.get("k")).toBeUndefined();
    expect(await cache.getOrLoad("k", 60, async () => "database")).toBe("database");
    expect(performance.now() - started).toBeLessThan(200 + 150);

    await startServer();
    // Reconnection backs off (capped at 2s); poll until a write reads back.
    await expect
      .poll(
        async () => {
          await cache.set("k", "after", 60);
          return cache.get("k");
        },
        { message: "a write reads back", timeout: 10_000 },
      )
      .toBe("after");
  });
});
