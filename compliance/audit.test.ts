// The audit log through its endpoints, against this file's own database: the hash chain (serialised
// appends, an edited, a deleted and a truncated row caught by verification, erased details reported
// as redacted), writing and reading entries (cursor pagination, bad input), who may read, and events
// from several services stored once each.
import "../tests/fakes/auth-secrets";
import { beforeAll, describe, expect, test } from "vitest";
import { randomUUID } from "node:crypto";
import { auth, campaigns, compliance, users } from "~encore/clients";
import type { Role } from "../shared/permissions";
import { db } from "./db";
import "./subscriptions";
import { recordAuditEvent } from "./subscriptions";
import { appendAuditEvent, auditEventsFor, eraseAuditDetailsOf } from "./store";
import { as, campaignRequest, code, type Profile } from "../tests/inproc";

const PASSWORD = "password-for-tests";

let n = 0;
let admin: Profile;
let manager: Profile;
let analyst: Profile;
let campaignId: string;
const START = "2000-01-01T00:00:00Z";
const END = "2100-01-01T00:00:00Z";

async function user(role: Role): Promise<Profile> {
  return (await users.createUser({ email: `comp-${++n}@example.org`, password: PASSWORD, name: `User ${n}`, role }, as(admin))).user;
}

async function newCampaign(owner: Profile): Promise<string> {
  const c = await campaigns.createCampaign(campaignRequest({ name: `Campaign ${++n}` }), as(owner));
  return c.id;
}

const verify = () => compliance.verifyAuditLogs(as(admin));

/** Runs `tamper` (SQL against the chain), checks what verification says, then undoes it with `restore`. */
async function tampered(tamper: () => Promise<void>, restore: () => Promise<void>) {
  await tamper();
  try {
    return await verify();
  } finally {
    await restore();
  }
}

beforeAll(async () => {
  admin = (await auth.register({ email: "admin@example.org", password: PASSWORD, name: "Admin" })).user;
  [manager, analyst] = await Promise.all([user("manager"), user("analyst")]);
  campaignId = await newCampaign(manager);
});

