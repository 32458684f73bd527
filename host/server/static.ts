// api.static: files from a directory, as Encore serves them (runtimes/core/src/api/static_assets.rs,
// a tower-http ServeDir): the path's dynamic segment names the file; a directory serves its
// index.html (and without its trailing slash redirects to it); GET and HEAD only; a single byte
// range; Last-Modified with If-Modified-Since. A miss serves the `notFound` file under
// `notFoundStatus` (default 404), or Encore's `not_found` error when there is none.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type http from "node:http";
import path from "node:path";
import type { StaticAssetsMeta } from "../meta.ts";

export interface StaticError {
  code: "not_found" | "invalid_argument" | "internal";
  message: string;
}

/**
 * Serves one request. `rest` is the path's dynamic segment (already percent-decoded by the
 * router), `"` when the path has none. Returns an error to answer with Encore's JSON instead.
 */
export async function serveStatic(
  cfg: StaticAssetsMeta,
  appRoot: string,
  rest: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  extraHeaders: Record<string, string | string[]>,
): Promise<StaticError | null> {
  const method = req.method ?? "GET";
  if (method !== "GET" && method !== "HEAD") return { code: "invalid_argument", message: "method not allowed" };
  const dir = path.resolve(appRoot, cfg.dir);
  const file = resolveInside(dir, rest);
  if (file !== null) {
    const st = await stat(file).catch(() => null);
    if (st?.isDirectory()) {
      if (rest !== "" && !rest.endsWith("/")) {
        // As ServeDir does: a directory is addressed with its trailing slash, so relative links
        // in its index.html resolve inside it.
        const url = req.url ?? "/";
        const q = url.indexOf("?");
        const location = `${q < 0 ? url : url.slice(0, q)}/${q < 0 ? "" : url.slice(q)}`;
        res.writeHead(307, { ...extraHeaders, location, "content-length": "0" });
        res.end();
        return null;
      }
      const index = path.join(file, "index.html");
      const ist = await stat(index).catch(() => null);
      if (ist?.isFile()) return sendFile(index, ist, 200, true, cfg, req, res, extraHeaders);
    } else if (st?.isFile()) {
      return sendFile(file, st, 200, true, cfg, req, res, extraHeaders);
    }
  }
  if (cfg.notFound) {
    const nf = path.resolve(appRoot, cfg.notFound);
    const st = await stat(nf).catch(() => null);
    if (st?.isFile()) {
      const status = cfg.notFoundStatus ?? 404;
      // Served as 200 it is a page of the app (SPA routing) and cacheable like any file; under
      // an error status it is the complete page every time.
      return sendFile(nf, st, status, status === 200, cfg, req, res, extraHeaders);
    }
  }
  return { code: "not_found", message: "file not found" };
}

/** The file `rest` names inside `dir`, or null when it would leave it (or is malformed). */
function resolveInside(dir: string, rest: string): string | null {
  if (rest.includes("\0") || rest.includes("\\")) return null;
  const parts = rest.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.some((p) => p === "..")) return null;
  const file = path.join(dir, ...parts);
  return file === dir || file.startsWith(dir + path.sep) ? file : null;
}

async function sendFile(
  file: string,
  st: { size: number; mtime: Date },
  status: number,
  cacheable: boolean,
  cfg: StaticAssetsMeta,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  extraHeaders: Record<string, string | string[]>,
): Promise<null> {
  const headers: Record<string, string | string[]> = { ...extraHeaders, "content-type": contentType(file) };
  for (const [k, v] of Object.entries(cfg.headers)) headers[k.toLowerCase()] = v.length === 1 ? v[0] : v;
  let start = 0;
  let end = st.size - 1;
  if (cacheable) {
    // HTTP dates have whole seconds.
    const modified = Math.floor(st.mtime.getTime() / 1000) * 1000;
    if (!("last-modified" in headers)) headers["last-modified"] = new Date(modified).toUTCString();
    headers["accept-ranges"] = "bytes";
    const since = Date.parse(String(req.headers["if-modified-since"] ?? ""));
    if (!Number.isNaN(since) && modified <= since) {
      delete headers["content-type"];
      res.writeHead(304, headers);
      res.end();
      return null;
    }
    const range = parseRange(req.headers.range, st.size);
    if (range === "unsatisfiable") {
      headers["content-range"] = `bytes */${st.size}`;
      res.writeHead(416, headers);
      res.end();
      return null;
    }
    if (range) {
      [start, end] = range;
      status = 206;
      headers["content-range"] = `bytes ${start}-${end}/${st.size}`;
    }
  }
  headers["content-length"] = String(Math.max(0, end - start + 1));
  res.writeHead(status, headers);
  if (req.method === "HEAD" || st.size === 0) {
    res.end();
    return null;
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(file, { start, end });
    stream.on("error", () => {
      res.destroy();
      resolve();
    });
    res.on("close", () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
  return null;
}

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range; several ranges are served whole. */
export function parseRange(header: string | undefined, size: number): [number, number] | "unsatisfiable" | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null;
  let start: number;
  let end: number;
  if (m[1] === "") {
    const n = Number(m[2]);
    if (n === 0) return "unsatisfiable";
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return "unsatisfiable";
  return [start, end];
}

const TYPES: Record<string, string> = {
  html: "text/html",
  htm: "text/html",
  css: "text/css",
  js: "text/javascript",
  mjs: "text/javascript",
  json: "application/json",
  map: "application/json",
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  xml: "text/xml",
  svg: "image/svg+xml",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  ico: "image/x-icon",
  bmp: "image/bmp",
  woff: "font/woff",
  woff2: "font/woff2",
  ttf: "font/ttf",
  otf: "font/otf",
  eot: "application/vnd.ms-fontobject",
  pdf: "application/pdf",
  zip: "application/zip",
  gz: "application/gzip",
  wasm: "application/wasm",
  mp3: "audio/mpeg",
  wav: "audio/wav",
  ogg: "audio/ogg",
  mp4: "video/mp4",
  webm: "video/webm",
  webmanifest: "application/manifest+json",
  yaml: "application/yaml",
  yml: "application/yaml",
};

/** The Content-Type by extension; text types say UTF-8 (as mime_guess does for ServeDir). */
export function contentType(file: string): string {
  const t = TYPES[path.extname(file).slice(1).toLowerCase()] ?? "application/octet-stream";
  return t.startsWith("text/") || t === "application/javascript" ? `${t}; charset=utf-8` : t;
}
