// campaigns' endpoints through the generated clients (auth data and schemas enforced), against this
// file's own database: input validation, paging, status transitions, the cache, keywords, alert
// contacts, the team, the internal endpoints and the audit trail.
import "../tests/fakes/auth-secrets";
import { beforeAll, describe, expect, test } from "vitest";
import { auth, campaigns, users } from "~encore/clients";
import { auditEventsFor } from "../compliance/store";
// The audit log's subscription runs in this process once its module is loaded.
import "../compliance/subscriptions";
import type { Role } from "../shared/permissions";
import * as store from "./store";
import { as, type Profile } from "../tests/inproc";

const PASSWORD = "password-for-tests";
type CreateRequest = Parameters<typeof campaigns.createCampaign>[0];

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  return p.then(
    () => ({ code: "ok", message: "" }),
    (err: { code?: string; message?: string }) => ({ code: err.code ?? String(err), message: err.message ?? "" }),
  );
}
const code = async (p: Promise<unknown>) => (await failure(p)).code;

let n = 0;
let admin: Profile;
let manager: Profile;
async function user(role: Role): Promise<Profile> {
  const { user } = await users.createUser({ email: `api-${++n}@example.org`, password: PASSWORD, name: `User ${n}`, role }, as(admin));
  return user;
}

function request(overrides: Partial<CreateRequest> = {}): CreateRequest {
  return {
    name: `Campaign ${++n}`,
    description: "Statewide re-election",
    startDate: new Date("2026-01-01T00:00:00Z"),
    endDate: new Date("2026-11-03T00:00:00Z"),
    budget: 250_000,
    targetAudience: {
      demographics: { ageRange: { min: 18, max: 65 }, gender: ["all"], income: "middle", education: "any" },
      interests: ["healthcare", "jobs"],
      locations: ["Ohio"],
      platforms: ["facebook", "google"],
    },
    ...overrides,
  };
}

beforeAll(async () => {
  admin = (await auth.register({ email: "admin@example.org", password: PASSWORD, name: "Admin" })).user;
  manager = await user("manager");
});

describe("creating a campaign", () => {
  test("returns a draft with zero metrics, as stored", async () => {
    const created = await campaigns.createCampaign(request({ name: "Rivera for Senate", budget: 1234.5 }), as(manager));
    expect(created).toMatchObject({
      name: "Rivera for Senate",
      status: "draft",
      budget: 1234.5,
      startDate: new Date("2026-01-01T00:00:00Z"),
      metrics: { impressions: 0, clicks: 0, conversions: 0, ctr: 0, cpc: 0, roi: 0, sentimentScore: 0, engagementRate: 0 },
      targetAudience: { platforms: ["facebook", "google"], demographics: { ageRange: { min: 18, max: 65 } } },
    });
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(await campaigns.getCampaignById({ id: created.id }, as(manager))).toEqual(created);
    // The creator runs the team.
    expect((await campaigns.getCampaignMembers({ id: created.id }, as(manager))).members).toEqual([
      { userId: manager.id, role: "manager", addedBy: manager.id, addedAt: expect.any(Date) },
    ]);
  });

  const audience = request().targetAudience;
  test.each<[string, Record<string, unknown>]>([
    ["a name under 3 characters", { name: "ab" }],
    ["a name over 100 characters", { name: "x".repeat(101) }],
    ["a name of spaces", { name: "      " }],
    ["a description over 1000 characters", { description: "x".repeat(1001) }],
    ["a budget under 100", { budget: 99 }],
    ["a budget over 1,000,000", { budget: 1_000_001 }],
    ["a budget that is not a number", { budget: "lots" }],
    ["an end date before the start", { endDate: new Date("2025-12-01T00:00:00Z") }],
    ["an end date equal to the start", { endDate: new Date("2026-01-01T00:00:00Z") }],
    ["a start date that is not a date", { startDate: "soon" }],
    ["no end date", { endDate: undefined }],
    ["no target audience", { targetAudience: undefined }],
    ["an unknown platform", { targetAudience: { ...audience, platforms: ["myspace"] } }],
    ["an unknown gender value", { targetAudience: { ...audience, demographics: { ...audience.demographics, gender: ["other"] } } }],
    ["an age under 13", { targetAudience: { ...audience, demographics: { ...audience.demographics, ageRange: { min: 12, max: 30 } } } }],
    ["an age range upside down", { targetAudience: { ...audience, demographics: { ...audience.demographics, ageRange: { min: 50, max: 30 } } } }],
    ["too many interests", { targetAudience: { ...audience, interests: Array.from({ length: 101 }, (_, i) => `i${i}`) } }],
  ])("refuses %s with invalid_argument", async (_, change) => {
    expect(await code(campaigns.createCampaign({ ...request(), ...change } as CreateRequest, as(manager)))).toBe("invalid_argument");
  });
});

