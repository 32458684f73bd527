// compliance's private endpoints: its own part of the retention/erasure contract (the audit log's
// personal-data side table), and the enforcement passes the cron jobs run.
import { api, APIError } from "encore.dev/api";
import { createHash } from "node:crypto";
import { auditOwn } from "./audit";
import type { ConsentChangeRequest, ConsentChangeResponse, ErasureProcessResult, OptOutRequest, OptOutResponse, RetentionRun } from "./model";
import type { ErasureRequest, ErasureResult, PurgeRequest, PurgeResult } from "../shared/retention";
import { processDue } from "./flows/erasure";
import { enforce } from "./flows/retention";
import * as store from "./store";

// purgeRetention erases the audit log's details (its personal part) of entries older than `before`; the hash chain stays verifiable.
export const purgeRetention = api(
  { expose: false, method: "POST", path: "/internal/compliance/retention/purge" },
  async ({ dataClass, before }: PurgeRequest): Promise<PurgeResult> => {
    if (dataClass !== "audit_log") throw APIError.invalidArgument(`compliance does not own ${dataClass}`);
    return { dataClass, deleted: await store.purgeAuditDetails(new Date(before)) };
  },
);

// eraseUserData erases the details of audit entries made by or about a user; the chain entries remain (pseudonymous, reported as redacted).
export const eraseUserData = api(
  { expose: false, method: "POST", path: "/internal/compliance/erasure" },
  async ({ userId }: ErasureRequest): Promise<ErasureResult> => ({ service: "compliance", erased: { audit_details: await store.eraseAuditDetailsOf(userId) } }),
);

// enforceRetention runs the retention policy once (the daily cron job).
export const enforceRetention = api(
  { expose: false, method: "POST", path: "/internal/compliance/retention/run" },
  (): Promise<RetentionRun> => enforce("system"),
);

// processErasures attempts the due erasure tasks (the retry cron job).
export const processErasures = api(
  { expose: false, method: "POST", path: "/internal/compliance/erasure/process" },
  (): Promise<ErasureProcessResult> => processDue(),
);

const E164 = /^\+[1-9]\d{6,14}$/;

/** A pseudonymous id for a phone number (audit targets, consent events). */
export const addressHash = (address: string) => createHash("sha256").update(address).digest("hex").slice(0, 32);

// recordConsentChange records an opt-out (STOP) or opt-in (START) for a phone number, once per source message; audited without the number in the chain.
export const recordConsentChange = api(
  { expose: false, method: "POST", path: "/internal/compliance/consent" },
  async (req: ConsentChangeRequest): Promise<ConsentChangeResponse> => {
    if (!E164.test(req.address)) throw APIError.invalidArgument("address must be an E.164 phone number");
    const hash = addressHash(req.address);
    const recorded = await store.recordConsentChange({
      address: req.address,
      addressHash: hash,
      kind: req.kind,
      keyword: req.keyword.slice(0, 50),
      channel: req.channel,
      sourceId: req.sourceId?.trim() || null,
    });
    if (recorded) {
      await auditOwn({
        actorId: "system",
        action: req.kind === "opt_out" ? "consent.opted_out" : "consent.opted_in",
        targetType: "phone",
        targetId: hash,
        details: { phone: req.address, keyword: req.keyword, channel: req.channel },
      });
    }
    return { recorded };
  },
);

// getOptOut tells whether a phone number has opted out of messages (integrations refuses to send to it).
export const getOptOut = api(
  { expose: false, method: "GET", path: "/internal/compliance/opt-outs" },
  async ({ address }: OptOutRequest): Promise<OptOutResponse> => ({ optedOut: await store.isOptedOut(address) }),
);
