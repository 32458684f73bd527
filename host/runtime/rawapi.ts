// Raw endpoints: the native runtime's BodyReader and ResponseWriter over node's request/response.
// The SDK wraps them into RawRequest (a Readable) and RawResponse (a Writable).
import type http from "node:http";
import { HttpError, toErrorBody } from "../server/errors.ts";

/** A body over the endpoint's limit: 413 with Encore's error body. */
export function bodyTooLarge(limit: number): HttpError {
  return new HttpError("invalid_argument", `request body exceeds the limit of ${limit} bytes`, undefined, 413);
}

export class BodyReader {
  private started = false;
  constructor(
    private readonly req: http.IncomingMessage,
    private readonly limit: number | null,
    /** Called once when the body passes the limit (the server answers 413 if it still can). */
    private readonly onTooLarge?: (err: HttpError) => void,
  ) {}

  /** push(chunk) feeds the Readable (push(null) ends it); destroy(err) fails it. */
  start(push: (chunk: Buffer | null) => boolean, destroy: (err?: Error) => void): void {
    if (this.started) return;
    this.started = true;
    let size = 0;
    const max = this.limit ?? Infinity;
    this.req.pause();
    let over = false;
    this.req.on("data", (c: Buffer) => {
      if (over) return; // dropped: read on so the client can finish sending and read the 413
      size += c.length;
      if (size > max) {
        over = true;
        const err = bodyTooLarge(max);
        this.onTooLarge?.(err);
        destroy(err);
        this.req.resume();
        return;
      }
      if (!push(c)) this.req.pause();
    });
    this.req.on("end", () => {
      if (!over) push(null);
    });
    // A client that goes away after sending its whole body (a GET whose handler is still working)
    // is no failure of the body: the handler's RawRequest, often with no 'error' listener, must
    // not take the process down with it.
    this.req.on("error", (err) => {
      if (!this.req.complete) destroy(err);
    });
  }

  read(): void {
    this.req.resume();
  }
}

export class ResponseWriter {
  started = false;
  /** The runtime answered in the handler's place (refuse()); the handler's own writes are dropped. */
  refused = false;
  constructor(
    private readonly res: http.ServerResponse,
    private readonly extraHeaders: Record<string, string>,
  ) {}

  /** Answers with Encore's error body unless the handler has started its response. */
  refuse(err: unknown): void {
    if (this.started) return;
    this.started = true;
    this.refused = true;
    const r = toErrorBody(err);
    const text = JSON.stringify(r.body);
    this.res.writeHead(r.status, { ...this.extraHeaders, "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) });
    this.res.end(text);
  }

  writeHead(status: number, headers: string[] | Record<string, string | number | string[]>): void {
    if (this.started) return;
    this.started = true;
    const merged: Record<string, string | number | string[]> = { ...this.extraHeaders };
    if (Array.isArray(headers)) {
      for (let i = 0; i + 1 < headers.length; i += 2) merged[headers[i]] = headers[i + 1];
    } else {
      for (const [k, v] of Object.entries(headers)) if (v !== undefined) merged[k] = v;
    }
    this.res.writeHead(status, merged);
  }

  writeBody(buf: Buffer, callback?: (err?: Error | null) => void): void {
    if (this.refused) return void callback?.(null);
    if (!this.started) this.writeHead(200, {});
    this.res.write(buf, (err) => callback?.(err ?? null));
  }

  writeBodyMulti(bufs: Buffer[], callback?: (err?: Error | null) => void): void {
    this.writeBody(Buffer.concat(bufs), callback);
  }

  close(buf?: Buffer | null, callback?: (err?: Error | null) => void): void {
    if (this.refused) return void callback?.(null);
    if (!this.started) this.writeHead(200, {});
    if (buf) this.res.end(buf, () => callback?.(null));
    else this.res.end(() => callback?.(null));
  }
}
