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
    const event = (i: number, details: Record<string, unknown> = { i }) => ({
      id: randomUUID(),
      occurredAt: new Date(),
      actorId: "system",
      action: "test.batch",
      targetType: "batch",
      targetId: String(i),
      requestId: "",
      service: "test",
      details,
    });
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
    const row = await db.queryRow<{
      chained: boolean;
      campaign_id: string | null;
    }>`SELECT chain_seq IS NOT NULL AS chained, campaign_id FROM audit_log WHERE id = ${legacy}`;
    expect(row).toEqual({ chained: true, campaign_id: "c-1" });
    expect((await verify()).valid).toBe(true);
  });

  test("erased details leave the chain valid and the entries redacted", async () => {
    const subject = await user("viewer");
    const { logId } = await compliance.createAuditLog(
      { action: "test.personal", targetType: "user", targetId: subject.id, details: { phone: "+14155550100" } },
      as(admin),
    );
    expect(await eraseAuditDetailsOf(subject.id)).toBeGreaterThanOrEqual(1);
    const result = await verify();
    expect(result.valid).toBe(true);
    expect(result.redacted).toBeGreaterThanOrEqual(1);
    const { logs } = await compliance.getAuditLogs({ start: START, end: END, userId: admin.id }, as(admin));
    expect(logs.find((l) => l.id === logId)).toMatchObject({ redacted: true, details: {}, action: "test.personal" });
  });
});

