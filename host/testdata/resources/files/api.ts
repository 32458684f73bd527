import { api } from "encore.dev/api";
import { Bucket } from "encore.dev/storage/objects";

export const docs = new Bucket("docs", { versioned: false });
export const avatars = new Bucket("avatars", { public: true });

interface OpRequest {
  bucket: "docs" | "avatars";
  op: "upload" | "download" | "exists" | "attrs" | "remove" | "list" | "signedUpload" | "signedDownload" | "publicUrl";
  name?: string;
  content?: string;
  contentType?: string;
  notExists?: boolean;
  prefix?: string;
  limit?: number;
  ttl?: number;
}

interface OpResponse {
  value?: any;
  error?: string; // the SDK's error class name
  message?: string;
}

// Every Bucket method through one endpoint, answering the SDK's error class by name.
export const op = api({ expose: true, method: "POST", path: "/files/op" }, async (r: OpRequest): Promise<OpResponse> => {
  const b = r.bucket === "docs" ? docs : Bucket.named("avatars");
  const name = r.name ?? "";
  try {
    switch (r.op) {
      case "upload":
        return {
          value: await b.upload(name, Buffer.from(r.content ?? ""), {
            contentType: r.contentType,
            preconditions: r.notExists ? { notExists: true } : undefined,
          }),
        };
      case "download":
        return { value: (await b.download(name)).toString() };
      case "exists":
        return { value: await b.exists(name) };
      case "attrs":
        return { value: await b.attrs(name) };
      case "remove":
        await b.remove(name);
        return { value: null };
      case "list": {
        const out = [];
        for await (const e of b.list({ prefix: r.prefix, limit: r.limit })) out.push(e);
        return { value: out };
      }
      case "signedUpload":
        return { value: await b.signedUploadUrl(name, { ttl: r.ttl }) };
      case "signedDownload":
        return { value: await b.signedDownloadUrl(name, { ttl: r.ttl }) };
      case "publicUrl":
        return { value: b.publicUrl(name) };
    }
  } catch (err) {
    return { error: (err as Error).constructor.name, message: (err as Error).message };
  }
});
