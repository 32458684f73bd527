// Object storage: the native library's Bucket, BucketObject, ListIterator (encore.dev/storage/objects).
// Two stores behind one interface: files under the data directory (the default; signed URLs are
// HMAC-signed links served by our HTTP server, see ObjectRoutes) and S3-compatible storage through
// the AWS SDK when WARROOM_S3_ENDPOINT or WARROOM_S3_REGION is set. Errors reach the SDK as
// TypedObjectError values (its unwrapErr turns them into ObjectNotFound / PreconditionFailed / ...).
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type http from "node:http";
import type { BucketMeta } from "../meta.ts";
import type { RuntimeConfig } from "./config.ts";
import { S3Store } from "./objects_s3.ts";

export enum ObjectErrorKind {
  NotFound = 0,
  PreconditionFailed = 1,
  InvalidArgument = 2,
  Other = 3,
  Internal = 4,
}

export class TypedObjectError {
  constructor(
    readonly kind: ObjectErrorKind,
    readonly message: string,
  ) {}
}

export class ObjectAttrs {
  constructor(
    readonly name: string,
    readonly size: number,
    readonly etag: string,
    readonly contentType?: string,
    readonly version?: string,
  ) {}
}

export class ListEntry {
  constructor(
    readonly name: string,
    readonly size: number,
    readonly etag: string,
  ) {}
}

/** What each store does; a missing object is reported as null (or a NotFound error for get). */
export interface ObjectStore {
  put(key: string, data: Buffer, opts: { contentType?: string; notExists?: boolean }): Promise<ObjectAttrs>;
  get(key: string, version?: string): Promise<Buffer | null>;
  head(key: string, version?: string): Promise<ObjectAttrs | null>;
  /** One page of keys in lexical order, after `after`. */
  list(prefix: string, after: string | null, max: number): Promise<{ entries: ListEntry[]; next: string | null }>;
  delete(key: string, version?: string): Promise<void>;
  signedUrl(key: string, op: "get" | "put", ttlSec: number): Promise<string>;
  publicUrl(key: string): string | null;
}

export class PreconditionFailed extends Error {}

const DEFAULT_URL_TTL_S = 3600;
const MAX_URL_TTL_S = 7 * 24 * 3600; // S3's limit for presigned URLs

function errorOf(err: unknown): TypedObjectError {
  if (err instanceof TypedObjectError) return err;
  if (err instanceof PreconditionFailed) return new TypedObjectError(ObjectErrorKind.PreconditionFailed, err.message || "precondition failed");
  return new TypedObjectError(ObjectErrorKind.Other, err instanceof Error ? err.message : String(err));
}

function checkName(name: string): TypedObjectError | null {
  if (typeof name !== "string" || name.length === 0) return new TypedObjectError(ObjectErrorKind.InvalidArgument, "object name must not be empty");
  if (Buffer.byteLength(name) > 1024) return new TypedObjectError(ObjectErrorKind.InvalidArgument, "object name longer than 1024 bytes");
  return null;
}

function ttlOf(opts: { ttl?: number } | null | undefined): number | TypedObjectError {
  const ttl = opts?.ttl ?? DEFAULT_URL_TTL_S;
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_URL_TTL_S) {
    return new TypedObjectError(ObjectErrorKind.InvalidArgument, `ttl must be a whole number of seconds between 1 and ${MAX_URL_TTL_S}`);
  }
  return ttl;
}

export class Bucket {
  constructor(
    readonly name: string,
    private readonly store: ObjectStore,
    private readonly versioned = false,
  ) {}

  object(name: string): BucketObject {
    return new BucketObject(name, this.store, this.versioned);
  }

  async list(options?: { prefix?: string; limit?: number } | null): Promise<ListIterator | TypedObjectError> {
    const limit = options?.limit;
    if (limit !== undefined && limit !== null && (!Number.isInteger(limit) || limit < 0)) {
      return new TypedObjectError(ObjectErrorKind.InvalidArgument, "limit must be a non-negative integer");
    }
    return new ListIterator(this.store, options?.prefix ?? "", limit ?? Infinity);
  }
}

