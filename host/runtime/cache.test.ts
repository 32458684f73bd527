// Cache clusters through the real SDK (encore.dev/storage/cache) on our runtime: the fixture app
// host/testdata/resources on Redis (REDIS_URL) and on the in-process store (no REDIS_URL); both must
// give the same answers.
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, test } from "vitest";
import { Redis } from "ioredis";
import { useFixture, type UsedFixture } from "../testing/use-fixture.ts";
import { MemoryCache } from "./cache_memory.ts";
import { CacheCluster } from "./cache.ts";

const APP = path.resolve(import.meta.dirname, "../testdata/resources");
const hasRedis = !!process.env.REDIS_URL;

const EXPECTED = {
  miss: undefined,
  get: "hello",
  setIfNotExists: "CacheKeyExists",
  replaceMissing: "CacheMiss",
  getAndSet: "hello!",
  append: 9,
  getRange: "world",
  setRange: 9,
  len: 9,
  afterRange: "worldWIDE",
  multiGet: ["one", undefined, "two"],
  getAndDelete: "one",
  deleted: 1,
  incr: 5,
  decr: 3,
  int: 40,
  float: 1.25,
  float2: 0.75,
  pushRight: 2,
  pushLeft: 3,
  items: ["a", "b", "c"],
  len2: 3,
  getIndex: "c",
  insertBefore: 4,
  insertAfter: 5,
  range: ["a2", "b"],
  removeFirst: 1,
  removeLast: 1,
  removeAll: 1,
  afterRemove: ["A", "a2", "b2", "c"],
  move: "A",
  popLeft: "a2",
  popRight: "c",
  trimmed: ["b2"],
  l2: ["A"],
  popEmpty: undefined,
  numbers: [1, 2.5],
  add: 3,
  addAgain: 0,
  contains: true,
  remove: 1,
  items2: ["x", "y"],
  size: 2,
  diff: ["x"],
  intersect: ["y"],
  union: ["w", "x", "y"],
  unionStore: 3,
  interStore: 1,
  diffStore: 1,
  moveMember: true,
  sample: true,
  sampleN: 2,
  popOne: "x",
  pop: ["w", "x", "y"],
  afterPop: 0,
  struct: { name: "ann", n: 2 },
};

function suite(label: string, f: UsedFixture) {
  describe(`cache keyspaces on ${label}`, () => {
    test("every keyspace operation answers as Encore's does", async () => {
      const run = randomBytes(4).toString("hex");
      const res = await fetch(`${f.server.url}/kv/scenario`, { method: "POST", body: JSON.stringify({ run }) });
      const body = (await res.json()) as { results: Record<string, unknown> };
      expect(res.status, JSON.stringify(body)).toBe(200);
      // JSON drops undefined: compare through it.
      expect(body.results).toEqual(JSON.parse(JSON.stringify(EXPECTED)));
    });

    test("expiry: default expiry, neverExpire and keepTTL", async () => {
      const run = randomBytes(4).toString("hex");
      expect((await fetch(`${f.server.url}/kv/scenario`, { method: "POST", body: JSON.stringify({ run }) })).status).toBe(200);
      const read = async () => (await (await fetch(`${f.server.url}/kv/read?run=${run}`)).json()) as Record<string, string | null>;
      expect(await read()).toEqual({ e1: "soon gone", e2: "forever", e3: "still short" });
      await expect.poll(read, { timeout: 3_000, interval: 100 }).toEqual({ e1: null, e2: "forever", e3: null });
    });
  });
}

if (hasRedis) {
  const onRedis = useFixture(APP);
  suite("Redis", onRedis);
  // The fixture's keys carry its database prefix: leave nothing behind on the shared Redis.
  afterAll(async () => {
    const redis = new Redis(process.env.REDIS_URL!);
    const keys = await redis.keys(`${onRedis.prefix}cache:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });
} else describe.skip("cache keyspaces on Redis (no REDIS_URL)", () => test("skipped", () => {}));
suite("the in-process store", useFixture(APP, { REDIS_URL: "" }));

describe("in-process store (unit)", () => {
  test("wrong types fail as Redis fails; keys are namespaced per cluster", async () => {
    const mem = new MemoryCache();
    const a = new CacheCluster("a", mem, "p:cache:a:");
    const b = new CacheCluster("b", mem, "p:cache:b:");
    await a.set("k", Buffer.from("1"));
    expect(await b.get("k")).toBeNull();
    await expect(a.lpush("k", [Buffer.from("x")])).rejects.toThrow(/WRONGTYPE/);
    await a.set("t", Buffer.from("abc"));
    await expect(a.incrBy("t", 1)).rejects.toThrow(/not an integer/);
    expect(await a.lremFirst("none", 0, Buffer.from("x"))).toBe(0);
    await a.set("ttl", Buffer.from("v"), 5);
    await new Promise((r) => setTimeout(r, 20));
    expect(await a.get("ttl")).toBeNull();
  });
});
