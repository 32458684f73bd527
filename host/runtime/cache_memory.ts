// The in-process cache, used when no Redis is configured: executes the Redis commands the
// CacheCluster sends (cache.ts) with Redis' semantics for strings, lists and sets, expiries and
// WRONGTYPE errors. One process's memory: fine for development and a single instance, not shared.
import type { Arg, CacheBackend, Cmd } from "./cache.ts";

type Value = { t: "s"; v: Buffer } | { t: "l"; v: Buffer[] } | { t: "z"; v: Map<string, Buffer> };
interface Entry {
  val: Value;
  exp: number | null; // epoch ms
}

class CmdError extends Error {}
const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

const b = (a: Arg): Buffer => (Buffer.isBuffer(a) ? a : Buffer.from(String(a)));
const s = (a: Arg): string => (Buffer.isBuffer(a) ? a.toString() : String(a));
const n = (a: Arg): number => {
  const v = Number(s(a));
  if (!Number.isInteger(v)) throw new CmdError("ERR value is not an integer or out of range");
  return v;
};
const id = (x: Buffer): string => x.toString("latin1");

/** Redis' index ranges: negative from the end, clamped. */
function range(len: number, start: number, stop: number): [number, number] {
  if (start < 0) start = Math.max(0, len + start);
  if (stop < 0) stop = len + stop;
  stop = Math.min(stop, len - 1);
  return [start, stop];
}

function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

export class MemoryCache implements CacheBackend {
  private readonly data = new Map<string, Entry>();
  private sweeps = 0;

  async exec(cmds: Cmd[]): Promise<unknown[]> {
    // Single-threaded and synchronous: the commands run with nothing in between, as in MULTI.
    if (++this.sweeps % 1000 === 0) this.sweep();
    return cmds.map((c) => this.run(c));
  }

  async close(): Promise<void> {
    this.data.clear();
  }

  private sweep(): void {
    const now = Date.now();
    for (const [k, e] of this.data) if (e.exp !== null && e.exp <= now) this.data.delete(k);
  }

  private entry(key: string): Entry | undefined {
    const e = this.data.get(key);
    if (e && e.exp !== null && e.exp <= Date.now()) {
      this.data.delete(key);
      return undefined;
    }
    return e;
  }

  private str(key: string): Buffer | null {
    const e = this.entry(key);
    if (!e) return null;
    if (e.val.t !== "s") throw new CmdError(WRONGTYPE);
    return e.val.v;
  }

  /** The list at key (created empty when `create`), or null. */
  private list(key: string, create = false): Buffer[] | null {
    const e = this.entry(key);
    if (!e) {
      if (!create) return null;
      const v: Buffer[] = [];
      this.data.set(key, { val: { t: "l", v }, exp: null });
      return v;
    }
    if (e.val.t !== "l") throw new CmdError(WRONGTYPE);
    return e.val.v;
  }

  private set(key: string, create = false): Map<string, Buffer> | null {
    const e = this.entry(key);
    if (!e) {
      if (!create) return null;
      const v = new Map<string, Buffer>();
      this.data.set(key, { val: { t: "z", v }, exp: null });
      return v;
    }
    if (e.val.t !== "z") throw new CmdError(WRONGTYPE);
    return e.val.v;
  }

  /** Redis deletes a list or set once it is empty. */
  private tidy(key: string): void {
    const e = this.data.get(key);
    if (e && e.val.t !== "s" && (e.val.t === "l" ? e.val.v.length : e.val.v.size) === 0) this.data.delete(key);
  }

  private putStr(key: string, v: Buffer, keepTtl = true): void {
    const e = this.entry(key);
    this.data.set(key, { val: { t: "s", v }, exp: keepTtl && e ? e.exp : null });
  }

