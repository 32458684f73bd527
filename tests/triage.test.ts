// Triage over real HTTP, the app started as `npm start` starts it: the mentions list's filters
// (combinable; an unknown value or parameter is a 400), and the CSV exports of mentions and of
// analytics reports: streamed raw endpoints behind the same access rules as their JSON twins,
// RFC 4180 escaping with formula-injection guards, times in the campaign's zone (UTC without one).
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { useFixture } from "../host/testing/use-fixture.ts";
import { appEnv, caller, createCampaign, signInFirstAdmin } from "./http.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const ADMIN = { email: "chief@triage.example", password: "chief-password-1" };
const app = useFixture(ROOT, appEnv("triage-end-to-end-secret-0123456789abcdefgh", ADMIN, { WARROOM_DEMO: "off" }));
const call = caller(app);

let admin = "";
let member = "";
let outsider = "";
let campaignId = "";
const now = Date.now();
const BULK = 1_250;

async function signUp(role: string, email: string): Promise<{ id: string; token: string }> {
  const created = await call("POST", "/api/v1/users", admin, { email, password: "user-password-1", name: email, role });
  expect(created.status).toBe(200);
  const login = await call("POST", "/api/v1/auth/login", undefined, { email, password: "user-password-1" });
  return { id: created.json.user.id, token: login.json.accessToken };
}

/** The body of a CSV download: it starts with the UTF-8 byte-order mark (for spreadsheets), returned without it. */
async function csvText(res: Response): Promise<string> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return new TextDecoder("utf-8").decode(bytes);
}

/** The Encore error code of a refused download. */
async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { code: string }).code;
}

