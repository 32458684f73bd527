// POST /api/v1/compliance/check: the pure rule set (domain/rules.ts) behind input checks.
import { APIError } from "encore.dev/api";
import { checkCommunication, CheckInputError } from "./domain/rules";
import type { ComplianceCheckRequest, ComplianceCheckResponse } from "./model";

const MAX_RECIPIENTS = 10_000;
const MAX_TEXT = 100_000;

/** Judges one communication; bad input (unknown channel or time zone, too large) is a 400. */
export function check(req: ComplianceCheckRequest): ComplianceCheckResponse {
  const data = req.data;
  if (!data || typeof data !== "object") throw APIError.invalidArgument("data is required");
  if ((data.recipients?.length ?? 0) > MAX_RECIPIENTS) throw APIError.invalidArgument(`at most ${MAX_RECIPIENTS} recipients per check`);
  if ((data.text?.length ?? 0) > MAX_TEXT) throw APIError.invalidArgument(`text is longer than ${MAX_TEXT} characters`);
  try {
    const result = checkCommunication({ ...data, recipients: data.recipients ?? [] });
    return { compliant: result.compliant, issues: result.findings.map((f) => `${f.message} [${f.regulation}: ${f.citation}]`), findings: result.findings, rulesApplied: result.rulesApplied };
  } catch (err) {
    if (err instanceof CheckInputError) throw APIError.invalidArgument(err.message);
    throw err;
  }
}