export class ListIterator {
  private page: ListEntry[] = [];
  private after: string | null = null;
  private exhausted = false;
  private given = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly prefix: string,
    private readonly limit: number,
  ) {}

  async next(): Promise<ListEntry | null> {
    if (this.given >= this.limit) return null;
    if (this.page.length === 0 && !this.exhausted) {
      const { entries, next } = await this.store.list(this.prefix, this.after, Math.min(1000, this.limit - this.given));
      this.page = entries;
      this.after = next;
      this.exhausted = next === null;
    }
    const e = this.page.shift();
    if (!e) return null;
    this.given++;
    return e;
  }

  markDone(): void {
    this.page = [];
    this.exhausted = true;
  }
}

export class BucketObject {
  constructor(
    readonly name: string,
    private readonly store: ObjectStore,
    private readonly versioned = false,
  ) {}

  /** The SDK's `version` option: "if bucket versioning is not enabled, this option is ignored". */
  private version(options: { version?: string } | null | undefined): string | undefined {
    return this.versioned ? options?.version || undefined : undefined;
  }

  private async run<T>(fn: () => Promise<T | TypedObjectError>): Promise<T | TypedObjectError> {
    const bad = checkName(this.name);
    if (bad) return bad;
    try {
      return await fn();
    } catch (err) {
      return errorOf(err);
    }
  }

  private notFound(): TypedObjectError {
    return new TypedObjectError(ObjectErrorKind.NotFound, `object "${this.name}" not found`);
  }

  attrs(options?: { version?: string } | null): Promise<ObjectAttrs | TypedObjectError> {
    return this.run(async () => (await this.store.head(this.name, this.version(options))) ?? this.notFound());
  }

  exists(options?: { version?: string } | null): Promise<boolean | TypedObjectError> {
    return this.run(async () => (await this.store.head(this.name, this.version(options))) !== null);
  }

  upload(data: Buffer, opts?: { contentType?: string; preconditions?: { notExists?: boolean } } | null): Promise<ObjectAttrs | TypedObjectError> {
    return this.run(() => this.store.put(this.name, data, { contentType: opts?.contentType, notExists: opts?.preconditions?.notExists }));
  }

  signedUploadUrl(options?: { ttl?: number } | null): Promise<{ url: string } | TypedObjectError> {
    return this.run(async () => {
      const ttl = ttlOf(options);
      return typeof ttl === "number" ? { url: await this.store.signedUrl(this.name, "put", ttl) } : ttl;
    });
  }

  signedDownloadUrl(options?: { ttl?: number } | null): Promise<{ url: string } | TypedObjectError> {
    return this.run(async () => {
      const ttl = ttlOf(options);
      return typeof ttl === "number" ? { url: await this.store.signedUrl(this.name, "get", ttl) } : ttl;
    });
  }

  downloadAll(options?: { version?: string } | null): Promise<Buffer | TypedObjectError> {
    return this.run(async () => (await this.store.get(this.name, this.version(options))) ?? this.notFound());
  }

  async delete(options?: { version?: string } | null): Promise<TypedObjectError | null> {
    const r = await this.run(async () => {
      await this.store.delete(this.name, this.version(options));
      return null;
    });
    return r;
  }

  publicUrl(): string {
    const url = this.store.publicUrl(this.name);
    if (url === null) throw new Error(`bucket is not public: declare it with { public: true } to use publicUrl ("${this.name}")`);
    return url;
  }
}

/** Object names in URLs: each segment percent-encoded, slashes kept. */
export function encodeKey(key: string): string {
  return key.split("/").map(encodeURIComponent).join("/");
}

// ----- the local store: files under the data directory

interface LocalMeta {
  name: string;
  size: number;
  etag: string;
  contentType?: string;
}

