// A local SMTP sink (the smtp-server package) on 127.0.0.1: accepts any sender and recipient
// without TLS or auth, keeps every mail with its envelope and headers, and can refuse the next
// mails with a given SMTP reply (4xx transient, 5xx permanent), as a real server would.
import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";

/** A mail the sink accepted. */
export interface SinkMail {
  from: string;
  to: string[];
  subject: string;
  messageId: string;
  headers: Record<string, string>;
  raw: string;
  receivedAt: number;
}

/** The running sink: `url` is what SMTP_URL points at. */
export interface SmtpSink {
  url: string;
  mails: SinkMail[];
  /** Refuses the next `times` mails (at RCPT TO) with `code` and `message`. */
  refuse(code: number, message: string, times?: number): void;
  close(): Promise<void>;
}

/** Unfolds and parses the header block of a raw message (lower-case names; first occurrence wins). */
function headersOf(raw: string): Record<string, string> {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? "";
  const out: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] ??= line.slice(i + 1).trim();
  }
  return out;
}

/** RFC 2047 "=?UTF-8?B?…?=" / "=?UTF-8?Q?…?=" words, decoded (what nodemailer writes for non-ASCII subjects). */
function decodeWords(s: string): string {
  return s.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_, enc: string, text: string) =>
    enc.toLowerCase() === "b"
      ? Buffer.from(text, "base64").toString("utf8")
      : Buffer.from(
          text.replace(/_/g, " ").replace(/=([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
          "latin1",
        ).toString("utf8"),
  );
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: SinkMail[] = [];
  const refusals: { code: number; message: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(_address, _session, cb) {
      const r = refusals.shift();
      if (!r) return cb();
      const err = new Error(r.message) as Error & { responseCode: number };
      err.responseCode = r.code;
      cb(err);
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const headers = headersOf(raw);
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: decodeWords(headers.subject ?? ""),
          messageId: headers["message-id"] ?? "",
          headers,
          raw,
          receivedAt: Date.now(),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    refuse(code, message, times = 1) {
      for (let i = 0; i < times; i++) refusals.push({ code, message });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