describe("writing and reading entries", () => {
  test("the caller is recorded as the actor; pages follow the cursor in chain order", async () => {
    const writer = await user("manager");
    // A campaign they manage but did not create (so the only entries they made are the ones below).
    const theirs = await newCampaign(admin);
    await campaigns.addCampaignMember({ id: theirs, userId: writer.id, role: "manager" }, as(admin));
    const written: string[] = [];
    for (let i = 0; i < 5; i++)
      written.push((await compliance.createAuditLog({ action: "outreach.call_made", campaignId: theirs, details: { page: i } }, as(writer))).logId);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await compliance.getAuditLogs({ start: START, end: END, userId: writer.id, limit: 2, cursor }, as(admin));
      seen.push(...page.logs.map((l) => l.id));
      for (const l of page.logs)
        expect(l).toMatchObject({
          actorId: writer.id,
          action: "outreach.call_made",
          service: "compliance",
          targetType: "campaign",
          targetId: theirs,
          campaignId: theirs,
          redacted: false,
          userSubmitted: true,
        });
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

describe("entries users write", () => {
  const forge = { action: "campaign.deleted", targetType: "campaign" };

  test("a viewer who is not a member cannot forge an entry in a campaign's trail (the issue's case)", async () => {
    const viewer = await user("viewer");
    expect(await code(compliance.createAuditLog({ ...forge, targetId: campaignId }, as(viewer)))).toBe("invalid_argument");
    // Even with a free action name: the campaign is not theirs to write about.
    expect(await code(compliance.createAuditLog({ action: "outreach.call_made", targetType: "campaign", targetId: campaignId }, as(viewer)))).toBe("not_found");
    expect(await code(compliance.createAuditLog({ action: "outreach.call_made", campaignId }, as(viewer)))).toBe("not_found");
    // Nor about no campaign at all, e.g. naming an admin.
    expect(await code(compliance.createAuditLog({ action: "account.promoted", targetType: "user", targetId: admin.id }, as(viewer)))).toBe("permission_denied");
    const trail = await compliance.getAuditLogs({ start: START, end: END, campaignId }, as(admin));
    expect(trail.logs.filter((l) => l.actorId === viewer.id)).toEqual([]);
  });

  test("a member who does not manage the campaign is refused; its manager and admins may write", async () => {
    const member = await user("analyst");
    await campaigns.addCampaignMember({ id: campaignId, userId: member.id }, as(manager));
    expect(await code(compliance.createAuditLog({ action: "outreach.call_made", campaignId }, as(member)))).toBe("permission_denied");
    const other = await newCampaign(admin);
    expect(await code(compliance.createAuditLog({ action: "outreach.call_made", campaignId: other }, as(manager)))).toBe("not_found");
    const byManager = await compliance.createAuditLog({ action: "outreach.call_made", campaignId, details: { with: "county chair" } }, as(manager));
    const byAdmin = await compliance.createAuditLog({ action: "outreach.call_made", campaignId: other }, as(admin));
    const stored = await compliance.getAuditLogs({ start: START, end: END, campaignId }, as(manager));
    expect(stored.logs.find((l) => l.id === byManager.logId)).toMatchObject({
      actorId: manager.id,
      targetType: "campaign",
      targetId: campaignId,
      userSubmitted: true,
      details: { with: "county chair" },
    });
    // The services' own entries are not marked.
    expect(stored.logs.find((l) => l.action === "campaign.created")).toMatchObject({ userSubmitted: false });
    expect(byAdmin.logId).toEqual(expect.any(String));
  });

  test("no action of the services' vocabulary, for anyone (admins included)", async () => {
    for (const action of [
      "campaign.deleted",
      "user.role_changed",
      "User.Created",
      "session.revoked_all",
      "login.locked",
      "alert.acknowledged",
      "consent.opted_out",
    ]) {
      expect(await code(compliance.createAuditLog({ action, campaignId }, as(admin))), action).toBe("invalid_argument");
      expect(await code(compliance.createAuditLog({ action, campaignId }, as(manager))), action).toBe("invalid_argument");
    }
    const refused: unknown = await compliance
      .createAuditLog({ action: "user.role_changed", targetType: "user", targetId: admin.id }, as(admin))
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "invalid_argument", message: expect.stringMatching(/recorded by the services themselves/) });
  });

  test("details are bounded: depth, size, values; NUL and lone surrogates are refused with a 400", async () => {
    // 50 levels here: far deeper values (the 5,000) are refused before the handler by the
    // runtime's malformed-input layer, and by domain/submitted.ts's iterative walk (its tests).
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 50; i++) deep = { d: deep };
    const cases: Record<string, unknown>[] = [
      deep,
      { text: "x".repeat(20_000) },
      { list: Array.from({ length: 3000 }, (_, i) => i) },
      { note: "a\u0000b" },
      { "k\u0000": 1 },
      { note: "\ud800 alone" },
    ];
    for (const details of cases)
      expect(await code(compliance.createAuditLog({ action: "outreach.call_made", campaignId, details }, as(manager)))).toBe("invalid_argument");
    expect(await code(compliance.createAuditLog({ action: "outreach.call_made", campaignId, targetType: "user", targetId: "a\u0000b" }, as(manager)))).toBe(
      "invalid_argument",
    );
    let ok: Record<string, unknown> = { leaf: "😀 fine" };
    for (let i = 0; i < 6; i++) ok = { d: ok };
    await expect(compliance.createAuditLog({ action: "outreach.call_made", campaignId, details: ok }, as(manager))).resolves.toMatchObject({
      logId: expect.any(String),
    });
    expect((await verify()).valid).toBe(true);
  });

  test("the user-submitted mark is chained: flipping it either way breaks verification", async () => {
    const { logId } = await compliance.createAuditLog({ action: "outreach.call_made", campaignId }, as(manager));
    const flipped = await tampered(
      () => db.exec`UPDATE audit_log SET user_submitted = false WHERE id = ${logId}`,
      () => db.exec`UPDATE audit_log SET user_submitted = true WHERE id = ${logId}`,
    );
    expect(flipped).toMatchObject({ valid: false, firstBroken: { logId, reason: "content_altered" } });
    const service = await db.queryRow<{ id: string }>`SELECT id::text AS id FROM audit_log WHERE action = 'campaign.created' AND chain_seq IS NOT NULL LIMIT 1`;
    const claimed = await tampered(
      () => db.exec`UPDATE audit_log SET user_submitted = true WHERE id = ${service!.id}::uuid`,
      () => db.exec`UPDATE audit_log SET user_submitted = false WHERE id = ${service!.id}::uuid`,
    );
    expect(claimed).toMatchObject({ valid: false, firstBroken: { logId: service!.id, reason: "content_altered" } });
    expect((await verify()).valid).toBe(true);
  });
});