describe("listing campaigns", () => {
  test("pages newest first with the total, filters by status, and checks page and limit", async () => {
    const lister = await user("manager");
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await campaigns.createCampaign(request({ name: `Paged ${i}` }), as(lister))).id);
    await campaigns.updateCampaign({ id: made[0], status: "active" }, as(lister));

    const pages = [];
    for (const page of [1, 2, 3, 4]) pages.push(await campaigns.getCampaigns({ page, limit: 2 }, as(lister)));
    expect(pages.map((p) => p.campaigns.length)).toEqual([2, 2, 1, 0]);
    expect(pages.every((p) => p.total === 5 && p.limit === 2)).toBe(true);
    expect(pages.map((p) => p.page)).toEqual([1, 2, 3, 4]);
    expect(pages.flatMap((p) => p.campaigns.map((c) => c.id))).toEqual([...made].reverse());

    expect(await campaigns.getCampaigns({ status: "active" }, as(lister))).toMatchObject({ total: 1, campaigns: [{ id: made[0] }], page: 1, limit: 20 });
    expect((await campaigns.getCampaigns({ status: "draft" }, as(lister))).total).toBe(4);
    expect((await campaigns.getCampaigns({ status: "completed" }, as(lister))).campaigns).toEqual([]);

    for (const bad of [{ page: 0 }, { limit: 0 }, { limit: 101 }, { status: "archived" }, { page: "two" }]) {
      expect(await code(campaigns.getCampaigns(bad as never, as(lister))), JSON.stringify(bad)).toBe("invalid_argument");
    }
  });
});

describe("updating a campaign", () => {
  test("a partial update changes only the given fields", async () => {
    const c = await campaigns.createCampaign(request(), as(manager));
    const updated = await campaigns.updateCampaign({ id: c.id, budget: 300_000, description: "New plan" }, as(manager));
    expect(updated).toMatchObject({ name: c.name, budget: 300_000, description: "New plan", status: "draft", targetAudience: c.targetAudience });
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(c.updatedAt.getTime());
  });

  test("bad values are invalid_argument, and dates are checked against the stored ones", async () => {
    const c = await campaigns.createCampaign(request(), as(manager));
    expect(await code(campaigns.updateCampaign({ id: c.id, endDate: new Date("2025-06-01T00:00:00Z") }, as(manager)))).toBe("invalid_argument");
    expect(await code(campaigns.updateCampaign({ id: c.id, budget: 10 }, as(manager)))).toBe("invalid_argument");
    expect(await code(campaigns.updateCampaign({ id: c.id, name: "no" }, as(manager)))).toBe("invalid_argument");
    expect(await code(campaigns.updateCampaign({ id: c.id, status: "archived" } as never, as(manager)))).toBe("invalid_argument");
    expect(await campaigns.getCampaignById({ id: c.id }, as(manager))).toEqual(c);
  });

  test("the status walks draft → active → paused → active → completed", async () => {
    const { id } = await campaigns.createCampaign(request(), as(manager));
    for (const status of ["active", "paused", "active", "completed"] as const) {
      expect((await campaigns.updateCampaign({ id, status }, as(manager))).status).toBe(status);
    }
  });

  test.each<[string[], string]>([
    [[], "paused"],
    [[], "completed"],
    [["active"], "draft"],
    [["active", "paused"], "draft"],
    [["active", "completed"], "active"],
    [["active", "completed"], "paused"],
    [["active", "completed"], "draft"],
  ])("after %j, → %s is failed_precondition naming the transition", async (path, to) => {
    const { id } = await campaigns.createCampaign(request(), as(manager));
    for (const status of path) await campaigns.updateCampaign({ id, status: status as never }, as(manager));
    const from = path.at(-1) ?? "draft";
    const refused = await failure(campaigns.updateCampaign({ id, status: to as never, name: "Renamed meanwhile" }, as(manager)));
    expect(refused.code).toBe("failed_precondition");
    expect(refused.message).toContain(`from ${from} to ${to}`);
    // Nothing of a refused update is applied.
    expect(await campaigns.getCampaignById({ id }, as(manager))).toMatchObject({ status: from, name: expect.not.stringContaining("Renamed") });
  });
});

