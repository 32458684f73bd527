import { api } from "encore.dev/api";
import {
  CacheCluster,
  CacheMiss,
  CacheKeyExists,
  expireIn,
  FloatKeyspace,
  IntKeyspace,
  keepTTL,
  neverExpire,
  NumberListKeyspace,
  StringKeyspace,
  StringListKeyspace,
  StringSetKeyspace,
  StructKeyspace,
} from "encore.dev/storage/cache";

const cluster = new CacheCluster("main", { evictionPolicy: "allkeys-lru" });

const strings = new StringKeyspace<{ id: string }>(cluster, { keyPattern: "str/:id" });
const ints = new IntKeyspace<string>(cluster, { keyPattern: "int/:key" });
const floats = new FloatKeyspace<string>(cluster, { keyPattern: "float/:key" });
const lists = new StringListKeyspace<string>(cluster, { keyPattern: "list/:key" });
const numLists = new NumberListKeyspace<string>(cluster, { keyPattern: "nlist/:key" });
const sets = new StringSetKeyspace<string>(cluster, { keyPattern: "set/:key" });
const structs = new StructKeyspace<{ id: string }, { name: string; n: number }>(cluster, { keyPattern: "obj/:id", defaultExpiry: expireIn(60_000) });
const shortLived = new StringKeyspace<string>(cluster, { keyPattern: "short/:key", defaultExpiry: expireIn(200) });

async function caught(f: () => Promise<unknown>): Promise<string> {
  try {
    await f();
    return "no error";
  } catch (err) {
    return err instanceof CacheMiss ? "CacheMiss" : err instanceof CacheKeyExists ? "CacheKeyExists" : (err as Error).message;
  }
}

const sorted = (xs: string[]) => [...xs].sort();

// Every keyspace operation, in a fixed script; `run` makes the keys unique per test run.
export const scenario = api(
  { expose: true, method: "POST", path: "/kv/scenario" },
  async ({ run }: { run: string }): Promise<{ results: Record<string, any> }> => {
    const r: Record<string, any> = {};
    const k = (s: string) => `${run}-${s}`;
    // strings
    r.miss = await strings.get({ id: k("a") });
    await strings.set({ id: k("a") }, "hello");
    r.get = await strings.get({ id: k("a") });
    r.setIfNotExists = await caught(() => strings.setIfNotExists({ id: k("a") }, "x"));
    r.replaceMissing = await caught(() => strings.replace({ id: k("nope") }, "x"));
    await strings.replace({ id: k("a") }, "hello!");
    r.getAndSet = await strings.getAndSet({ id: k("a") }, "world");
    r.append = await strings.append({ id: k("a") }, "wide");
    r.getRange = await strings.getRange({ id: k("a") }, 0, 4);
    r.setRange = await strings.setRange({ id: k("a") }, 5, "WIDE");
    r.len = await strings.len({ id: k("a") });
    r.afterRange = await strings.get({ id: k("a") });
    await strings.multiSet([
      [{ id: k("m1") }, "one"],
      [{ id: k("m2") }, "two"],
    ]);
    r.multiGet = await strings.multiGet({ id: k("m1") }, { id: k("nope") }, { id: k("m2") });
    r.getAndDelete = await strings.getAndDelete({ id: k("m1") });
    r.deleted = await strings.delete({ id: k("m2") }, { id: k("nope") });
    // ints and floats
    r.incr = await ints.increment(k("i"), 5);
    r.decr = await ints.decrement(k("i"), 2);
    await ints.set(k("i2"), 40);
    r.int = await ints.get(k("i2"));
    r.float = await floats.increment(k("f"), 1.25);
    r.float2 = await floats.decrement(k("f"), 0.5);
    // lists
    r.pushRight = await lists.pushRight(k("l"), "b", "c");
    r.pushLeft = await lists.pushLeft(k("l"), "a");
    r.items = await lists.items(k("l"));
    r.len2 = await lists.len(k("l"));
    r.getIndex = await lists.get(k("l"), -1);
    r.insertBefore = await lists.insertBefore(k("l"), "c", "b2");
    r.insertAfter = await lists.insertAfter(k("l"), "a", "a2");
    await lists.set(k("l"), 0, "A");
    r.range = await lists.getRange(k("l"), 1, 2);
    await lists.pushRight(k("l"), "b", "b");
    r.removeFirst = await lists.removeFirst(k("l"), 1, "b");
    r.removeLast = await lists.removeLast(k("l"), 1, "b");
    r.removeAll = await lists.removeAll(k("l"), "b");
    r.afterRemove = await lists.items(k("l"));
    r.move = await lists.move(k("l"), k("l2"), "left", "right");
    r.popLeft = await lists.popLeft(k("l"));
    r.popRight = await lists.popRight(k("l"));
    await lists.trim(k("l"), 0, 0);
    r.trimmed = await lists.items(k("l"));
    r.l2 = await lists.items(k("l2"));
    r.popEmpty = await lists.popLeft(k("empty"));
    await numLists.pushRight(k("n"), 1, 2.5);
    r.numbers = await numLists.items(k("n"));
    // sets
    r.add = await sets.add(k("s"), "x", "y", "z");
    r.addAgain = await sets.add(k("s"), "x");
    r.contains = await sets.contains(k("s"), "y");
    r.remove = await sets.remove(k("s"), "z");
    r.items2 = sorted(await sets.items(k("s")));
    r.size = await sets.len(k("s"));
    await sets.add(k("t"), "y", "w");
    r.diff = sorted(await sets.diff(k("s"), k("t")));
    r.intersect = sorted(await sets.intersect(k("s"), k("t")));
    r.union = sorted(await sets.union(k("s"), k("t")));
    r.unionStore = await sets.unionStore(k("u"), k("s"), k("t"));
    r.interStore = await sets.intersectStore(k("i3"), k("s"), k("t"));
    r.diffStore = await sets.diffStore(k("d"), k("s"), k("t"));
    r.moveMember = await sets.move(k("s"), k("t"), "x");
    r.sample = (await sets.sampleOne(k("t"))) !== undefined;
    r.sampleN = (await sets.sample(k("u"), 2)).length;
    r.popOne = (await sets.popOne(k("d"))) ?? null;
    r.pop = sorted(await sets.pop(k("u"), 10));
    r.afterPop = await sets.len(k("u"));
    // structs with the keyspace's default expiry
    await structs.set({ id: k("o") }, { name: "ann", n: 2 });
    r.struct = await structs.get({ id: k("o") });
    // expiry: short-lived keys, kept TTL, never expire
    await shortLived.set(k("e1"), "soon gone");
    await shortLived.set(k("e2"), "kept");
    await shortLived.with({ expiry: neverExpire }).set(k("e2"), "forever");
    await shortLived.set(k("e3"), "ttl kept");
    await shortLived.with({ expiry: keepTTL }).set(k("e3"), "still short");
    return { results: r };
  },
);

export const read = api(
  { expose: true, method: "GET", path: "/kv/read" },
  async ({ run }: { run: string }): Promise<{ e1: string | null; e2: string | null; e3: string | null }> => {
    const g = async (s: string) => (await shortLived.get(`${run}-${s}`)) ?? null;
    return { e1: await g("e1"), e2: await g("e2"), e3: await g("e3") };
  },
);
