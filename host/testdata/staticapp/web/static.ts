import { api } from "encore.dev/api";

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

export const hello = api({ expose: true, method: "GET", path: "/hello" }, async (): Promise<{ message: string }> => ({ message: "hi" }));
