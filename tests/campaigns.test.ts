// campaigns end to end: the whole app started as `npm start` starts it, people signed in through
// auth, campaigns driven over HTTP (JSON dates, query strings, status codes and error bodies).
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { useFixture } from "../host/testing/use-fixture.ts";
import { caller, waitForFirstAdmin } from "./http.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const ADMIN = { email: "chief@campaign.example", password: "chief-password-1" };
const app = useFixture(ROOT, {
  JWT_SECRET: "campaigns-end-to-end-secret-0123456789abc",
  BCRYPT_COST: "4",
  WARROOM_ADMIN_EMAIL: ADMIN.email,
  WARROOM_ADMIN_PASSWORD: ADMIN.password,
  WARROOM_CRON: "off",
});

const call = caller(app);

let n = 0;
const tokens = { admin: "", manager: "", viewer: "" };
const ids = { manager: "", viewer: "" };

async function signIn(email: string, password: string): Promise<{ token: string; id: string }> {
  const r = await call("POST", "/api/v1/auth/login", undefined, { email, password });
  expect(r.status).toBe(200);
  return { token: r.json.accessToken, id: r.json.user.id };
}

async function person(role: "manager" | "viewer"): Promise<{ token: string; id: string }> {
  const email = `${role}-${++n}@campaign.example`;
  const created = await call("POST", "/api/v1/users", tokens.admin, { email, password: "a-good-password", name: `${role} ${n}`, role });
  expect(created.status).toBe(200);
  return signIn(email, "a-good-password");
}

const campaign = (overrides: Record<string, unknown> = {}) => ({
  name: `Rivera for Senate ${++n}`,
  description: "Statewide",
  startDate: "2026-01-01T00:00:00Z",
  endDate: "2026-11-03T00:00:00Z",
  budget: 50000,
  targetAudience: {
    demographics: { ageRange: { min: 18, max: 65 }, gender: ["all"], income: "", education: "" },
    interests: ["jobs"],
    locations: ["Ohio"],
    platforms: ["facebook", "tiktok"],
  },
  ...overrides,
});

beforeAll(async () => {
  // The first admin is made at start, beside serving: wait for it without spending sign-in attempts.
  await waitForFirstAdmin(app, ADMIN.email);
  tokens.admin = (await signIn(ADMIN.email, ADMIN.password)).token;
  const manager = await person("manager");
  const viewer = await person("viewer");
  Object.assign(tokens, { manager: manager.token, viewer: viewer.token });
  Object.assign(ids, { manager: manager.id, viewer: viewer.id });
});

describe("a campaign's life over HTTP", () => {
  test("create → share with a viewer → run it through its statuses → keywords and contacts", async () => {
    const created = await call("POST", "/api/v1/campaigns", tokens.manager, campaign({ name: "Rivera for Senate" }));
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      name: "Rivera for Senate",
      status: "draft",
      budget: 50000,
      metrics: { impressions: 0, sentimentScore: 0 },
    });
    expect(Date.parse(created.json.startDate)).toBe(Date.parse("2026-01-01T00:00:00Z"));
    const id = created.json.id;

    // The viewer does not know it exists until they are on the team.
    expect((await call("GET", `/api/v1/campaigns/${id}`, tokens.viewer)).json).toMatchObject({ code: "not_found" });
    expect((await call("GET", "/api/v1/campaigns", tokens.viewer)).json).toEqual({ campaigns: [], total: 0, page: 1, limit: 20 });
    const added = await call("POST", `/api/v1/campaigns/${id}/members`, tokens.manager, { userId: ids.viewer });
    expect(added).toMatchObject({ status: 200, json: { userId: ids.viewer, role: "member" } });
    expect((await call("GET", `/api/v1/campaigns/${id}`, tokens.viewer)).status).toBe(200);
    expect((await call("GET", "/api/v1/campaigns", tokens.viewer)).json.total).toBe(1);
    // ...and may look but not touch.
    const refused = await call("PUT", `/api/v1/campaigns/${id}`, tokens.viewer, { name: "Hijacked" });
    expect(refused).toMatchObject({ status: 403, json: { code: "permission_denied" } });

    // Status transitions; the change is visible on the next read (the cache is invalidated).
    expect((await call("GET", `/api/v1/campaigns/${id}`, tokens.manager)).json.status).toBe("draft");
    expect((await call("PUT", `/api/v1/campaigns/${id}`, tokens.manager, { status: "active" })).json.status).toBe("active");
    expect((await call("GET", `/api/v1/campaigns/${id}`, tokens.viewer)).json.status).toBe("active");
    const back = await call("PUT", `/api/v1/campaigns/${id}`, tokens.manager, { status: "draft" });
    expect(back.status).toBe(400);
    expect(back.json).toMatchObject({ code: "failed_precondition", message: expect.stringContaining("from active to draft") });

    const keywords = await call("POST", `/api/v1/campaigns/${id}/keywords`, tokens.manager, {
      keywords: [{ keyword: "Rivera", weight: 2.5 }, { keyword: "Senate race" }],
    });
    expect(keywords.status).toBe(200);
    expect(keywords.json.keywords.map((k: { keyword: string; weight: number }) => [k.keyword, k.weight])).toEqual([
      ["Rivera", 2.5],
      ["Senate race", 1],
    ]);
    const removed = await call("DELETE", `/api/v1/campaigns/${id}/keywords/${keywords.json.keywords[1].id}`, tokens.manager);
    expect(removed).toEqual({ status: 200, json: { success: true } });
    expect((await call("GET", `/api/v1/campaigns/${id}/keywords`, tokens.viewer)).json.keywords).toHaveLength(1);

    const contact = await call("POST", `/api/v1/campaigns/${id}/contacts`, tokens.manager, {
      name: "Chief of staff",
      channel: "SMS",
      address: "+1 415 555 0123",
    });
    expect(contact).toMatchObject({ status: 200, json: { address: "+14155550123", minSeverity: "HIGH" } });
    const badPhone = await call("POST", `/api/v1/campaigns/${id}/contacts`, tokens.manager, { name: "Chief", channel: "WHATSAPP", address: "555-0123" });
    expect(badPhone).toMatchObject({ status: 400, json: { code: "invalid_argument", message: expect.stringContaining("E.164") } });
    // Contacts are personal data: a viewer on the team does not get them.
    expect((await call("GET", `/api/v1/campaigns/${id}/contacts`, tokens.viewer)).status).toBe(403);
  });

  test("lists page through query parameters", async () => {
    const lead = await person("manager");
    for (let i = 0; i < 3; i++) expect((await call("POST", "/api/v1/campaigns", lead.token, campaign())).status).toBe(200);
    const page = await call("GET", "/api/v1/campaigns?page=2&limit=2&status=draft", lead.token);
    expect(page.status).toBe(200);
    expect(page.json).toMatchObject({ total: 3, page: 2, limit: 2 });
    expect(page.json.campaigns).toHaveLength(1);
    for (const bad of ["limit=0", "limit=101", "page=0", "page=x", "status=archived"]) {
      const r = await call("GET", `/api/v1/campaigns?${bad}`, lead.token);
      expect({ bad, status: r.status, code: r.json.code }).toEqual({ bad, status: 400, code: "invalid_argument" });
    }
  });
});