/**
 * One folder per bucket; each object is two files named by the SHA-256 of its name (any name is a
 * safe file name that way, "../x" included): the bytes and a JSON record of its attributes. Writes
 * go to a temporary file renamed into place, so a reader sees the old object or the new one.
 */
export class LocalStore implements ObjectStore {
  constructor(
    private readonly dir: string,
    private readonly bucket: string,
    private readonly signer: UrlSigner,
    private readonly isPublic: boolean,
  ) {}

  private file(key: string): string {
    return path.join(this.dir, createHash("sha256").update(key).digest("hex"));
  }

  async put(key: string, data: Buffer, opts: { contentType?: string; notExists?: boolean }): Promise<ObjectAttrs> {
    await fs.mkdir(this.dir, { recursive: true });
    const f = this.file(key);
    const meta: LocalMeta = { name: key, size: data.length, etag: createHash("md5").update(data).digest("hex"), contentType: opts.contentType };
    const tmp = `${f}.${randomBytes(6).toString("hex")}.tmp`;
    if (opts.notExists) {
      // Claim the name atomically: creating the record fails if the object exists.
      try {
        await fs.writeFile(`${f}.json`, JSON.stringify(meta), { flag: "wx" });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EEXIST") throw new PreconditionFailed(`object "${key}" already exists`);
        throw err;
      }
    }
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, `${f}.bin`);
    await fs.writeFile(tmp, JSON.stringify(meta));
    await fs.rename(tmp, `${f}.json`);
    return new ObjectAttrs(key, meta.size, meta.etag, meta.contentType);
  }

  private versionless(version?: string): void {
    if (version) throw new TypedObjectError(ObjectErrorKind.InvalidArgument, "object versions are not kept by the local store");
  }

  async get(key: string, version?: string): Promise<Buffer | null> {
    this.versionless(version);
    try {
      return await fs.readFile(`${this.file(key)}.bin`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
  }

  async head(key: string, version?: string): Promise<ObjectAttrs | null> {
    this.versionless(version);
    const m = await readMeta(`${this.file(key)}.json`);
    return m && new ObjectAttrs(m.name, m.size, m.etag, m.contentType);
  }

  async list(prefix: string, after: string | null, max: number): Promise<{ entries: ListEntry[]; next: string | null }> {
    let names: string[];
    try {
      names = (await fs.readdir(this.dir)).filter((n) => n.endsWith(".json"));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], next: null };
      throw err;
    }
    const all: LocalMeta[] = [];
    for (const n of names) {
      const m = await readMeta(path.join(this.dir, n));
      if (m?.name.startsWith(prefix) && (after === null || m.name > after)) all.push(m);
    }
    all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const page = all.slice(0, max);
    return { entries: page.map((m) => new ListEntry(m.name, m.size, m.etag)), next: all.length > max ? page[page.length - 1].name : null };
  }

  async delete(key: string, version?: string): Promise<void> {
    this.versionless(version);
    const f = this.file(key);
    // The record first: once it is gone the object is gone for every reader.
    await fs.rm(`${f}.json`, { force: true });
    await fs.rm(`${f}.bin`, { force: true });
  }

  async signedUrl(key: string, op: "get" | "put", ttlSec: number): Promise<string> {
    return this.signer.sign(this.bucket, key, op, ttlSec);
  }

  publicUrl(key: string): string | null {
    return this.isPublic ? `${this.signer.baseUrl()}${OBJECTS_PATH}${this.bucket}/${encodeKey(key)}` : null;
  }
}

async function readMeta(file: string): Promise<LocalMeta | null> {
  try {
    return JSON.parse(await fs.readFile(file, "utf8")) as LocalMeta;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || err instanceof SyntaxError) return null; // gone, or being claimed right now
    throw err;
  }
}

// ----- signed links to the local store, served by our HTTP server

export const OBJECTS_PATH = "/__objects/";

export class UrlSigner {
  constructor(
    private readonly key: Buffer,
    readonly baseUrl: () => string,
    private readonly now: () => number = Date.now,
  ) {}

