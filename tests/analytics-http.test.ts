// analytics over real HTTP, the app started as `npm start` starts it: a PDF report is exported and
// downloaded from its raw endpoint (application/pdf, an attachment), which checks the caller and
// their access to the report's campaign like every other analytics endpoint. The PDF lives in the
// `analytics-reports` bucket on the local store under a temporary data directory; a report stored
// the old way (the PDF in its row) downloads the same before and after the move job, run by hand
// through the ops port.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, expect, test } from "vitest";
import { extractText, getDocumentProxy } from "unpdf";
import { databaseUrl } from "../host/db/provision.ts";
import { serverUrl } from "../host/testing/fixture-server.ts";
import { useFixture } from "../host/testing/use-fixture.ts";
import { appEnv, caller, createCampaign, signInFirstAdmin } from "./http.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const ADMIN = { email: "chief@analytics.example", password: "chief-password-1" };
const dataDir = mkdtempSync(path.join(tmpdir(), "analytics-http-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const env = appEnv("analytics-end-to-end-secret-0123456789abcdef", ADMIN, { WARROOM_DEMO: "off", WARROOM_DATA_DIR: dataDir });
const app = useFixture(ROOT, env);

/** An object of the local store: `<data dir>/objects/<db prefix><bucket>/<sha256 of the key>.bin`. */
const objectFile = (bucket: string, key: string) => path.join(dataDir, "objects", app.prefix + bucket, `${createHash("sha256").update(key).digest("hex")}.bin`);
const call = caller(app);

let admin = "";
let member = "";
let outsider = "";
let campaignId = "";

async function signUp(role: string, email: string): Promise<{ id: string; token: string }> {
  const created = await call("POST", "/api/v1/users", admin, { email, password: "user-password-1", name: email, role });
  expect(created.status).toBe(200);
  const login = await call("POST", "/api/v1/auth/login", undefined, { email, password: "user-password-1" });
  return { id: created.json.user.id, token: login.json.accessToken };
}

beforeAll(async () => {
  admin = await signInFirstAdmin(app, ADMIN);
  campaignId = await createCampaign(call, admin, { name: "Rivera 2026" });
  const viewer = await signUp("viewer", "viewer@analytics.example");
  member = viewer.token;
  expect((await call("POST", `/api/v1/campaigns/${campaignId}/members`, admin, { userId: viewer.id })).status).toBe(200);
  outsider = (await signUp("manager", "outsider@analytics.example")).token;
  const now = Date.now();
  const mentions = Array.from({ length: 40 }, (_, i) => ({
    id: `http-${i}`,
    text: `Rivera speech ${i}`,
    author: `a${i % 4}`,
    platform: i % 2 ? "twitter" : "facebook",
    url: "",
    sentiment: i % 3 === 0 ? -0.4 : 0.3,
    reach: 1000 + i,
    engagement: 10,
    timestamp: new Date(now - (i + 1) * 600_000).toISOString(),
  }));
  expect((await call("POST", "/api/v1/monitoring/ingest", admin, { campaignId, mentions })).status).toBe(200);
});

test("a PDF report is exported, then downloaded as application/pdf by those who may see its campaign", async () => {
  const range = { campaignId, startDate: new Date(Date.now() - 86_400_000).toISOString(), endDate: new Date(Date.now() + 60_000).toISOString() };
  // The rollups follow the stream: wait until the report sees every mention.
  await expect
    .poll(async () => (await call("POST", "/api/v1/analytics/reports", admin, range)).json.summary?.totalMentions, { timeout: 15_000, interval: 100 })
    .toBe(40);
  const exported = await call("POST", "/api/v1/analytics/reports", admin, { ...range, format: "pdf" });
  expect(exported.status).toBe(200);
  expect(exported.json.downloadPath).toBe(`/api/v1/analytics/reports/${exported.json.reportId}/pdf`);

  const res = await fetch(app.server.url + exported.json.downloadPath, { headers: { authorization: `Bearer ${member}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/pdf");
  expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="Rivera-2026-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.pdf"$/);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const { totalPages, text } = await extractText(await getDocumentProxy(bytes), { mergePages: true });
  expect(totalPages).toBe(6);
  expect(text).toContain("Rivera 2026");
  expect(text).toContain("Page 6 of 6");

  const status = async (token: string | undefined, p = exported.json.downloadPath) =>
    (await fetch(app.server.url + p, { headers: token ? { authorization: `Bearer ${token}` } : {} })).status;
  expect(await status(undefined)).toBe(401);
  expect(await status(outsider)).toBe(404);
  expect(await status(admin, "/api/v1/analytics/reports/00000000-0000-4000-8000-000000000000/pdf")).toBe(404);
  expect(await status(admin, "/api/v1/analytics/reports/not-an-id/pdf")).toBe(404);
  // The JSON endpoints over HTTP: bad input is a 400 with Encore's error body.
  const bad = await call("POST", "/api/v1/analytics/reports", admin, { ...range, endDate: range.startDate });
  expect(bad.status).toBe(400);
  expect(bad.json.code).toBe("invalid_argument");
  const summary = await call("GET", `/api/v1/analytics/summary?campaignId=${campaignId}&days=1`, member);
  expect(summary.status).toBe(200);
  expect(summary.json.summary.campaigns[0].totalMentions).toBeGreaterThan(0);
});

test("a report stored the old way downloads the same before and after the move job; the bucket then holds it", async () => {
  const sql = postgres(databaseUrl(serverUrl(), `${app.prefix}analytics`), { max: 1, onnotice: () => {} });
  try {
    const exported = await call("POST", "/api/v1/analytics/reports", admin, {
      campaignId,
      startDate: new Date(Date.now() - 86_400_000).toISOString(),
      endDate: new Date().toISOString(),
      format: "pdf",
    });
    const download = async (p: string) => {
      const res = await fetch(app.server.url + p, { headers: { authorization: `Bearer ${member}` } });
      expect(res.status).toBe(200);
      return Buffer.from(await res.arrayBuffer());
    };
    // The export went to the bucket: on disk under the data directory, the row without the bytes.
    const pdf = await download(exported.json.downloadPath);
    expect(readFileSync(objectFile("analytics-reports", `${exported.json.reportId}.pdf`)).equals(pdf)).toBe(true);
    expect((await sql`SELECT pdf IS NULL AS moved FROM reports WHERE id = ${exported.json.reportId}`)[0].moved).toBe(true);

    // A report as the export wrote them before the bucket: the PDF in the row.
    const [old] = await sql`
      INSERT INTO reports (campaign_id, start_at, end_at, file_name, pdf, pages, created_by)
      VALUES (${campaignId}, now() - interval '7 days', now(), 'old-report.pdf', ${pdf}, 6, NULL) RETURNING id::text AS id`;
    const oldPath = `/api/v1/analytics/reports/${old.id}/pdf`;
    expect((await download(oldPath)).equals(pdf)).toBe(true);

    const run = async () =>
      (
        await fetch(`${app.server.opsUrl}/_dev/api/cron/run`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ job: "analytics-reports-to-bucket" }),
        })
      ).json();
    expect(await run()).toMatchObject({ ok: true });
    expect(await sql`SELECT pdf IS NULL AS moved, object_key, size_bytes FROM reports WHERE id = ${old.id}`).toEqual([
      { moved: true, object_key: `${old.id}.pdf`, size_bytes: pdf.length },
    ]);
    expect(readFileSync(objectFile("analytics-reports", `${old.id}.pdf`)).equals(pdf)).toBe(true);
    expect((await download(oldPath)).equals(pdf)).toBe(true);
    // Again: nothing to move, nothing breaks.
    expect(await run()).toMatchObject({ ok: true });
    expect((await download(oldPath)).equals(pdf)).toBe(true);
    expect(app.server.logs()).toMatch(/report PDFs moved to the bucket.*"moved":1/);
  } finally {
    await sql.end();
  }
});