describe("the hash chain", () => {
  test("concurrent appends form one valid chain with one order", async () => {
    const ids = await Promise.all(Array.from({ length: 25 }, (_, i) => compliance.createAuditLog({ action: "test.concurrent", details: { i } }, as(admin))));
    expect(new Set(ids.map((r) => r.logId)).size).toBe(25);
    const result = await verify();
    expect(result).toMatchObject({ valid: true, redacted: 0 });
    expect(result.checked).toBeGreaterThanOrEqual(25);
    const ours = await db.queryRow<{ max: string }>`SELECT max(chain_seq)::text AS max FROM audit_log WHERE action = 'test.concurrent'`;
    expect(result.headSeq).toBeGreaterThanOrEqual(Number(ours!.max));
  });

  test("appends queued together are written together; one bad event fails alone", async () => {
    const event = (i: number, details: Record<string, unknown> = { i }) => ({ id: randomUUID(), occurredAt: new Date(), actorId: "system", action: "test.batch", targetType: "batch", targetId: String(i), requestId: "", service: "test", details });
    const results = await Promise.allSettled([event(1), event(2, { bad: "nul \u0000 byte" }), event(3)].map((e) => appendAuditEvent(e)));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((await auditEventsFor("batch", "1")).length + (await auditEventsFor("batch", "3")).length).toBe(2);
    expect(await auditEventsFor("batch", "2")).toEqual([]);
    await expect(appendAuditEvent({ ...event(4), id: "not-a-uuid" })).rejects.toThrow(/UUID/);
    expect((await verify()).valid).toBe(true);
  });

  test("a row edited in SQL fails verification at that row", async () => {
    const { logId } = await compliance.createAuditLog({ action: "test.edit", details: { amount: 10 } }, as(admin));
    await compliance.createAuditLog({ action: "test.after", details: {} }, as(admin));
    const row = (await db.queryRow<{ seq: string }>`SELECT chain_seq::text AS seq FROM audit_log WHERE id = ${logId}`)!;
    const result = await tampered(
      () => db.exec`UPDATE audit_log SET action = 'test.innocent' WHERE id = ${logId}`,
      () => db.exec`UPDATE audit_log SET action = 'test.edit' WHERE id = ${logId}`,
    );
    expect(result.valid).toBe(false);
    expect(result.firstBroken).toMatchObject({ seq: Number(row.seq), logId, reason: "content_altered" });

    const details = await tampered(
      () => db.exec`UPDATE audit_details SET details = '{"amount": 1000}'::jsonb WHERE log_id = ${logId}`,
      () => db.exec`UPDATE audit_details SET details = '{"amount": 10}'::jsonb WHERE log_id = ${logId}`,
    );
    expect(details.firstBroken).toMatchObject({ seq: Number(row.seq), logId, reason: "details_altered" });
    expect((await verify()).valid).toBe(true);
  });

  test("a row deleted in SQL fails verification at the row after it; deleting the newest row is caught too", async () => {
    const { logId } = await compliance.createAuditLog({ action: "test.delete", details: { x: 1 } }, as(admin));
    const { logId: nextId } = await compliance.createAuditLog({ action: "test.next", details: {} }, as(admin));
    const next = (await db.queryRow<{ seq: string }>`SELECT chain_seq::text AS seq FROM audit_log WHERE id = ${nextId}`)!;
    // Plain tables (this file's own database): the pool's connections all see them.
    await db.exec`CREATE TABLE IF NOT EXISTS saved_log AS SELECT * FROM audit_log WITH NO DATA`;
    await db.exec`CREATE TABLE IF NOT EXISTS saved_details AS SELECT * FROM audit_details WITH NO DATA`;
    const cut = async (id: string) => {
      await db.exec`DELETE FROM saved_log`;
      await db.exec`DELETE FROM saved_details`;
      await db.exec`INSERT INTO saved_log SELECT * FROM audit_log WHERE id = ${id}`;
      await db.exec`INSERT INTO saved_details SELECT * FROM audit_details WHERE log_id = ${id}`;
      await db.exec`DELETE FROM audit_details WHERE log_id = ${id}`;
      await db.exec`DELETE FROM audit_log WHERE id = ${id}`;
    };
    const paste = async () => {
      await db.exec`INSERT INTO audit_log SELECT * FROM saved_log`;
      await db.exec`INSERT INTO audit_details SELECT * FROM saved_details`;
    };
    const middle = await tampered(() => cut(logId), paste);
    expect(middle.valid).toBe(false);
    expect(middle.firstBroken).toMatchObject({ seq: Number(next.seq), logId: nextId, reason: "link_broken" });

    const newest = await tampered(() => cut(nextId), paste);
    expect(newest.firstBroken).toMatchObject({ reason: "head_mismatch" });
    expect((await verify()).valid).toBe(true);
  });

  test("rows stored before the chain existed (or whose appender died before chaining) are chained by the next append", async () => {
    const legacy = randomUUID();
    await db.exec`INSERT INTO audit_log (id, occurred_at, actor_id, action, target_type, target_id, request_id, service)
                  VALUES (${legacy}, now(), 'system', 'legacy.event', 'thing', 'x', '', 'auth')`;
    await db.exec`INSERT INTO audit_details (log_id, details) VALUES (${legacy}, '{"campaignId": "c-1"}'::jsonb)`;
    await compliance.createAuditLog({ action: "test.later" }, as(admin));
    const row = await db.queryRow<{ chained: boolean; campaign_id: string | null }>`SELECT chain_seq IS NOT NULL AS chained, campaign_id FROM audit_log WHERE id = ${legacy}`;
    expect(row).toEqual({ chained: true, campaign_id: "c-1" });
    expect((await verify()).valid).toBe(true);
  });

  test("erased details leave the chain valid and the entries redacted", async () => {
    const subject = await user("viewer");
    const { logId } = await compliance.createAuditLog({ action: "test.personal", details: { phone: "+14155550100" } }, as(subject));
    expect(await eraseAuditDetailsOf(subject.id)).toBeGreaterThanOrEqual(1);
    const result = await verify();
    expect(result.valid).toBe(true);
    expect(result.redacted).toBeGreaterThanOrEqual(1);
    const { logs } = await compliance.getAuditLogs({ start: START, end: END, userId: subject.id }, as(admin));
    expect(logs.find((l) => l.id === logId)).toMatchObject({ redacted: true, details: {}, action: "test.personal" });
  });
});