  private mac(bucket: string, key: string, op: string, expires: number): Buffer {
    return createHmac("sha256", this.key).update(`${op}\n${bucket}\n${key}\n${expires}`).digest();
  }

  sign(bucket: string, key: string, op: "get" | "put", ttlSec: number): string {
    const expires = Math.floor(this.now() / 1000) + ttlSec;
    const sig = this.mac(bucket, key, op, expires).toString("base64url");
    return `${this.baseUrl()}${OBJECTS_PATH}${bucket}/${encodeKey(key)}?op=${op}&expires=${expires}&sig=${sig}`;
  }

  /** null when the link is good, else why not. */
  check(bucket: string, key: string, op: string, expires: string | null, sig: string | null): string | null {
    if (!expires || !sig || !/^\d+$/.test(expires)) return "missing or malformed signature";
    const want = this.mac(bucket, key, op, Number(expires));
    const got = Buffer.from(sig, "base64url");
    if (got.length !== want.length || !timingSafeEqual(got, want)) return "invalid signature";
    if (Number(expires) * 1000 < this.now()) return "the link has expired";
    return null;
  }
}

/** The signing key: WARROOM_OBJECTS_SIGNING_KEY, else one generated once and kept in the data directory. */
export function signingKey(configured: string | undefined, dataDir: string): Buffer {
  if (configured) return Buffer.from(configured);
  const file = path.join(dataDir, "objects", ".signing-key");
  try {
    return Buffer.from(readFileSync(file, "utf8").trim(), "hex");
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    const k = randomBytes(32).toString("hex");
    try {
      writeFileSync(file, k, { flag: "wx", mode: 0o600 });
    } catch {
      // Another process wrote it first: use theirs.
    }
    return Buffer.from(readFileSync(file, "utf8").trim(), "hex");
  }
}

const MAX_SIGNED_UPLOAD = 100 * 1024 * 1024;

function jsonError(res: http.ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ code, message, details: null }));
}

/** GET (signed or public bucket), HEAD and PUT (signed) of local-store objects at /__objects/{bucket}/{name}. */
export class ObjectRoutes {
  constructor(
    private readonly signer: UrlSigner,
    private readonly buckets: (name: string) => { store: ObjectStore; meta: BucketMeta } | null,
  ) {}

  handle(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, headers: Record<string, string> = {}): boolean {
    if (!pathname.startsWith(OBJECTS_PATH)) return false;
    // The app's CORS headers, so a browser can use a signed link from the app's pages.
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    void this.serve(req, res, pathname).catch((err) => {
      if (!res.headersSent) jsonError(res, 500, "internal", "object storage error");
      else res.destroy(err as Error);
    });
    return true;
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<void> {
    const rest = pathname.slice(OBJECTS_PATH.length);
    const slash = rest.indexOf("/");
    let bucketName: string, key: string;
    try {
      bucketName = decodeURIComponent(rest.slice(0, slash));
      key = rest
        .slice(slash + 1)
        .split("/")
        .map(decodeURIComponent)
        .join("/");
    } catch {
      return jsonError(res, 400, "invalid_argument", "malformed object path");
    }
    const b = slash > 0 ? this.buckets(bucketName) : null;
    if (!b || !key) return jsonError(res, 404, "not_found", "object not found");
    const url = new URL(req.url ?? "/", "http://localhost");
    const method = req.method ?? "GET";
    const op = method === "PUT" ? "put" : method === "GET" || method === "HEAD" ? "get" : null;
    if (!op) return jsonError(res, 405, "invalid_argument", "method not allowed");
    const signed = url.searchParams.has("sig");
    if (signed || !(op === "get" && b.meta.public)) {
      const why =
        url.searchParams.get("op") !== op
          ? "the link is not for this method"
          : this.signer.check(bucketName, key, op, url.searchParams.get("expires"), url.searchParams.get("sig"));
      if (why) return jsonError(res, 403, "permission_denied", why);
    }
    if (op === "put") {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const c of req) {
        size += (c as Buffer).length;
        if (size > MAX_SIGNED_UPLOAD) return jsonError(res, 413, "resource_exhausted", "upload too large");
        chunks.push(c as Buffer);
      }
      const ctype = req.headers["content-type"];
      const attrs = await b.store.put(key, Buffer.concat(chunks), { contentType: ctype });
      res.writeHead(200, { etag: `"${attrs.etag}"` }).end();
      return;
    }
    const attrs = await b.store.head(key);
    const data = attrs && (await b.store.get(key));
    if (!attrs || !data) return jsonError(res, 404, "not_found", "object not found");
    res.writeHead(200, {
      "content-type": attrs.contentType ?? "application/octet-stream",
      "content-length": data.length,
      etag: `"${attrs.etag}"`,
      "x-content-type-options": "nosniff",
      // Uploaded bytes are served from the API's origin: never let them run as a page there.
      "content-security-policy": "sandbox; default-src 'none'",
      "cache-control": b.meta.public && !signed ? "public, max-age=300" : "private, no-store",
    });
    res.end(method === "HEAD" ? undefined : data);
  }
}

