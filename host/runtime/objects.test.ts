// Object storage through the real SDK (encore.dev/storage/objects) on our runtime: the fixture app
// host/testdata/resources on the local store (files under the data directory, signed links served
// by our server) and on S3-compatible storage (the fake in host/testing/fake-s3.ts).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { useFixture, type UsedFixture } from "../testing/use-fixture.ts";
import { startFakeS3, type FakeS3 } from "../testing/fake-s3.ts";
import { Bucket, LocalStore, TypedObjectError, UrlSigner } from "./objects.ts";

const APP = path.resolve(import.meta.dirname, "../testdata/resources");
const dataDir = mkdtempSync(path.join(tmpdir(), "objects-test-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

let s3: FakeS3;
const s3Env: Record<string, string> = {};
beforeAll(async () => {
  s3 = await startFakeS3();
  Object.assign(s3Env, {
    WARROOM_S3_ENDPOINT: s3.endpoint,
    WARROOM_S3_REGION: "eu-west-1",
    WARROOM_S3_ACCESS_KEY_ID: s3.accessKeyId,
    WARROOM_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    WARROOM_S3_BUCKETS: "docs=acme-docs",
    WARROOM_S3_BUCKET_PREFIX: "acme-",
  });
});
afterAll(() => s3?.close());

const local = useFixture(APP, { WARROOM_DATA_DIR: dataDir });
// The env object is filled in by the beforeAll above, which runs before the fixture's.
const onS3 = useFixture(APP, s3Env);

function op(f: UsedFixture, body: object): Promise<{ value?: any; error?: string; message?: string }> {
  return fetch(`${f.server.url}/files/op`, { method: "POST", body: JSON.stringify(body) }).then(async (r) => {
    expect(r.status).toBe(200);
    return r.json() as Promise<{ value?: any; error?: string }>;
  });
}

function suite(label: string, f: UsedFixture) {
  describe(`buckets on ${label}`, () => {
    test("upload, exists, attrs, download, list (prefix, limit, order), remove", async () => {
      const up = await op(f, { bucket: "docs", op: "upload", name: "reports/2026/q1.txt", content: "first quarter", contentType: "text/plain" });
      expect(up.value).toMatchObject({ name: "reports/2026/q1.txt", size: 13, contentType: "text/plain" });
      expect(up.value.etag).toMatch(/^[0-9a-f]{32}$/);
      await op(f, { bucket: "docs", op: "upload", name: "reports/2026/q2.txt", content: "second" });
      await op(f, { bucket: "docs", op: "upload", name: "other.txt", content: "x" });
      expect((await op(f, { bucket: "docs", op: "exists", name: "reports/2026/q1.txt" })).value).toBe(true);
      expect((await op(f, { bucket: "docs", op: "exists", name: "nope" })).value).toBe(false);
      expect((await op(f, { bucket: "docs", op: "attrs", name: "reports/2026/q1.txt" })).value).toMatchObject({
        size: 13,
        contentType: "text/plain",
        etag: up.value.etag,
      });
      expect((await op(f, { bucket: "docs", op: "download", name: "reports/2026/q1.txt" })).value).toBe("first quarter");
      const listed = (await op(f, { bucket: "docs", op: "list", prefix: "reports/" })).value as { name: string; size: number }[];
      expect(listed.map((e) => e.name)).toEqual(["reports/2026/q1.txt", "reports/2026/q2.txt"]);
      expect(listed[1].size).toBe(6);
      expect(((await op(f, { bucket: "docs", op: "list", limit: 2 })).value as unknown[]).length).toBe(2);
      expect((await op(f, { bucket: "docs", op: "remove", name: "other.txt" })).error).toBeUndefined();
      expect((await op(f, { bucket: "docs", op: "exists", name: "other.txt" })).value).toBe(false);
    });

    test("errors: a missing object, an existing one under notExists", async () => {
      expect((await op(f, { bucket: "docs", op: "download", name: "missing" })).error).toBe("ObjectNotFound");
      expect((await op(f, { bucket: "docs", op: "attrs", name: "missing" })).error).toBe("ObjectNotFound");
      await op(f, { bucket: "docs", op: "upload", name: "once", content: "a", notExists: true });
      expect((await op(f, { bucket: "docs", op: "upload", name: "once", content: "b", notExists: true })).error).toBe("PreconditionFailed");
      expect((await op(f, { bucket: "docs", op: "download", name: "once" })).value).toBe("a");
      expect((await op(f, { bucket: "docs", op: "signedDownload", name: "once", ttl: 0 })).error).toBe("InvalidArgument");
    });

    test("signed upload and download URLs work from a plain HTTP client", async () => {
      const put = (await op(f, { bucket: "docs", op: "signedUpload", name: "up/loaded.bin", ttl: 60 })).value.url as string;
      const r = await fetch(put, { method: "PUT", body: "uploaded bytes", headers: { "content-type": "application/octet-stream" } });
      expect(r.status).toBe(200);
      const get = (await op(f, { bucket: "docs", op: "signedDownload", name: "up/loaded.bin" })).value.url as string;
      const d = await fetch(get);
      expect(d.status).toBe(200);
      expect(await d.text()).toBe("uploaded bytes");
      // A link for one object does not open another.
      const other = get.replace("loaded.bin", "other.bin");
      expect((await fetch(other)).status).toBe(403);
    });

    test("public buckets have a publicUrl; private ones refuse it", async () => {
      await op(f, { bucket: "avatars", op: "upload", name: "ann.png", content: "png!", contentType: "image/png" });
      const url = (await op(f, { bucket: "avatars", op: "publicUrl", name: "ann.png" })).value as string;
      expect(url).toMatch(/ann\.png$/);
      expect((await op(f, { bucket: "docs", op: "publicUrl", name: "x" })).message).toMatch(/not public/);
    });
  });
}

suite("the local store", local);
suite("S3", onS3);

describe("local store specifics", () => {
  test("public objects are served without a signature; private ones need one; tampered or expired links are refused", async () => {
    const url = (await op(local, { bucket: "avatars", op: "publicUrl", name: "ann.png" })).value as string;
    const pub = await fetch(url.replace(/^http:\/\/localhost:\d+/, local.server.url));
    expect(pub.status).toBe(200);
    expect(pub.headers.get("content-type")).toBe("image/png");
    expect(pub.headers.get("content-security-policy")).toContain("sandbox");
    expect(await pub.text()).toBe("png!");
    expect((await fetch(`${local.server.url}/__objects/docs/once`)).status).toBe(403);
    const get = (await op(local, { bucket: "docs", op: "signedDownload", name: "once" })).value.url as string;
    expect((await fetch(get.replace(/sig=.{4}/, "sig=AAAA"))).status).toBe(403);
    // A download link does not allow uploads.
    expect((await fetch(get, { method: "PUT", body: "evil" })).status).toBe(403);
    // Names that look like paths stay inside the bucket.
    await op(local, { bucket: "docs", op: "upload", name: "../../escape", content: "held" });
    expect((await op(local, { bucket: "docs", op: "download", name: "../../escape" })).value).toBe("held");
  });

  test("a version is ignored by a bucket without versioning, as the SDK documents; the local store keeps none for one with it", async () => {
    const signer = new UrlSigner(Buffer.from("k"), () => "http://x");
    const store = new LocalStore(path.join(dataDir, "versions"), "plain", signer, false);
    const plain = new Bucket("plain", store).object("a.txt");
    await plain.upload(Buffer.from("one"));
    expect(((await plain.downloadAll({ version: "v1" })) as Buffer).toString()).toBe("one");
    expect(await plain.exists({ version: "v1" })).toBe(true);
    expect(await plain.delete({ version: "v1" })).toBeNull();
    expect(await plain.exists()).toBe(false);
    const versioned = new Bucket("kept", store, true).object("b.txt");
    await versioned.upload(Buffer.from("two"));
    expect(await versioned.downloadAll({ version: "v1" })).toBeInstanceOf(TypedObjectError);
    expect(((await versioned.downloadAll()) as Buffer).toString()).toBe("two");
  });

  test("a signed link expires", () => {
    let now = 1_000_000_000_000;
    const signer = new UrlSigner(
      Buffer.from("k"),
      () => "http://x",
      () => now,
    );
    const url = new URL(signer.sign("docs", "a/b", "get", 60));
    const args = [url.searchParams.get("op")!, url.searchParams.get("expires"), url.searchParams.get("sig")] as const;
    expect(signer.check("docs", "a/b", ...args)).toBeNull();
    expect(signer.check("docs", "a/c", ...args)).toBe("invalid signature");
    now += 61_000;
    expect(signer.check("docs", "a/b", ...args)).toBe("the link has expired");
  });
});

describe("S3 specifics", () => {
  test("bucket names are mapped; requests are signed; signed URLs are presigned S3 URLs", async () => {
    expect([...s3.buckets.keys()].sort()).toEqual(["acme-avatars", "acme-docs"].sort());
    expect(s3.buckets.get("acme-docs")!.get("reports/2026/q1.txt")!.data.toString()).toBe("first quarter");
    const url = (await op(onS3, { bucket: "docs", op: "signedDownload", name: "once" })).value.url as string;
    expect(url.startsWith(`${s3.endpoint}/acme-docs/once?`)).toBe(true);
    expect(url).toContain("X-Amz-Signature=");
    expect(s3.requests.some((r) => r.presigned && r.method === "PUT")).toBe(true);
    expect((await op(onS3, { bucket: "avatars", op: "publicUrl", name: "a b.png" })).value).toBe(`${s3.endpoint}/acme-avatars/a%20b.png`);
  });
});
