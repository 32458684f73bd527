// A fake S3-compatible service on 127.0.0.1, path-style (/{bucket}/{key}): enough of PutObject
// (with If-None-Match: *), GetObject, HeadObject, ListObjectsV2 and DeleteObject for the runtime's
// S3 store. Requests must carry AWS Signature V4 for the fake's access key, in the Authorization
// header or as a presigned URL (whose expiry it enforces), and the fake recomputes the signature.
import http from "node:http";
import { createHash, createHmac } from "node:crypto";
import type { AddressInfo } from "node:net";

export interface FakeS3Object {
  data: Buffer;
  etag: string;
  contentType: string | undefined;
  lastModified: Date;
}

export interface FakeS3 {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** bucket → key → object */
  buckets: Map<string, Map<string, FakeS3Object>>;
  requests: { method: string; path: string; presigned: boolean }[];
  close(): Promise<void>;
}

const ACCESS_KEY = "AKIAFAKES3TEST";
const SECRET = "fake-s3-secret-key";

function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function s3Error(res: http.ServerResponse, status: number, code: string, message: string, head = false): void {
  res.writeHead(status, { "content-type": "application/xml" });
  res.end(head ? undefined : `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error>`);
}

const rfc3986 = (v: string) => encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (k: Buffer | string, v: string) => createHmac("sha256", k).update(v).digest();
const sha256 = (v: string | Buffer) => createHash("sha256").update(v).digest("hex");

/** The SigV4 signature S3 would compute for this request (path-style, S3's canonical URI rules). */
function signature(
  req: http.IncomingMessage,
  rawPath: string,
  rawQuery: string,
  signedHeaders: string[],
  scope: string,
  amzDate: string,
  payloadHash: string,
  presigned: boolean,
): string {
  const query = rawQuery
    .split("&")
    .filter(Boolean)
    .map((kv) => {
      const i = kv.indexOf("=");
      const k = decodeURIComponent(i < 0 ? kv : kv.slice(0, i));
      const v = i < 0 ? "" : decodeURIComponent(kv.slice(i + 1).replace(/\+/g, " "));
      return [rfc3986(k), rfc3986(v)] as const;
    })
    .filter(([k]) => !(presigned && k === "X-Amz-Signature"))
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const headers = signedHeaders
    .map(
      (h) =>
        `${h}:${String(req.headers[h] ?? "")
          .trim()
          .replace(/\s+/g, " ")}\n`,
    )
    .join("");
  const canonical = [req.method, rawPath, query, headers, signedHeaders.join(";"), payloadHash].join("\n");
  const [date, region, service] = scope.split("/");
  const key = hmac(hmac(hmac(hmac(`AWS4${SECRET}`, date), region), service), "aws4_request");
  return hmac(key, ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonical)].join("\n")).toString("hex");
}

/** null when the request is signed with our key (and, presigned, not expired), else why not. */
function authError(req: http.IncomingMessage, body: Buffer): string | null {
  const raw = req.url ?? "/";
  const qi = raw.indexOf("?");
  const rawPath = qi < 0 ? raw : raw.slice(0, qi);
  const rawQuery = qi < 0 ? "" : raw.slice(qi + 1);
  const q = new URLSearchParams(rawQuery);
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8}\/[^/]+\/s3\/aws4_request), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m) return "malformed Authorization header";
    if (m[1] !== ACCESS_KEY) return "unknown access key";
    const payload = String(req.headers["x-amz-content-sha256"] ?? "");
    if (payload !== "UNSIGNED-PAYLOAD" && payload !== sha256(body)) return "payload hash mismatch";
    const want = signature(req, rawPath, rawQuery, m[3].split(";"), m[2], String(req.headers["x-amz-date"] ?? ""), payload, false);
    return want === m[4] ? null : "signature mismatch";
  }
  if (q.get("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256" || !q.get("X-Amz-Signature")) return "request is not signed";
  const cred = q.get("X-Amz-Credential") ?? "";
  if (!cred.startsWith(`${ACCESS_KEY}/`)) return "unknown access key";
  const amzDate = q.get("X-Amz-Date") ?? "";
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  const expires = Number(q.get("X-Amz-Expires"));
  if (!date || !Number.isInteger(expires)) return "malformed presigned URL";
  const want = signature(
    req,
    rawPath,
    rawQuery,
    (q.get("X-Amz-SignedHeaders") ?? "host").split(";"),
    cred.slice(ACCESS_KEY.length + 1),
    amzDate,
    "UNSIGNED-PAYLOAD",
    true,
  );
  if (want !== q.get("X-Amz-Signature")) return "signature mismatch";
  const at = Date.UTC(+date[1], +date[2] - 1, +date[3], +date[4], +date[5], +date[6]);
  return at + expires * 1000 < Date.now() ? "Request has expired" : null;
}

