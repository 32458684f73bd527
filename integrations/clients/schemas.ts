// Provider payloads are parsed with zod schemas before anything reads them: a payload that drifted
// from the schema (a renamed field, a string where a number was) is a "malformed" ProviderError
// naming the paths that failed, logged once here, never a crash or wrong data stored.
import log from "encore.dev/log";
import type { z } from "zod";
import type { Decoder } from "./http";

/** The first few schema issues as "path: message" (payload values are not echoed: they may be personal data). */
export function describeIssues(error: z.ZodError, max = 5): string {
  const shown = error.issues.slice(0, max).map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`);
  return shown.join("; ") + (error.issues.length > max ? `; and ${error.issues.length - max} more` : "");
}

/** A Decoder that parses with `schema`; `what` names the payload in the error. */
export function decodeWith<S extends z.ZodType>(schema: S, what: string, provider = what.split(" ")[0]!.toLowerCase()): Decoder<z.output<S>> {
  return (body) => {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const issues = describeIssues(parsed.error);
    log.warn("provider payload does not match its schema", { provider, payload: what, issues });
    return { malformed: `${what} does not match its schema: ${issues}` };
  };
}