describe("the cache", () => {
  test("reads are served from the cache, and every write through the API is visible at once", async () => {
    const c = await campaigns.createCampaign(request({ name: "Cached" }), as(manager));
    await campaigns.getCampaignById({ id: c.id }, as(manager)); // now cached
    // A change behind the API's back (straight to the database) is not seen while the entry lives...
    await store.updateCampaign(c.id, (current) => ({ next: { ...current, name: "Changed behind the cache" } }));
    expect((await campaigns.getCampaignById({ id: c.id }, as(manager))).name).toBe("Cached");
    // ...and a write through the API invalidates it: the next read is the new state.
    expect((await campaigns.updateCampaign({ id: c.id, description: "via the API" }, as(manager))).description).toBe("via the API");
    expect(await campaigns.getCampaignById({ id: c.id }, as(manager))).toMatchObject({ name: "Changed behind the cache", description: "via the API" });
  });

  test("lists and access follow creation, membership and status changes immediately", async () => {
    const lead = await user("manager");
    const viewer = await user("viewer");
    const ids = async (u: Profile, status?: "active") => (await campaigns.getCampaigns({ status }, as(u))).campaigns.map((c) => c.id);
    expect(await ids(lead)).toEqual([]);
    const { id } = await campaigns.createCampaign(request(), as(lead));
    expect(await ids(lead)).toEqual([id]);
    expect(await ids(lead, "active")).toEqual([]);
    await campaigns.updateCampaign({ id, status: "active" }, as(lead));
    expect(await ids(lead, "active")).toEqual([id]);

    expect(await code(campaigns.getCampaignById({ id }, as(viewer)))).toBe("not_found");
    expect(await ids(viewer)).toEqual([]);
    await campaigns.addCampaignMember({ id, userId: viewer.id }, as(lead));
    expect(await code(campaigns.getCampaignById({ id }, as(viewer)))).toBe("ok");
    expect(await ids(viewer)).toEqual([id]);
    await campaigns.removeCampaignMember({ id, userId: viewer.id }, as(lead));
    expect(await code(campaigns.getCampaignById({ id }, as(viewer)))).toBe("not_found");
    expect(await ids(viewer)).toEqual([]);
  });
});

describe("keywords", () => {
  test("are added with weights, re-adding one in another case sets its weight, and they are removed by id", async () => {
    const { id } = await campaigns.createCampaign(request(), as(manager));
    const first = await campaigns.addCampaignKeywords({ id, keywords: [{ keyword: "Rivera", weight: 2 }, { keyword: " senator  rivera " }] }, as(manager));
    expect(first.keywords.map((k) => [k.keyword, k.weight])).toEqual([
      ["Rivera", 2],
      ["senator rivera", 1],
    ]);
    const second = await campaigns.addCampaignKeywords(
      {
        id,
        keywords: [
          { keyword: "RIVERA", weight: 0.25 },
          { keyword: "Ohio jobs", weight: 9.99 },
        ],
      },
      as(manager),
    );
    expect(second.keywords.map((k) => [k.keyword, k.weight])).toEqual([
      ["Ohio jobs", 9.99],
      ["Rivera", 0.25],
      ["senator rivera", 1],
    ]);
    const ohio = second.keywords.find((k) => k.keyword === "Ohio jobs")!;
    expect(await campaigns.deleteCampaignKeyword({ id, keywordId: ohio.id }, as(manager))).toEqual({ success: true });
    expect((await campaigns.getCampaignKeywords({ id }, as(manager))).keywords.map((k) => k.keyword)).toEqual(["Rivera", "senator rivera"]);
    expect(await code(campaigns.deleteCampaignKeyword({ id, keywordId: ohio.id }, as(manager)))).toBe("not_found");
    expect(await code(campaigns.deleteCampaignKeyword({ id, keywordId: "nope" }, as(manager)))).toBe("not_found");
  });

  test("bad keywords and weights are invalid_argument; past 200 per campaign nothing is added", async () => {
    const { id } = await campaigns.createCampaign(request(), as(manager));
    for (const keywords of [
      [],
      [{ keyword: "" }],
      [{ keyword: "   " }],
      [{ keyword: "a", weight: 0 }],
      [{ keyword: "a", weight: 10 }],
      [{ keyword: "a" }, { keyword: "A" }],
      [{ keyword: "x".repeat(256) }],
    ]) {
      expect(await code(campaigns.addCampaignKeywords({ id, keywords }, as(manager))), JSON.stringify(keywords).slice(0, 60)).toBe("invalid_argument");
    }
    await campaigns.addCampaignKeywords({ id, keywords: Array.from({ length: 150 }, (_, i) => ({ keyword: `k${i}` })) }, as(manager));
    const over = await failure(campaigns.addCampaignKeywords({ id, keywords: Array.from({ length: 60 }, (_, i) => ({ keyword: `extra${i}` })) }, as(manager)));
    expect(over).toEqual({ code: "failed_precondition", message: "a campaign has at most 200 keywords (this would make 210)" });
    expect((await campaigns.getCampaignKeywords({ id }, as(manager))).keywords).toHaveLength(150);
  });
});