export async function startFakeS3(): Promise<FakeS3> {
  const buckets = new Map<string, Map<string, FakeS3Object>>();
  const requests: FakeS3["requests"] = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const method = req.method ?? "GET";
    const head = method === "HEAD";
    requests.push({ method, path: url.pathname, presigned: url.searchParams.has("X-Amz-Signature") });
    const why = authError(req, body);
    if (why) return s3Error(res, 403, why.includes("expired") ? "AccessDenied" : "SignatureDoesNotMatch", why, head);
    const parts = url.pathname.slice(1).split("/");
    const bucket = decodeURIComponent(parts[0] ?? "");
    const key = parts.slice(1).map(decodeURIComponent).join("/");
    if (!bucket) return s3Error(res, 400, "InvalidRequest", "path-style requests only", head);
    let objects = buckets.get(bucket);
    if (!objects) buckets.set(bucket, (objects = new Map()));

    if (!key) {
      if (method !== "GET" || url.searchParams.get("list-type") !== "2") return s3Error(res, 400, "InvalidRequest", "only ListObjectsV2 on buckets");
      const prefix = url.searchParams.get("prefix") ?? "";
      const startAfter = url.searchParams.get("start-after") ?? url.searchParams.get("continuation-token") ?? "";
      const max = Math.min(1000, Number(url.searchParams.get("max-keys") ?? 1000));
      const keys = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > startAfter).sort();
      const page = keys.slice(0, max);
      const truncated = keys.length > page.length;
      const contents = page
        .map((k) => {
          const o = objects!.get(k)!;
          return `<Contents><Key>${xmlEscape(k)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>&quot;${o.etag}&quot;</ETag><Size>${o.data.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
        })
        .join("");
      res.writeHead(200, { "content-type": "application/xml" });
      return res.end(
        `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xmlEscape(bucket)}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${truncated ? `<NextContinuationToken>${xmlEscape(page[page.length - 1])}</NextContinuationToken>` : ""}</ListBucketResult>`,
      );
    }

    const obj = objects.get(key);
    switch (method) {
      case "PUT": {
        if (req.headers["if-none-match"] === "*" && obj)
          return s3Error(res, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
        const etag = createHash("md5").update(body).digest("hex");
        objects.set(key, { data: body, etag, contentType: req.headers["content-type"], lastModified: new Date() });
        res.writeHead(200, { etag: `"${etag}"` });
        return res.end();
      }
      case "GET":
      case "HEAD": {
        if (!obj) return s3Error(res, 404, "NoSuchKey", "The specified key does not exist.", head);
        res.writeHead(200, {
          "content-type": obj.contentType ?? "binary/octet-stream",
          "content-length": obj.data.length,
          etag: `"${obj.etag}"`,
          "last-modified": obj.lastModified.toUTCString(),
        });
        return res.end(head ? undefined : obj.data);
      }
      case "DELETE":
        objects.delete(key);
        res.writeHead(204);
        return res.end();
      default:
        return s3Error(res, 405, "MethodNotAllowed", "method not allowed");
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId: ACCESS_KEY,
    secretAccessKey: SECRET,
    buckets,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