  private run(cmd: Cmd): unknown {
    const [name, ...a] = cmd;
    const key = a.length > 0 ? s(a[0]) : "";
    switch (name) {
      case "GET":
        return this.str(key);
      case "SET": {
        const opts = a.slice(2).map((x) => s(x).toUpperCase());
        const e = this.entry(key);
        const old = opts.includes("GET") ? this.str(key) : null;
        if (opts.includes("NX") && e) return null;
        if (opts.includes("XX") && !e) return null;
        const px = opts.indexOf("PX");
        const exp = px >= 0 ? Date.now() + Number(opts[px + 1]) : opts.includes("KEEPTTL") && e ? e.exp : null;
        this.data.set(key, { val: { t: "s", v: b(a[1]) }, exp });
        return opts.includes("GET") ? old : Buffer.from("OK");
      }
      case "GETDEL": {
        const v = this.str(key);
        this.data.delete(key);
        return v;
      }
      case "DEL":
        return a.reduce<number>((c, k) => c + (this.entry(s(k)) && this.data.delete(s(k)) ? 1 : 0), 0);
      case "MGET":
        return a.map((k) => {
          const e = this.entry(s(k));
          return e && e.val.t === "s" ? e.val.v : null;
        });
      case "MSET":
        for (let i = 0; i < a.length; i += 2) this.data.set(s(a[i]), { val: { t: "s", v: b(a[i + 1]) }, exp: null });
        return Buffer.from("OK");
      case "APPEND": {
        const v = Buffer.concat([this.str(key) ?? Buffer.alloc(0), b(a[1])]);
        this.putStr(key, v);
        return v.length;
      }
      case "GETRANGE": {
        const v = this.str(key) ?? Buffer.alloc(0);
        const [st, en] = range(v.length, n(a[1]), n(a[2]));
        return st > en ? Buffer.alloc(0) : v.subarray(st, en + 1);
      }
      case "SETRANGE": {
        const cur = this.str(key) ?? Buffer.alloc(0);
        const off = n(a[1]);
        const val = b(a[2]);
        const out = Buffer.alloc(Math.max(cur.length, off + val.length));
        cur.copy(out);
        val.copy(out, off);
        this.putStr(key, out);
        return out.length;
      }
      case "STRLEN":
        return (this.str(key) ?? Buffer.alloc(0)).length;
      case "INCRBY":
      case "DECRBY": {
        const cur = this.str(key);
        const base = cur === null ? 0 : Number(cur.toString());
        if (cur !== null && (!/^-?\d+$/.test(cur.toString()) || !Number.isSafeInteger(base))) throw new CmdError("ERR value is not an integer or out of range");
        const next = base + (name === "INCRBY" ? n(a[1]) : -n(a[1]));
        this.putStr(key, Buffer.from(String(next)));
        return next;
      }
      case "INCRBYFLOAT": {
        const cur = this.str(key);
        const base = cur === null ? 0 : Number(cur.toString());
        if (Number.isNaN(base)) throw new CmdError("ERR value is not a valid float");
        const next = base + Number(s(a[1]));
        this.putStr(key, Buffer.from(String(next)));
        return Buffer.from(String(next));
      }
      case "PEXPIRE": {
        const e = this.entry(key);
        if (!e) return 0;
        e.exp = Date.now() + n(a[1]);
        return 1;
      }
      case "PERSIST": {
        const e = this.entry(key);
        if (!e || e.exp === null) return 0;
        e.exp = null;
        return 1;
      }

      // lists
      case "LPUSH": {
        const l = this.list(key, true)!;
        for (const v of a.slice(1)) l.unshift(b(v));
        return l.length;
      }
      case "RPUSH": {
        const l = this.list(key, true)!;
        for (const v of a.slice(1)) l.push(b(v));
        return l.length;
      }
      case "LPOP":
      case "RPOP": {
        const l = this.list(key);
        if (!l || l.length === 0) return null;
        const v = name === "LPOP" ? l.shift()! : l.pop()!;
        this.tidy(key);
        return v;
      }
      case "LINDEX": {
        const l = this.list(key) ?? [];
        let i = n(a[1]);
        if (i < 0) i += l.length;
        return l[i] ?? null;
      }
      case "LRANGE": {
        const l = this.list(key) ?? [];
        const [st, en] = range(l.length, n(a[1]), n(a[2]));
        return st > en ? [] : l.slice(st, en + 1);
      }
      case "LLEN":
        return (this.list(key) ?? []).length;
      case "LTRIM": {
        const l = this.list(key);
        if (!l) return Buffer.from("OK");
        const [st, en] = range(l.length, n(a[1]), n(a[2]));
        const kept = st > en ? [] : l.slice(st, en + 1);
        l.splice(0, l.length, ...kept);
        this.tidy(key);
        return Buffer.from("OK");
      }
      case "LSET": {
        const l = this.list(key);
        if (!l) throw new CmdError("ERR no such key");
        let i = n(a[1]);
        if (i < 0) i += l.length;
        if (i < 0 || i >= l.length) throw new CmdError("ERR index out of range");
        l[i] = b(a[2]);
        return Buffer.from("OK");
      }
      case "LINSERT": {
        const l = this.list(key);
        if (!l) return 0;
        const i = l.findIndex((x) => x.equals(b(a[2])));
        if (i < 0) return -1;
        l.splice(s(a[1]).toUpperCase() === "BEFORE" ? i : i + 1, 0, b(a[3]));
        return l.length;
      }
      case "LREM": {
        const l = this.list(key);
        if (!l) return 0;
        const count = n(a[1]);
        const v = b(a[2]);
        let removed = 0;
        const limit = count === 0 ? Infinity : Math.abs(count);
        if (count >= 0) {
          for (let i = 0; i < l.length && removed < limit; ) {
            if (!l[i].equals(v)) i++;
            else {
              l.splice(i, 1);
              removed++;
            }
          }
        } else {
          for (let i = l.length - 1; i >= 0 && removed < limit; i--) {
            if (!l[i].equals(v)) continue;
            l.splice(i, 1);
            removed++;
          }
        }
        this.tidy(key);
        return removed;
      }
      case "LMOVE": {
        const src = this.list(key);
        const dstKey = s(a[1]);
        this.list(dstKey); // WRONGTYPE before any change
        if (!src || src.length === 0) return null;
        const v = s(a[2]) === "LEFT" ? src.shift()! : src.pop()!;
        this.tidy(key);
        const dst = this.list(dstKey, true)!;
        if (s(a[3]) === "LEFT") dst.unshift(v);
        else dst.push(v);
        return v;
      }

      // sets
      case "SADD": {
        const z = this.set(key, true)!;
        let added = 0;
        for (const m of a.slice(1)) {
          if (z.has(id(b(m)))) continue;
          z.set(id(b(m)), b(m));
          added++;
        }
        return added;
      }
      case "SREM": {
        const z = this.set(key);
        if (!z) return 0;
        let removed = 0;
        for (const m of a.slice(1)) if (z.delete(id(b(m)))) removed++;
        this.tidy(key);
        return removed;
      }
      case "SISMEMBER":
        return this.set(key)?.has(id(b(a[1]))) ? 1 : 0;
      case "SMEMBERS":
        return [...(this.set(key)?.values() ?? [])];
      case "SCARD":
        return this.set(key)?.size ?? 0;
      case "SPOP": {
        const z = this.set(key);
        const many = a.length > 1;
        if (!z) return many ? [] : null;
        const picked = shuffle([...z.keys()]).slice(0, many ? n(a[1]) : 1);
        const out = picked.map((k) => z.get(k)!);
        for (const k of picked) z.delete(k);
        this.tidy(key);
        return many ? out : (out[0] ?? null);
      }
      case "SRANDMEMBER": {
        const vals = [...(this.set(key)?.values() ?? [])];
        if (a.length === 1) return vals.length ? vals[Math.floor(Math.random() * vals.length)] : null;
        const count = n(a[1]);
        if (count >= 0) return shuffle(vals).slice(0, count);
        return vals.length ? Array.from({ length: -count }, () => vals[Math.floor(Math.random() * vals.length)]) : [];
      }
      case "SDIFF":
      case "SINTER":
      case "SUNION":
        return [...this.combine(name, a.map(s)).values()];
      case "SDIFFSTORE":
      case "SINTERSTORE":
      case "SUNIONSTORE": {
        const out = this.combine(name.replace("STORE", ""), a.slice(1).map(s));
        this.data.delete(key);
        if (out.size > 0) this.data.set(key, { val: { t: "z", v: out }, exp: null });
        return out.size;
      }
      case "SMOVE": {
        const src = this.set(key);
        const dstKey = s(a[1]);
        this.set(dstKey);
        const m = b(a[2]);
        if (!src?.delete(id(m))) return 0;
        this.tidy(key);
        this.set(dstKey, true)!.set(id(m), m);
        return 1;
      }
      default:
        throw new CmdError(`ERR unknown command '${name}'`);
    }
  }

  private combine(op: string, keys: string[]): Map<string, Buffer> {
    const sets = keys.map((k) => this.set(k) ?? new Map<string, Buffer>());
    const out = new Map(sets[0] ?? []);
    for (const z of sets.slice(1)) {
      if (op === "SUNION") for (const [k, v] of z) out.set(k, v);
      else for (const k of [...out.keys()]) if ((op === "SINTER") === !z.has(k)) out.delete(k);
    }
    return out;
  }
}