describe("alert contacts", () => {
  test("phones, WhatsApp, emails and Slack channels are stored normalised; duplicates are already_exists", async () => {
    const { id } = await campaigns.createCampaign(request(), as(manager));
    const add = (channel: "SMS" | "WHATSAPP" | "EMAIL" | "SLACK", address: string, minSeverity?: "LOW" | "CRITICAL") =>
      campaigns.addCampaignContact({ id, name: `${channel} contact`, channel, address, minSeverity }, as(manager));
    expect(await add("SMS", "+1 (415) 555-0123")).toMatchObject({ channel: "SMS", address: "+14155550123", minSeverity: "HIGH", campaignId: id });
    expect((await add("WHATSAPP", "whatsapp:+5511987654321", "CRITICAL")).address).toBe("+5511987654321");
    expect((await add("EMAIL", "War.Room@Campaign.org", "LOW")).address).toBe("war.room@campaign.org");
    expect((await add("SLACK", "#Crisis-Room")).address).toBe("#crisis-room");
    expect(await code(add("SMS", "+14155550123"))).toBe("already_exists");

    const { contacts } = await campaigns.getCampaignContacts({ id }, as(manager));
    expect(contacts.map((c) => c.channel)).toEqual(["EMAIL", "SLACK", "SMS", "WHATSAPP"]);
    const slack = contacts.find((c) => c.channel === "SLACK")!;
    expect(await campaigns.deleteCampaignContact({ id, contactId: slack.id }, as(manager))).toEqual({ success: true });
    expect(await code(campaigns.deleteCampaignContact({ id, contactId: slack.id }, as(manager)))).toBe("not_found");
  });

  test.each<[string, Record<string, unknown>]>([
    ["a phone without a country code", { channel: "SMS", address: "4155550123" }],
    ["letters in a phone", { channel: "WHATSAPP", address: "+1 415 CALL NOW" }],
    ["an email without a domain", { channel: "EMAIL", address: "ops@" }],
    ["a Slack channel without #", { channel: "SLACK", address: "crisis-room" }],
    ["an unknown channel", { channel: "PAGER", address: "123" }],
    ["a blank name", { name: "   " }],
    ["an unknown severity", { minSeverity: "URGENT" }],
  ])("refuses %s with invalid_argument", async (_, change) => {
    const { id } = await campaigns.createCampaign(request(), as(manager));
    const req = { id, name: "Press desk", channel: "SMS", address: "+14155550123", ...change };
    expect(await code(campaigns.addCampaignContact(req as never, as(manager)))).toBe("invalid_argument");
  });
});

