// Who may do what on a campaign, through the generated clients (auth data and schemas enforced):
// every campaign endpoint × every role × member / non-member of the campaign.
import "../tests/fakes/auth-secrets";
import { beforeAll, describe, expect, test } from "vitest";
import { auth, campaigns, users } from "~encore/clients";
import type { Role } from "../shared/permissions";
import { as, type Profile } from "../tests/inproc";

const PASSWORD = "password-for-tests";
type Outcome = "ok" | "not_found" | "permission_denied" | "unauthenticated";

async function outcome(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => "ok",
    (err: { code?: string }) => err.code ?? String(err),
  );
}

let n = 0;
let admin: Profile;
async function user(role: Role): Promise<Profile> {
  const { user } = await users.createUser({ email: `access-${++n}@example.org`, password: PASSWORD, name: `User ${n}`, role }, as(admin));
  return user;
}

const newCampaign = (name = `Campaign ${++n}`) => ({
  name,
  description: "",
  startDate: new Date("2026-01-01T00:00:00Z"),
  endDate: new Date("2026-12-31T00:00:00Z"),
  budget: 5000,
  targetAudience: {
    demographics: { ageRange: { min: 18, max: 99 }, gender: ["all" as const], income: "", education: "" },
    interests: [],
    locations: [],
    platforms: ["facebook" as const],
  },
});

// The callers: the campaign's creator (its manager), and for each lower role a member and an outsider.
type Who = "admin" | "campaignManager" | "managerMember" | "managerOutsider" | "analystMember" | "analystOutsider" | "viewerMember" | "viewerOutsider";
const people = {} as Record<Who, Profile>;
let campaignId: string;

type Kind = "create" | "read" | "update" | "manage";
// The policy as a reader checks it: a role without the permission gets 403 whatever the campaign;
// a campaign one may not see is 404; a member who is not the campaign's manager may not run its team.
const EXPECTED: Record<Who, Record<Kind, Outcome>> = {
  admin: { create: "ok", read: "ok", update: "ok", manage: "ok" },
  campaignManager: { create: "ok", read: "ok", update: "ok", manage: "ok" },
  managerMember: { create: "ok", read: "ok", update: "ok", manage: "permission_denied" },
  managerOutsider: { create: "ok", read: "not_found", update: "not_found", manage: "not_found" },
  analystMember: { create: "permission_denied", read: "ok", update: "permission_denied", manage: "permission_denied" },
  analystOutsider: { create: "permission_denied", read: "not_found", update: "permission_denied", manage: "not_found" },
  viewerMember: { create: "permission_denied", read: "ok", update: "permission_denied", manage: "permission_denied" },
  viewerOutsider: { create: "permission_denied", read: "not_found", update: "permission_denied", manage: "not_found" },
};

type Opts = ReturnType<typeof as>;
// Each endpoint as a call that succeeds for whoever may make it; what it needs is arranged by the admin.
const ENDPOINTS: { name: string; kind: Kind; call: (id: string, opts: Opts) => Promise<unknown> }[] = [
  { name: "createCampaign", kind: "create", call: (_id, o) => campaigns.createCampaign(newCampaign(), o) },
  { name: "getCampaignById", kind: "read", call: (id, o) => campaigns.getCampaignById({ id }, o) },
  { name: "getCampaignKeywords", kind: "read", call: (id, o) => campaigns.getCampaignKeywords({ id }, o) },
  { name: "updateCampaign", kind: "update", call: (id, o) => campaigns.updateCampaign({ id, description: `edited ${++n}` }, o) },
  { name: "addCampaignKeywords", kind: "update", call: (id, o) => campaigns.addCampaignKeywords({ id, keywords: [{ keyword: `kw ${++n}` }] }, o) },
  {
    name: "deleteCampaignKeyword",
    kind: "update",
    call: async (id, o) => {
      const { keywords } = await campaigns.addCampaignKeywords({ id, keywords: [{ keyword: `doomed ${++n}` }] }, as(admin));
      const doomed = keywords.find((k) => k.keyword === `doomed ${n}`)!;
      return campaigns.deleteCampaignKeyword({ id, keywordId: doomed.id }, o);
    },
  },
  { name: "getCampaignContacts", kind: "update", call: (id, o) => campaigns.getCampaignContacts({ id }, o) },
  {
    name: "addCampaignContact",
    kind: "update",
    call: (id, o) => campaigns.addCampaignContact({ id, name: "Desk", channel: "EMAIL", address: `desk${++n}@campaign.org` }, o),
  },
  {
    name: "deleteCampaignContact",
    kind: "update",
    call: async (id, o) => {
      const contact = await campaigns.addCampaignContact(
        { id, name: "Temp", channel: "SMS", address: `+1415555${String(1000 + ++n).padStart(4, "0")}` },
        as(admin),
      );
      return campaigns.deleteCampaignContact({ id, contactId: contact.id }, o);
    },
  },
  { name: "getCampaignMembers", kind: "manage", call: (id, o) => campaigns.getCampaignMembers({ id }, o) },
  {
    name: "addCampaignMember",
    kind: "manage",
    call: async (id, o) => campaigns.addCampaignMember({ id, userId: (await user("viewer")).id }, o),
  },
  {
    name: "removeCampaignMember",
    kind: "manage",
    call: async (id, o) => {
      const extra = await user("viewer");
      await campaigns.addCampaignMember({ id, userId: extra.id }, as(admin));
      return campaigns.removeCampaignMember({ id, userId: extra.id }, o);
    },
  },
];