describe("bad requests are 4xx with Encore's error body, never 500", () => {
  test.each<[string, unknown]>([
    ["an end date before the start", campaign({ endDate: "2025-01-01T00:00:00Z" })],
    ["a budget under 100", campaign({ budget: 50 })],
    ["a date that is not a date", campaign({ startDate: "next tuesday" })],
    ["a name too short", campaign({ name: "ab" })],
    ["a missing target audience", { ...campaign(), targetAudience: undefined }],
    ["a body that is not JSON", "{not json"],
  ])("POST /api/v1/campaigns with %s: 400", async (_, body) => {
    const r = await call("POST", "/api/v1/campaigns", tokens.manager, body);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: "invalid_argument", message: expect.any(String) });
  });

  test("no token is 401; a viewer creating is 403; an unknown or malformed id is 404", async () => {
    expect((await call("GET", "/api/v1/campaigns")).status).toBe(401);
    expect((await call("POST", "/api/v1/campaigns", tokens.viewer, campaign())).status).toBe(403);
    expect((await call("GET", "/api/v1/campaigns/00000000-0000-4000-8000-000000000000", tokens.admin)).status).toBe(404);
    expect((await call("GET", "/api/v1/campaigns/not-a-uuid", tokens.admin)).status).toBe(404);
    expect((await call("PUT", "/api/v1/campaigns/not-a-uuid", tokens.manager, { name: "Whatever" })).status).toBe(404);
  });
});

describe("metrics and ad platforms over HTTP", () => {
  test("/campaigns/meta and /campaigns/google are not campaign ids: without credentials they answer 503", async () => {
    for (const p of ["/api/v1/campaigns/meta", "/api/v1/campaigns/google"]) {
      const r = await call("GET", p, tokens.viewer);
      expect(r.status).toBe(503);
      expect(r.json.code).toBe("unavailable");
    }
    expect((await call("GET", "/api/v1/campaigns/meta?campaignId=not-a-uuid", tokens.admin)).status).toBe(404);
    expect((await call("GET", "/api/v1/campaigns/google")).status).toBe(401);
  });

  test("a refresh computes the metrics; another within the minute is 429 with retryAfterSeconds; bad links are 400", async () => {
    const created = await call("POST", "/api/v1/campaigns", tokens.manager, campaign());
    const id = created.json.id;
    const first = await call("POST", `/api/v1/campaigns/${id}/metrics/refresh`, tokens.manager);
    expect(first.status).toBe(200);
    expect(first.json.metricsDetail.impressions).toMatchObject({ value: null, reason: "no ad account is linked to this campaign" });
    const again = await call("POST", `/api/v1/campaigns/${id}/metrics/refresh`, tokens.manager);
    expect(again.status).toBe(429);
    expect(again.json.details.retryAfterSeconds).toBeGreaterThan(0);
    const read = await call("GET", `/api/v1/campaigns/${id}`, tokens.manager);
    expect(read.json.metricsDetail.impressions.reason).toBe("no ad account is linked to this campaign");
    expect((await call("POST", `/api/v1/campaigns/${id}/ad-accounts`, tokens.manager, { platform: "tiktok", accountId: "1" })).status).toBe(400);
    expect((await call("PUT", `/api/v1/campaigns/${id}/metrics/settings`, tokens.manager, { valuePerConversion: "lots" })).status).toBe(400);
    const insights = await call("GET", `/api/v1/campaigns/insights?campaignId=${id}`, tokens.manager);
    expect(insights.status).toBe(200);
    expect(insights.json.insights.campaigns[0]).toMatchObject({ daily: [], platforms: [], pacing: { budget: 50000, spent: 0 } });
  });
});

test("campaigns reports healthy in /api/v1/status", async () => {
  const r = await call("GET", "/api/v1/status");
  expect(r.status).toBe(200);
  const services = r.json.services as { name: string; healthy: boolean; database: { migrationsApplied: boolean } | null }[];
  expect(services.find((s) => s.name === "campaigns")).toMatchObject({ healthy: true, database: { migrationsApplied: true } });
});