async function get(p: string, token?: string): Promise<Response> {
  return fetch(app.server.url + p, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const tricky = [
  { id: "t-comma", text: 'Rivera, "the jobs guy", on\nwages', author: "=cmd|' /C calc'!A0", platform: "news", sentiment: -0.45, language: "en" },
  { id: "t-formula", text: '=HYPERLINK("http://evil.example","click me")', author: "@attacker", platform: "twitter", sentiment: 0.6, language: "en" },
  { id: "t-plus", text: "+1 555 0100 call Rivera's office", author: "-dash", platform: "twitter", sentiment: -0.1, language: "es" },
];

beforeAll(async () => {
  admin = await signInFirstAdmin(app, ADMIN);
  campaignId = await createCampaign(call, admin, { name: "Rivera 2026" });
  const viewer = await signUp("viewer", "viewer@triage.example");
  member = viewer.token;
  expect((await call("POST", `/api/v1/campaigns/${campaignId}/members`, admin, { userId: viewer.id })).status).toBe(200);
  outsider = (await signUp("manager", "outsider@triage.example")).token;
  const base = { url: "", reach: 100, engagement: 1 };
  const bulk = Array.from({ length: BULK }, (_, i) => ({
    ...base,
    id: `b-${i}`,
    text: `Rivera town hall ${i}`,
    author: `voter${i % 7}`,
    platform: i % 4 === 0 ? "news" : "facebook",
    sentiment: i % 4 === 0 ? -0.5 : 0.3,
    timestamp: new Date(now - 3_600_000 - i * 1_000).toISOString(),
  }));
  for (let i = 0; i < bulk.length; i += 1000) {
    expect((await call("POST", "/api/v1/monitoring/ingest", admin, { campaignId, mentions: bulk.slice(i, i + 1000) })).status).toBe(200);
  }
  const recent = tricky.map((m, i) => ({ ...base, ...m, timestamp: new Date(now - (i + 1) * 60_000).toISOString() }));
  expect((await call("POST", "/api/v1/monitoring/ingest", admin, { campaignId, mentions: recent })).status).toBe(200);
});

describe("the mentions list's filters over HTTP", () => {
  test("platform=news&sentiment=negative is applied (not ignored), and combines with author, language and time", async () => {
    const r = await call("GET", `/api/v1/monitoring/mentions?campaignId=${campaignId}&platform=news&sentiment=negative&hours=3&limit=100`, member);
    expect(r.status).toBe(200);
    expect(r.json.total).toBe(Math.ceil(BULK / 4) + 1);
    expect(r.json.mentions.every((m: { platform: string; sentiment: number }) => m.platform === "news" && m.sentiment < -0.05)).toBe(true);
    const es = await call("GET", `/api/v1/monitoring/mentions?campaignId=${campaignId}&language=es&author=-DASH&minSentiment=-0.2&maxSentiment=0`, member);
    expect(es.json.mentions.map((m: { id: string }) => m.id)).toEqual(["t-plus"]);
    const window = await call(
      "GET",
      `/api/v1/monitoring/mentions?campaignId=${campaignId}&start=${new Date(now - 150_000).toISOString()}&end=${new Date(now).toISOString()}`,
      member,
    );
    expect(window.json.mentions.map((m: { id: string }) => m.id)).toEqual(["t-comma", "t-formula"]);
  });

  test.each([
    ["sentiment=angry", 'sentiment: "angry"'],
    ["platfrom=news", 'unknown query parameter "platfrom"'],
    ["language=klingon", "ISO 639-1"],
    ["minSentiment=abc", ""],
    ["start=2026-13-45", ""],
  ])("%s is a 400 with Encore's error shape", async (query, message) => {
    const r = await call("GET", `/api/v1/monitoring/mentions?campaignId=${campaignId}&${query}`, member);
    expect(r.status).toBe(400);
    expect(r.json.code).toBe("invalid_argument");
    expect(r.json.message).toContain(message);
  });
});

describe("the mentions CSV export", () => {
  test("streams every matching mention (several pages), escaped and guarded, times in UTC without a campaign zone", async () => {
    const res = await get(`/api/v1/monitoring/mentions/csv?campaignId=${campaignId}&hours=24`, member);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="Rivera-2026-mentions-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = await csvText(res);
    expect(text.startsWith("mentionId,sourceId,timestamp,platform,author,text,")).toBe(true);
    const rows = parseCsv(text);
    const header = rows[0];
    const records = rows.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    expect(records).toHaveLength(BULK + tricky.length);
    expect(new Set(records.map((r) => r.sourceId)).size).toBe(BULK + tricky.length);
    // Newest first, in UTC ("…Z": this campaign has no time zone).
    expect(records[0].sourceId).toBe("t-comma");
    expect(records[0].timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(records[0].text).toBe('Rivera, "the jobs guy", on\nwages');
    expect(records[0].author).toBe("'=cmd|' /C calc'!A0");
    expect(records[0].sentiment).toBe("-0.45");
    const formula = records.find((r) => r.sourceId === "t-formula")!;
    expect(formula.text).toBe(`'=HYPERLINK("http://evil.example","click me")`);
    expect(formula.author).toBe("'@attacker");
    const plus = records.find((r) => r.sourceId === "t-plus")!;
    expect(plus).toMatchObject({ text: "'+1 555 0100 call Rivera's office", author: "'-dash", language: "es" });
  });

  test("takes the list's filters", async () => {
    const rows = parseCsv(await csvText(await get(`/api/v1/monitoring/mentions/csv?campaignId=${campaignId}&platform=twitter&sentiment=positive`, member)));
    expect(rows.slice(1).map((r) => r[1])).toEqual(["t-formula"]);
  });

  test("same access rules as the list: signed out 401, a campaign the caller may not see 404; bad filters and unknown parameters 400", async () => {
    const path = `/api/v1/monitoring/mentions/csv?campaignId=${campaignId}`;
    expect((await get(path)).status).toBe(401);
    const hidden = await get(path, outsider);
    expect(hidden.status).toBe(404);
    expect(await errorCode(hidden)).toBe("not_found");
    for (const bad of ["&sentiment=angry", "&platfrom=news", "&hours=0", "&hours=2&start=2026-11-01T00:00:00Z"]) {
      const r = await get(path + bad, member);
      expect(r.status, bad).toBe(400);
      expect(await errorCode(r)).toBe("invalid_argument");
    }
    expect((await get("/api/v1/monitoring/mentions/csv", member)).status).toBe(400);
  });
});

describe("the analytics report CSV export", () => {
  const range = () => `startDate=${new Date(now - 86_400_000).toISOString()}&endDate=${new Date(now + 60_000).toISOString()}`;

  test("is the report's tables as CSV, for those who may see the campaign", async () => {
    // The rollups follow the stream: wait until the report sees every mention.
    const total = BULK + tricky.length;
    await expect
      .poll(
        async () =>
          (await call("POST", "/api/v1/analytics/reports", member, { campaignId, startDate: new Date(now - 86_400_000), endDate: new Date(now + 60_000) })).json
            .summary?.totalMentions,
        { timeout: 20_000, interval: 200 },
      )
      .toBe(total);
    const res = await get(`/api/v1/analytics/reports/csv?campaignId=${campaignId}&${range()}&includeInfluencers=true`, member);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="Rivera-2026-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = parseCsv(await csvText(res));
    expect(rows[0]).toEqual(["War Room analytics report", "Rivera 2026"]);
    expect(rows).toContainEqual(["timeZone", "UTC"]);
    expect(rows).toContainEqual(["totalMentions", String(total)]);
    const titles = rows.filter((r) => r.length === 1 && r[0] !== "").map((r) => r[0]);
    expect(titles).toEqual(expect.arrayContaining(["Summary", "Trend", "Platforms", "Keywords", "Top mentions", "Recommendations"]));
    const platforms = rows.slice(rows.findIndex((r) => r[0] === "Platforms") + 2).filter((r) => r[0] === "news" || r[0] === "facebook");
    expect(platforms.map((r) => r[0]).sort()).toEqual(["facebook", "news"]);
    // Text from mentions is guarded in this export too.
    expect(rows.flat().some((c) => c.startsWith("=") || c.startsWith("@"))).toBe(false);
  });

  test("same access rules as the JSON report: 401, 404 for a campaign the caller may not see, 400 for a bad period or parameter", async () => {
    const path = `/api/v1/analytics/reports/csv?campaignId=${campaignId}&${range()}`;
    expect((await get(path)).status).toBe(401);
    expect((await get(path, outsider)).status).toBe(404);
    for (const bad of [
      `/api/v1/analytics/reports/csv?campaignId=${campaignId}&startDate=yesterday&endDate=${new Date().toISOString()}`,
      `/api/v1/analytics/reports/csv?campaignId=${campaignId}&startDate=${new Date(now).toISOString()}&endDate=${new Date(now - 86_400_000).toISOString()}`,
      `${path}&format=pdf`,
      `${path}&includeInfluencers=yes`,
    ]) {
      const r = await get(bad, member);
      expect(r.status, bad).toBe(400);
      expect(await errorCode(r)).toBe("invalid_argument");
    }
  });
});
