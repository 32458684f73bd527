// Raw endpoints: the native runtime's BodyReader and ResponseWriter over node's request/response.
// The SDK wraps them into RawRequest (a Readable) and RawResponse (a Writable).
import type http from "node:http";

export class BodyReader {
  private started = false;
  constructor(
    private readonly req: http.IncomingMessage,
    private readonly limit: number | null,
  ) {}

  /** push(chunk) feeds the Readable (push(null) ends it); destroy(err) fails it. */
  start(push: (chunk: Buffer | null) => boolean, destroy: (err?: Error) => void): void {
    if (this.started) return;
    this.started = true;
    let size = 0;
    const max = this.limit ?? Infinity;
    this.req.pause();
    this.req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > max) {
        this.req.destroy();
        destroy(new Error(`request body exceeds the limit of ${max} bytes`));
        return;
      }
      if (!push(c)) this.req.pause();
    });
    this.req.on("end", () => push(null));
    this.req.on("error", (err) => destroy(err));
  }

  read(): void {
    this.req.resume();
  }
}

export class ResponseWriter {
  started = false;
  constructor(
    private readonly res: http.ServerResponse,
    private readonly extraHeaders: Record<string, string>,
  ) {}

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
    if (!this.started) this.writeHead(200, {});
    this.res.write(buf, (err) => callback?.(err ?? null));
  }

  writeBodyMulti(bufs: Buffer[], callback?: (err?: Error | null) => void): void {
    this.writeBody(Buffer.concat(bufs), callback);
  }

  close(buf?: Buffer | null, callback?: (err?: Error | null) => void): void {
    if (!this.started) this.writeHead(200, {});
    if (buf) this.res.end(buf, () => callback?.(null));
    else this.res.end(() => callback?.(null));
  }
}
