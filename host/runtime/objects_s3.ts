// The S3-compatible store for buckets (objects.ts), through the official AWS SDK. Loaded only when
// configured, so an app on the local store does not pay for importing the SDK.
import type { S3Client } from "@aws-sdk/client-s3";
import { ListEntry, ObjectAttrs, PreconditionFailed, encodeKey, type ObjectStore } from "./objects.ts";

export interface S3Settings {
  endpoint: string | undefined; // WARROOM_S3_ENDPOINT: any S3-compatible service; unset = AWS
  region: string; // WARROOM_S3_REGION
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  forcePathStyle: boolean; // path-style addressing (default with a custom endpoint)
  publicBaseUrl: string | undefined; // WARROOM_S3_PUBLIC_BASE_URL: public buckets are readable at {base}/{bucket}/{name}
}

type Sdk = typeof import("@aws-sdk/client-s3");
type Presign = typeof import("@aws-sdk/s3-request-presigner");

let loaded: Promise<{ sdk: Sdk; presign: Presign }> | null = null;
function load(): Promise<{ sdk: Sdk; presign: Presign }> {
  loaded ??= Promise.all([import("@aws-sdk/client-s3"), import("@aws-sdk/s3-request-presigner")]).then(([sdk, presign]) => ({ sdk, presign }));
  return loaded;
}

const clients = new Map<string, Promise<S3Client>>();
function client(s: S3Settings): Promise<S3Client> {
  const key = JSON.stringify(s);
  let c = clients.get(key);
  if (!c) {
    c = load().then(
      ({ sdk }) =>
        new sdk.S3Client({
          region: s.region,
          endpoint: s.endpoint,
          forcePathStyle: s.forcePathStyle,
          credentials: s.accessKeyId && s.secretAccessKey ? { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey } : undefined,
          // Checksums only where S3 requires them: S3-compatible services differ in what they accept.
          requestChecksumCalculation: "WHEN_REQUIRED",
          responseChecksumValidation: "WHEN_REQUIRED",
        }),
    );
    clients.set(key, c);
  }
  return c;
}

function status(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

function unquote(etag: string | undefined): string {
  if (!etag) return "";
  return etag.startsWith('"') && etag.endsWith('"') ? etag.slice(1, -1) : etag;
}

export class S3Store implements ObjectStore {
  constructor(
    private readonly settings: S3Settings,
    private readonly cloudBucket: string,
    private readonly isPublic: boolean,
  ) {}

  private async ctx() {
    const [{ sdk, presign }, c] = await Promise.all([load(), client(this.settings)]);
    return { sdk, presign, c };
  }

  async put(key: string, data: Buffer, opts: { contentType?: string; notExists?: boolean }): Promise<ObjectAttrs> {
    const { sdk, c } = await this.ctx();
    try {
      const out = await c.send(
        new sdk.PutObjectCommand({
          Bucket: this.cloudBucket,
          Key: key,
          Body: data,
          ContentType: opts.contentType,
          IfNoneMatch: opts.notExists ? "*" : undefined,
        }),
      );
      return new ObjectAttrs(key, data.length, unquote(out.ETag), opts.contentType, out.VersionId);
    } catch (err) {
      if (status(err) === 412) throw new PreconditionFailed(`object "${key}" already exists`);
      throw err;
    }
  }

  async get(key: string, version?: string): Promise<Buffer | null> {
    const { sdk, c } = await this.ctx();
    try {
      const out = await c.send(new sdk.GetObjectCommand({ Bucket: this.cloudBucket, Key: key, VersionId: version }));
      return Buffer.from(await out.Body!.transformToByteArray());
    } catch (err) {
      if (status(err) === 404) return null;
      throw err;
    }
  }

  async head(key: string, version?: string): Promise<ObjectAttrs | null> {
    const { sdk, c } = await this.ctx();
    try {
      const out = await c.send(new sdk.HeadObjectCommand({ Bucket: this.cloudBucket, Key: key, VersionId: version }));
      return new ObjectAttrs(key, out.ContentLength ?? 0, unquote(out.ETag), out.ContentType, out.VersionId);
    } catch (err) {
      if (status(err) === 404) return null;
      throw err;
    }
  }

  async list(prefix: string, after: string | null, max: number): Promise<{ entries: ListEntry[]; next: string | null }> {
    const { sdk, c } = await this.ctx();
    const out = await c.send(
      new sdk.ListObjectsV2Command({ Bucket: this.cloudBucket, Prefix: prefix || undefined, StartAfter: after ?? undefined, MaxKeys: max }),
    );
    const entries = (out.Contents ?? []).map((o) => new ListEntry(o.Key!, o.Size ?? 0, unquote(o.ETag)));
    return { entries, next: out.IsTruncated && entries.length > 0 ? entries[entries.length - 1].name : null };
  }

  async delete(key: string, version?: string): Promise<void> {
    const { sdk, c } = await this.ctx();
    await c.send(new sdk.DeleteObjectCommand({ Bucket: this.cloudBucket, Key: key, VersionId: version }));
  }

  async signedUrl(key: string, op: "get" | "put", ttlSec: number): Promise<string> {
    const { sdk, presign, c } = await this.ctx();
    const cmd =
      op === "get" ? new sdk.GetObjectCommand({ Bucket: this.cloudBucket, Key: key }) : new sdk.PutObjectCommand({ Bucket: this.cloudBucket, Key: key });
    return presign.getSignedUrl(c, cmd, { expiresIn: ttlSec });
  }

  publicUrl(key: string): string | null {
    if (!this.isPublic) return null;
    const base = this.settings.publicBaseUrl?.replace(/\/+$/, "");
    if (base) return `${base}/${this.cloudBucket}/${encodeKey(key)}`;
    if (this.settings.endpoint) return `${this.settings.endpoint.replace(/\/+$/, "")}/${this.cloudBucket}/${encodeKey(key)}`;
    return `https://${this.cloudBucket}.s3.${this.settings.region}.amazonaws.com/${encodeKey(key)}`;
  }
}