// ----- the runtime's buckets

/** Removes the test folders (`{run}-{pid}-{random}`) of test processes that are no longer running. */
function removeDeadTestFolders(tests: string): void {
  let names: string[];
  try {
    names = readdirSync(tests);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^[^-]+-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ESRCH") rmSync(path.join(tests, name), { recursive: true, force: true });
    }
  }
}

/** The buckets of the app (from the parser's metadata), each on the configured store. */
export class ObjectsRuntime {
  private readonly stores = new Map<string, { store: ObjectStore; meta: BucketMeta }>();
  private signerInstance: UrlSigner | null = null;
  private localRootDir: string | null = null;

  constructor(
    private readonly config: RuntimeConfig,
    private readonly baseUrl: () => string,
  ) {}

  get signer(): UrlSigner {
    this.signerInstance ??= new UrlSigner(signingKey(this.config.objects.signingKey, this.config.dataDir), () => this.config.objects.baseUrl ?? this.baseUrl());
    return this.signerInstance;
  }

  private entry(name: string): { store: ObjectStore; meta: BucketMeta } | null {
    let e = this.stores.get(name);
    if (e) return e;
    const meta = this.config.meta.buckets?.find((b) => b.name === name);
    if (!meta) return null;
    const oc = this.config.objects;
    const store = oc.s3
      ? new S3Store(oc.s3, oc.bucketNames[name] ?? oc.bucketPrefix + name, meta.public)
      : new LocalStore(path.join(this.localRoot(), this.config.dbPrefix + name), name, this.signer, meta.public);
    e = { store, meta };
    this.stores.set(name, e);
    return e;
  }

  /**
   * Where the local store keeps its buckets. A test process (NODE_ENV=test) keeps each runtime's
   * apart, as its databases are private clones, so test files never see each other's objects; the
   * folder goes when the process exits, or (test workers are often killed) when a later test
   * process finds its process gone.
   */
  private localRoot(): string {
    if (this.localRootDir) return this.localRootDir;
    let root = path.join(this.config.dataDir, "objects");
    if (process.env.NODE_ENV === "test") {
      const tests = path.join(root, "tests");
      removeDeadTestFolders(tests);
      const dir = path.join(tests, `${process.env.WARROOM_TEST_RUN ?? "x"}-${process.pid}-${randomBytes(3).toString("hex")}`);
      process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
      root = dir;
    }
    this.localRootDir = root;
    return root;
  }

  bucket(name: string): Bucket {
    const e = this.entry(name);
    if (!e) throw new Error(`bucket "${name}" is not in the app's metadata: regenerate it (npm run gen)`);
    return new Bucket(name, e.store, e.meta.versioned);
  }

  /** The HTTP side of the local store (signed and public links); none on S3. */
  routes(): ObjectRoutes | null {
    if (this.config.objects.s3 || !this.config.meta.buckets?.length) return null;
    return new ObjectRoutes(this.signer, (n) => this.entry(n));
  }
}
