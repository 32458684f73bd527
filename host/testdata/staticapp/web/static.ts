import { api } from "encore.dev/api";
import { Bucket } from "encore.dev/storage/objects";

// Files under /static/, with a header on each; a miss is Encore's not_found error.
export const assets = api.static({
  expose: true,
  path: "/static/*path",
  dir: "./assets",
  headers: { "Cache-Control": "public, max-age=60" },
});

// Everything no other route takes, with a custom page (and status) for a miss.
export const site = api.static({
  expose: true,
  path: "/!path",
  dir: "./public",
  notFound: "./public/missing.html",
  notFoundStatus: 418,
});

// A single-page app: a miss serves its index.html with 200.
export const app = api.static({ expose: true, path: "/app/*path", dir: "./spa", notFound: "./spa/index.html", notFoundStatus: 200 });

// A public bucket beside the catch-all: its links (the runtime's /__objects/ prefix) are not the site's.
export const media = new Bucket("media", { public: true });

export const putMedia = api({ expose: true, method: "POST", path: "/media" }, async (req: { name: string; text: string }): Promise<{ url: string }> => {
  await media.upload(req.name, Buffer.from(req.text), { contentType: "text/plain" });
  return { url: media.publicUrl(req.name) };
});

export const hello = api({ expose: true, method: "GET", path: "/hello" }, async (): Promise<{ message: string }> => ({ message: "hi" }));
