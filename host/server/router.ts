// A segment trie for Encore paths: `/literal`, `/:param`, `/*wildcard` (rest of the path) and
// `/!fallback` (a catch-all consulted only when no other route matches). Static segments beat
// parameters, parameters beat wildcards, with backtracking when a branch dead-ends, so
// `/campaigns/insights` and `/campaigns/:id` coexist. Trailing slashes follow Encore
// (runtimes/core/src/api/paths.rs): `/x/` reaches `/x` unless `/x/` is itself a route.

export type FindResult<T> = { value: T; params: Record<string, string> } | { notFound: true } | { methodNotAllowed: true; allowed: string[] };

type SegmentKind = "literal" | "param" | "wildcard" | "fallback";

interface Entry<T> {
  value: T;
  path: string;
  /** Names of the captured segments, in path order. */
  names: string[];
  /** The last segment is a wildcard/fallback or an empty literal: no trailing-slash alias. */
  noSlashAlias: boolean;
}

class Node<T> {
  statics: Map<string, Node<T>> | null = null;
  param: Node<T> | null = null;
  /** Routes ending in a wildcard below this node, by method. */
  rest: Map<string, Entry<T>> | null = null;
  /** Routes ending at this node, by method ("*" = any). */
  routes: Map<string, Entry<T>> | null = null;
}

const ANY = "*";

interface Search<T> {
  method: string;
  segs: string[];
  captured: string[];
  allowed: Set<string>;
  entry: Entry<T> | null;
}

export class Router<T> {
  private readonly main = new Node<T>();
  private readonly fallback = new Node<T>();

  /** Registers `value` for the methods at `path`. Throws if a method is already taken there. */
  add(methods: string[], path: string, value: T): void {
    if (!path.startsWith("/")) throw new Error(`route path ${JSON.stringify(path)} must start with "/"`);
    if (methods.length === 0) throw new Error(`route ${path} has no methods`);
    const raw = path.slice(1).split("/");
    const names: string[] = [];
    const kinds: SegmentKind[] = raw.map((seg, i) => {
      const kind: SegmentKind = seg.startsWith(":") ? "param" : seg.startsWith("*") ? "wildcard" : seg.startsWith("!") ? "fallback" : "literal";
      if ((kind === "wildcard" || kind === "fallback") && i !== raw.length - 1) {
        throw new Error(`route ${path}: a ${kind} segment must be the last one`);
      }
      if (kind !== "literal" && seg.length === 1) throw new Error(`route ${path}: segment ${JSON.stringify(seg)} needs a name`);
      return kind;
    });
    const lastKind = kinds[kinds.length - 1];
    let node = lastKind === "fallback" ? this.fallback : this.main;
    for (let i = 0; i < raw.length; i++) {
      const seg = raw[i];
      const kind = kinds[i];
      if (kind === "literal") {
        node.statics ??= new Map();
        let next = node.statics.get(seg);
        if (next === undefined) node.statics.set(seg, (next = new Node<T>()));
        node = next;
      } else if (kind === "param") {
        names.push(seg.slice(1));
        node = node.param ??= new Node<T>();
      } else {
        names.push(seg.slice(1));
      }
    }
    const rest = lastKind === "wildcard" || lastKind === "fallback";
    const table = rest ? (node.rest ??= new Map()) : (node.routes ??= new Map());
    const entry: Entry<T> = { value, path, names, noSlashAlias: rest || raw[raw.length - 1] === "" };
    const wanted = methods.map((m) => (m === ANY ? ANY : m.toUpperCase()));
    for (const m of wanted) {
      const clash = m === ANY ? table.values().next().value : (table.get(m) ?? table.get(ANY));
      if (clash !== undefined) throw new Error(`route conflict: ${m} ${path} overlaps ${clash.path}`);
    }
    for (const m of wanted) table.set(m, entry);
  }

  /** Finds the route for a request path (without the query string). */
  find(method: string, path: string): FindResult<T> {
    const segs = path.length > 0 && path.charCodeAt(0) === 0x2f ? path.slice(1).split("/") : path.split("/");
    const s: Search<T> = { method, segs, captured: [], allowed: new Set(), entry: null };
    if (search(this.main, s, 0) || search(this.fallback, s, 0)) return result(s);
    // Encore serves `/x/` from `/x` when `/x/` itself is no route at all.
    if (s.allowed.size === 0 && segs.length > 1 && segs[segs.length - 1] === "") {
      const t: Search<T> = { method, segs: segs.slice(0, -1), captured: [], allowed: new Set(), entry: null };
      const slashOk = (e: Entry<T>) => !e.noSlashAlias;
      if (search(this.main, t, 0, slashOk) || search(this.fallback, t, 0, slashOk)) return result(t);
      for (const m of t.allowed) s.allowed.add(m);
    }
    if (s.allowed.size > 0) return { methodNotAllowed: true, allowed: [...s.allowed].sort() };
    return { notFound: true };
  }
}

function result<T>(s: Search<T>): FindResult<T> {
  const e = s.entry!;
  const params: Record<string, string> = {};
  for (let i = 0; i < e.names.length; i++) {
    const raw = s.captured[i];
    let value = raw;
    if (raw.includes("%")) {
      try {
        value = decodeURIComponent(raw);
      } catch {
        return { notFound: true }; // malformed escape: no such resource
      }
    }
    params[e.names[i]] = value;
  }
  return { value: e.value, params };
}

function pick<T>(table: Map<string, Entry<T>>, s: Search<T>, accept?: (e: Entry<T>) => boolean): Entry<T> | null {
  const e = table.get(s.method) ?? table.get(ANY);
  if (e !== undefined && (accept === undefined || accept(e))) return e;
  if (e === undefined) for (const [m, other] of table) if (accept === undefined || accept(other)) s.allowed.add(m);
  return null;
}

/** Depth-first: static child, then parameter, then wildcard; the method is part of the match. */
function search<T>(node: Node<T>, s: Search<T>, i: number, accept?: (e: Entry<T>) => boolean): boolean {
  const segs = s.segs;
  if (i === segs.length) {
    if (node.routes === null) return false;
    const e = pick(node.routes, s, accept);
    if (e === null) return false;
    s.entry = e;
    return true;
  }
  const seg = segs[i];
  if (node.statics !== null) {
    const next = node.statics.get(seg);
    if (next !== undefined && search(next, s, i + 1, accept)) return true;
  }
  if (node.param !== null && seg !== "") {
    s.captured.push(seg);
    if (search(node.param, s, i + 1, accept)) return true;
    s.captured.pop();
  }
  if (node.rest !== null) {
    // A wildcard takes the rest, even when empty (`/files/` for `/files/*path`), but not `/files`.
    const e = pick(node.rest, s, accept);
    if (e !== null) {
      s.captured.push(i === segs.length - 1 ? seg : segs.slice(i).join("/"));
      s.entry = e;
      return true;
    }
  }
  return false;
}