describe("the team", () => {
  test("managers add members and change roles; a campaign manager must be a manager; users must exist", async () => {
    const { id } = await campaigns.createCampaign(request(), as(manager));
    const analyst = await user("analyst");
    const deputy = await user("manager");
    expect(await campaigns.addCampaignMember({ id, userId: analyst.id }, as(manager))).toMatchObject({
      userId: analyst.id,
      role: "member",
      addedBy: manager.id,
    });
    expect((await failure(campaigns.addCampaignMember({ id, userId: analyst.id, role: "manager" }, as(manager)))).message).toContain(
      "must have the manager or admin role",
    );
    expect(await code(campaigns.addCampaignMember({ id, userId: "00000000-0000-4000-8000-000000000000" }, as(manager)))).toBe("invalid_argument");
    expect(await code(campaigns.addCampaignMember({ id, userId: "someone" }, as(manager)))).toBe("invalid_argument");
    expect(await code(campaigns.addCampaignMember({ id, userId: deputy.id, role: "owner" } as never, as(manager)))).toBe("invalid_argument");

    await campaigns.addCampaignMember({ id, userId: deputy.id, role: "manager" }, as(manager));
    // The deputy now runs the team too.
    expect((await campaigns.getCampaignMembers({ id }, as(deputy))).members.map((m) => [m.userId, m.role])).toEqual([
      [manager.id, "manager"],
      [deputy.id, "manager"],
      [analyst.id, "member"],
    ]);
  });

  test("the last manager can be neither removed nor demoted; with another manager they can", async () => {
    const { id } = await campaigns.createCampaign(request(), as(manager));
    expect((await failure(campaigns.removeCampaignMember({ id, userId: manager.id }, as(manager)))).code).toBe("failed_precondition");
    expect((await failure(campaigns.addCampaignMember({ id, userId: manager.id, role: "member" }, as(admin)))).message).toContain(
      "cannot demote the campaign's last manager",
    );
    const deputy = await user("manager");
    await campaigns.addCampaignMember({ id, userId: deputy.id, role: "manager" }, as(manager));
    expect(await campaigns.removeCampaignMember({ id, userId: manager.id }, as(deputy))).toEqual({ success: true });
    expect(await code(campaigns.getCampaignById({ id }, as(manager)))).toBe("not_found");
    expect(await code(campaigns.removeCampaignMember({ id, userId: manager.id }, as(deputy)))).toBe("not_found");
  });
});

describe("internal endpoints for other services", () => {
  test("access, memberships, the campaign itself, keywords and contacts by severity", async () => {
    const lead = await user("manager");
    const { id } = await campaigns.createCampaign(request(), as(lead));
    const outsider = await user("viewer");
    expect(await campaigns.getCampaignAccess({ campaignId: id, userID: lead.id })).toEqual({ exists: true, memberRole: "manager" });
    expect(await campaigns.getCampaignAccess({ campaignId: id, userID: outsider.id })).toEqual({ exists: true, memberRole: null });
    expect(await campaigns.getCampaignAccess({ campaignId: "00000000-0000-4000-8000-000000000000", userID: lead.id })).toEqual({
      exists: false,
      memberRole: null,
    });
    expect(await campaigns.getCampaignAccess({ campaignId: "garbage", userID: lead.id })).toEqual({ exists: false, memberRole: null });
    expect(await campaigns.getUserCampaigns({ userID: lead.id })).toEqual({ campaignIds: [id] });
    expect((await campaigns.getCampaignForService({ campaignId: id })).id).toBe(id);
    expect(await code(campaigns.getCampaignForService({ campaignId: "00000000-0000-4000-8000-000000000000" }))).toBe("not_found");

    await campaigns.addCampaignKeywords({ id, keywords: [{ keyword: "Rivera", weight: 1.5 }] }, as(lead));
    expect((await campaigns.getKeywords({ campaignId: id })).keywords.map((k) => [k.keyword, k.weight])).toEqual([["Rivera", 1.5]]);
    expect(await code(campaigns.getKeywords({ campaignId: "00000000-0000-4000-8000-000000000000" }))).toBe("not_found");

    await campaigns.addCampaignContact({ id, name: "Chief", channel: "SMS", address: "+14155550100", minSeverity: "LOW" }, as(lead));
    await campaigns.addCampaignContact({ id, name: "Candidate", channel: "SMS", address: "+14155550101", minSeverity: "CRITICAL" }, as(lead));
    const names = async (severity?: "MEDIUM" | "CRITICAL") =>
      (await campaigns.getAlertContacts({ campaignId: id, severity })).contacts.map((c) => c.name).sort();
    expect(await names()).toEqual(["Candidate", "Chief"]);
    expect(await names("MEDIUM")).toEqual(["Chief"]);
    expect(await names("CRITICAL")).toEqual(["Candidate", "Chief"]);
  });

  test("listActiveCampaigns returns only active campaigns, with their keywords", async () => {
    const lead = await user("manager");
    const active = await campaigns.createCampaign(request({ name: "Active one" }), as(lead));
    const draft = await campaigns.createCampaign(request({ name: "Draft one" }), as(lead));
    const paused = await campaigns.createCampaign(request({ name: "Paused one" }), as(lead));
    await campaigns.addCampaignKeywords({ id: active.id, keywords: [{ keyword: "beta" }, { keyword: "Alpha", weight: 3 }] }, as(lead));
    await campaigns.updateCampaign({ id: active.id, status: "active" }, as(lead));
    await campaigns.updateCampaign({ id: paused.id, status: "active" }, as(lead));
    await campaigns.updateCampaign({ id: paused.id, status: "paused" }, as(lead));
    const listed = (await campaigns.listActiveCampaigns()).campaigns;
    const ids = listed.map((c) => c.id);
    expect(ids).toContain(active.id);
    expect(ids).not.toContain(draft.id);
    expect(ids).not.toContain(paused.id);
    expect(listed.find((c) => c.id === active.id)!.keywords.map((k) => [k.keyword, k.weight])).toEqual([
      ["Alpha", 3],
      ["beta", 1],
    ]);
  });
});

