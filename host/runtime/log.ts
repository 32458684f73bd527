// The native runtime's Logger: structured JSON lines, one per event, on stdout.
// Fields: level, time, message, then the request's service/endpoint/trace ids, then the caller's fields.
import type { Request } from "./request.ts";

export enum LogLevel {
  Trace = 1,
  Debug = 2,
  Info = 3,
  Warn = 4,
  Error = 5,
}

const LEVEL_NAMES: Record<number, string> = { 1: "trace", 2: "debug", 3: "info", 4: "warn", 5: "error" };

export function parseLevel(name: string | undefined, fallback: LogLevel): LogLevel {
  const found = Object.entries(LEVEL_NAMES).find(([, n]) => n === name?.toLowerCase());
  return found ? (Number(found[0]) as LogLevel) : fallback;
}

export type LogSink = (line: string) => void;

const stdoutSink: LogSink = (line) => process.stdout.write(`${line}\n`);

// JSON.stringify that survives BigInt, Errors and cycles: a log call must never throw.
function safeStringify(obj: Record<string, unknown>): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(obj, (_k, v) => {
    if (typeof v === "bigint") return v.toString();
    if (v instanceof Error) return { message: v.message, name: v.name };
    if (v !== null && typeof v === "object") {
      if (seen.has(v)) return "[circular]";
      seen.add(v);
    }
    return v;
  });
}

export class Logger {
  constructor(
    private readonly minLevel: LogLevel = LogLevel.Info,
    private readonly fields: Record<string, unknown> = {},
    private readonly sink: LogSink = stdoutSink,
  ) {}

  log(request: Request | undefined | null, level: LogLevel, msg: string, error?: Error, caller?: string, fields?: Record<string, unknown>): void {
    if (level < this.minLevel) return;
    const entry: Record<string, unknown> = { level: LEVEL_NAMES[level] ?? "info", time: new Date().toISOString(), message: msg };
    if (request) Object.assign(entry, request.logFields());
    Object.assign(entry, this.fields);
    if (fields) Object.assign(entry, fields);
    if (caller) entry.caller = caller;
    if (error) {
      entry.error = error.message;
      if (level >= LogLevel.Error && error.stack) entry.stack = error.stack;
    }
    this.sink(safeStringify(entry));
  }

  withLevel(level: LogLevel): Logger {
    return new Logger(level, this.fields, this.sink);
  }

  with(fields: Record<string, unknown>): Logger {
    return new Logger(this.minLevel, { ...this.fields, ...fields }, this.sink);
  }

  // Conveniences for runtime code (the app logs through the SDK's log module).
  info(msg: string, fields?: Record<string, unknown>) {
    this.log(null, LogLevel.Info, msg, undefined, undefined, fields);
  }
  warn(msg: string, fields?: Record<string, unknown>) {
    this.log(null, LogLevel.Warn, msg, undefined, undefined, fields);
  }
  error(msg: string, fields?: Record<string, unknown>, err?: unknown) {
    this.log(null, LogLevel.Error, msg, err instanceof Error ? err : err === undefined ? undefined : new Error(String(err)), undefined, fields);
  }
  debug(msg: string, fields?: Record<string, unknown>) {
    this.log(null, LogLevel.Debug, msg, undefined, undefined, fields);
  }
}
