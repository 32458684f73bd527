// POST /api/v1/compliance/check: the pure rule set (domain/rules.ts) behind input checks. Every
// check is written to the audit log (who asked, what was checked, the verdict), so regulation
// reports can list the checks run in a period.
import { createHash } from "node:crypto";
import { APIError } from "encore.dev/api";
import type { AuthData } from "~encore/auth";
import { campaigns } from "~encore/clients";
import { canSeeCampaign } from "../../shared/access";
import { auditOwn } from "../audit";
import { checkCommunication, CheckInputError } from "../domain/rules";
import type { ComplianceCheckRequest, ComplianceCheckResponse } from "../model";

const MAX_RECIPIENTS = 10_000;
const MAX_TEXT = 100_000;

/** The audit action of a check (reports read it back). */
export const CHECK_ACTION = "compliance.checked";

/** Judges one communication and audits the verdict; bad input (unknown channel, sender type or time zone, too large) is a 400. */
export async function check(caller: NonNullable<AuthData>, req: ComplianceCheckRequest): Promise<ComplianceCheckResponse> {
  const data = req.data;
  if (!data || typeof data !== "object") throw APIError.invalidArgument("data is required");
  if ((data.recipients?.length ?? 0) > MAX_RECIPIENTS) throw APIError.invalidArgument(`at most ${MAX_RECIPIENTS} recipients per check`);
  if ((data.text?.length ?? 0) > MAX_TEXT) throw APIError.invalidArgument(`text is longer than ${MAX_TEXT} characters`);
  const campaignId = data.campaignId?.trim() || null;
  if (campaignId) {
    // Checked for a campaign: only one the caller may see (404 like a missing one).
    const view = await campaigns.getCampaignAccess({ campaignId, userID: caller.userID });
    if (!view.exists || !canSeeCampaign(caller, view.memberRole)) throw APIError.notFound("campaign not found");
  }
  let result: ReturnType<typeof checkCommunication>;
  try {
    result = checkCommunication({ ...data, recipients: data.recipients ?? [] });
  } catch (err) {
    if (err instanceof CheckInputError) throw APIError.invalidArgument(err.message);
    throw err;
  }
  // The text itself is not kept (it may hold personal data): its fingerprint ties the entry to it.
  const fingerprint = createHash("sha256")
    .update(JSON.stringify({ channel: data.channel, text: data.text, sender: data.sender }))
    .digest("hex");
  const checkId = await auditOwn({
    actorId: caller.userID,
    action: CHECK_ACTION,
    targetType: "communication",
    targetId: fingerprint.slice(0, 32),
    details: {
      ...(campaignId ? { campaignId } : {}),
      channel: String(data.channel).trim().toLowerCase(),
      region: data.region,
      recipients: data.recipients?.length ?? 0,
      compliant: result.compliant,
      rulesApplied: result.rulesApplied,
      findings: result.findings.map((f) => ({ rule: f.rule, regulation: f.regulation, ...(f.recipient ? { recipient: f.recipient } : {}) })),
    },
  });
  return {
    compliant: result.compliant,
    issues: result.findings.map((f) => `${f.message} [${f.regulation}: ${f.citation}]`),
    findings: result.findings,
    rulesApplied: result.rulesApplied,
    checkId,
  };
}