describe("writing and reading entries", () => {
  test("the caller is recorded as the actor; pages follow the cursor in chain order", async () => {
    const writer = await user("viewer");
    const written: string[] = [];
    for (let i = 0; i < 5; i++) written.push((await compliance.createAuditLog({ action: "report.exported", details: { page: i } }, as(writer))).logId);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await compliance.getAuditLogs({ start: START, end: END, userId: writer.id, limit: 2, cursor }, as(admin));
      seen.push(...page.logs.map((l) => l.id));
      for (const l of page.logs) expect(l).toMatchObject({ actorId: writer.id, action: "report.exported", service: "compliance", targetId: writer.id, redacted: false });
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(written);
    expect(pages).toBe(3);
  });

  test("start and end are required, valid and ordered; bad cursors and actions are refused", async () => {
    expect(await code(compliance.getAuditLogs({ start: END, end: START }, as(admin)))).toBe("invalid_argument");
    expect(await code(compliance.getAuditLogs({ start: "yesterday", end: END }, as(admin)))).toBe("invalid_argument");
    expect(await code(compliance.getAuditLogs({ start: "", end: END }, as(admin)))).toBe("invalid_argument");
    expect(await code(compliance.getAuditLogs({ start: START, end: END, cursor: "!!" }, as(admin)))).toBe("invalid_argument");
    expect(await code(compliance.getAuditLogs({ start: START, end: END, campaignId: "nope" }, as(admin)))).toBe("invalid_argument");
    expect(await code(compliance.createAuditLog({ action: "has spaces" }, as(admin)))).toBe("invalid_argument");
    expect(await code(compliance.createAuditLog({ action: "" }, as(admin)))).toBe("invalid_argument");
  });

  test("admins read everything; managers only the campaigns they manage; others nothing", async () => {
    await expect.poll(async () => (await auditEventsFor("campaign", campaignId)).length, { timeout: 15_000 }).toBeGreaterThan(0);
    const mine = await compliance.getAuditLogs({ start: START, end: END, campaignId }, as(manager));
    expect(mine.logs.length).toBeGreaterThan(0);
    expect(mine.logs.every((l) => l.campaignId === campaignId)).toBe(true);
    expect(mine.logs.map((l) => l.action)).toContain("campaign.created");
    expect(await code(compliance.getAuditLogs({ start: START, end: END }, as(manager)))).toBe("permission_denied");
    const other = await newCampaign(admin);
    expect(await code(compliance.getAuditLogs({ start: START, end: END, campaignId: other }, as(manager)))).toBe("not_found");
    expect(await code(compliance.getAuditLogs({ start: START, end: END, campaignId }, as(analyst)))).toBe("permission_denied");
    expect(await code(compliance.verifyAuditLogs(as(manager)))).toBe("permission_denied");
    expect(await code(compliance.getAuditLogs({ start: START, end: END }))).toBe("unauthenticated");
  });

  test("events from several services are stored once each, even when delivered twice", async () => {
    const viewer = await user("viewer");
    await users.updateUser({ id: viewer.id, name: "Renamed" }, as(admin));
    await expect.poll(async () => (await auditEventsFor("user", viewer.id)).map((e) => e.action), { timeout: 15_000 }).toContain("user.updated");
    const stored = [...(await auditEventsFor("user", viewer.id)), ...(await auditEventsFor("campaign", campaignId))];
    expect(new Set(stored.map((e) => e.service))).toEqual(new Set(["auth", "campaigns"]));
    for (const e of stored) await recordAuditEvent({ ...e });
    const again = [...(await auditEventsFor("user", viewer.id)), ...(await auditEventsFor("campaign", campaignId))];
    expect(again.map((e) => e.id)).toEqual(stored.map((e) => e.id));
    const fresh = { ...stored[0]!, id: randomUUID() };
    await recordAuditEvent(fresh);
    await recordAuditEvent(fresh);
    expect((await auditEventsFor(fresh.targetType, fresh.targetId)).filter((e) => e.id === fresh.id)).toHaveLength(1);
    expect((await verify()).valid).toBe(true);
  });
});