describe("the audit trail", () => {
  test("creation, updates, keywords, contacts and team changes are audited, without contact details", async () => {
    const { id } = await campaigns.createCampaign(request(), as(manager));
    await campaigns.updateCampaign({ id, status: "active" }, as(manager));
    await campaigns.updateCampaign({ id, budget: 1000 }, as(manager));
    await campaigns.updateCampaign({ id, budget: 1000 }, as(manager)); // no change: no event
    await campaigns.addCampaignKeywords({ id, keywords: [{ keyword: "Rivera" }] }, as(manager));
    await campaigns.addCampaignContact({ id, name: "Chief", channel: "SMS", address: "+14155550199" }, as(manager));
    const member = await user("viewer");
    await campaigns.addCampaignMember({ id, userId: member.id }, as(manager));
    await campaigns.removeCampaignMember({ id, userId: member.id }, as(manager));

    const expected = [
      "campaign.created",
      "campaign.status_changed",
      "campaign.updated",
      "campaign.keywords_added",
      "campaign.contact_added",
      "campaign.member_added",
      "campaign.member_removed",
    ];
    const actions = async () => (await auditEventsFor("campaign", id)).map((e) => e.action).sort();
    await expect.poll(actions, { timeout: 15_000 }).toEqual([...expected].sort());
    const events = await auditEventsFor("campaign", id);
    expect(events.every((e) => e.actorId === manager.id && e.service === "campaigns")).toBe(true);
    expect(events.find((e) => e.action === "campaign.status_changed")!.details).toEqual({ changes: { status: { before: "draft", after: "active" } } });
    expect(JSON.stringify(events)).not.toContain("4155550199");
  });
});

describe("the campaign's time zone", () => {
  test("UTC unless given; checked and made canonical on create and update; alerting reads it with the contacts", async () => {
    const plain = await campaigns.createCampaign(request(), as(manager));
    expect(plain.timeZone).toBe("UTC");
    const c = await campaigns.createCampaign(request({ timeZone: "america/chicago" }), as(manager));
    expect(c.timeZone).toBe("America/Chicago");
    expect((await campaigns.getCampaignById({ id: c.id }, as(manager))).timeZone).toBe("America/Chicago");
    expect((await campaigns.updateCampaign({ id: c.id, timeZone: "Europe/Madrid" }, as(manager))).timeZone).toBe("Europe/Madrid");
    expect(await code(campaigns.updateCampaign({ id: c.id, timeZone: "Europe/Atlantis" }, as(manager)))).toBe("invalid_argument");
    expect(await code(campaigns.createCampaign(request({ timeZone: "+02:00x" }), as(manager)))).toBe("invalid_argument");
    expect(await campaigns.getAlertContacts({ campaignId: c.id })).toEqual({ campaignName: c.name, timeZone: "Europe/Madrid", contacts: [] });
  });
});