beforeAll(async () => {
  admin = (await auth.register({ email: "admin@example.org", password: PASSWORD, name: "Admin" })).user;
  expect(admin.role).toBe("admin");
  people.admin = admin;
  people.campaignManager = await user("manager");
  people.managerMember = await user("manager");
  people.managerOutsider = await user("manager");
  people.analystMember = await user("analyst");
  people.analystOutsider = await user("analyst");
  people.viewerMember = await user("viewer");
  people.viewerOutsider = await user("viewer");
  campaignId = (await campaigns.createCampaign(newCampaign("The campaign under test"), as(people.campaignManager))).id;
  for (const who of ["managerMember", "analystMember", "viewerMember"] as const) {
    await campaigns.addCampaignMember({ id: campaignId, userId: people[who].id, role: "member" }, as(people.campaignManager));
  }
});

describe("the campaign permission matrix", () => {
  for (const endpoint of ENDPOINTS) {
    describe(endpoint.name, () => {
      for (const who of Object.keys(EXPECTED) as Who[]) {
        const expected = EXPECTED[who][endpoint.kind];
        test(`${who}: ${expected}`, async () => {
          expect(await outcome(endpoint.call(campaignId, as(people[who])))).toBe(expected);
        });
      }
      test("anonymous: unauthenticated", async () => {
        expect(await outcome(endpoint.call(campaignId, {} as Opts))).toBe("unauthenticated");
      });
    });
  }
});

describe("what a refusal does not reveal or change", () => {
  test("a missing campaign and a hidden one look the same to an outsider", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    for (const id of [missing, "not-a-uuid"]) {
      expect(await outcome(campaigns.getCampaignById({ id }, as(admin)))).toBe("not_found");
      expect(await outcome(campaigns.updateCampaign({ id, name: "Nope" }, as(admin)))).toBe("not_found");
      expect(await outcome(campaigns.getCampaignMembers({ id }, as(admin)))).toBe("not_found");
    }
    const hidden = await campaigns.getCampaignById({ id: campaignId }, as(people.viewerOutsider)).catch((err: Error & { code: string }) => err);
    const absent = await campaigns.getCampaignById({ id: missing }, as(people.viewerOutsider)).catch((err: Error & { code: string }) => err);
    expect({ code: (hidden as { code: string }).code, message: (hidden as Error).message }).toEqual({
      code: (absent as { code: string }).code,
      message: (absent as Error).message,
    });
  });

  test("a refused update leaves the campaign as it was", async () => {
    const before = await campaigns.getCampaignById({ id: campaignId }, as(admin));
    expect(await outcome(campaigns.updateCampaign({ id: campaignId, name: "Hijacked" }, as(people.viewerMember)))).toBe("permission_denied");
    expect(await outcome(campaigns.updateCampaign({ id: campaignId, name: "Hijacked" }, as(people.managerOutsider)))).toBe("not_found");
    expect((await campaigns.getCampaignById({ id: campaignId }, as(admin))).name).toBe(before.name);
  });

  test("lists show admins every campaign and everyone else only their own", async () => {
    const ids = async (who: Who) => (await campaigns.getCampaigns({ limit: 100 }, as(people[who]))).campaigns.map((c) => c.id);
    expect(await ids("admin")).toContain(campaignId);
    for (const who of ["campaignManager", "managerMember", "analystMember", "viewerMember"] as const) expect(await ids(who)).toContain(campaignId);
    for (const who of ["managerOutsider", "analystOutsider", "viewerOutsider"] as const) expect(await ids(who)).not.toContain(campaignId);
    expect(await campaigns.getCampaigns({}, as(people.viewerOutsider))).toEqual({ campaigns: [], total: 0, page: 1, limit: 20 });
  });

  test("a campaign manager whose platform role is lowered to analyst no longer runs the team", async () => {
    const lead = await user("manager");
    const { id } = await campaigns.createCampaign(newCampaign(), as(lead));
    expect(await outcome(campaigns.getCampaignMembers({ id }, as(lead)))).toBe("ok");
    const demoted = (await users.updateUser({ id: lead.id, role: "analyst" }, as(admin))).user;
    expect(await outcome(campaigns.getCampaignMembers({ id }, as(demoted)))).toBe("permission_denied");
    expect(await outcome(campaigns.getCampaignById({ id }, as(demoted)))).toBe("ok");
  });
});
