// compliance over real HTTP, the app started as `npm start` starts it (Twilio pointed at the fake):
// a signed inbound STOP through Twilio's webhook, then an erasure request and a retention run; a
// GDPR report generated and downloaded as JSON and as PDF (its text read back with unpdf) carrying
// that evidence; unknown regulations 404; the check endpoint's 400 for an unknown channel; the audit
// chain verified; permissions.
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { extractText, getDocumentProxy } from "unpdf";
import { useFixture } from "../host/testing/use-fixture.ts";
import twilioSdk from "twilio";
import { startFakeTwilio, type FakeTwilio } from "./fakes/twilio";
import { appEnv, caller, createCampaign, signInFirstAdmin } from "./http.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const ADMIN = { email: "chief@compliance.example", password: "chief-password-1" };

let twilio: FakeTwilio;
const env = appEnv("compliance-end-to-end-secret-0123456789abcdef", ADMIN);
beforeAll(async () => {
  twilio = await startFakeTwilio();
  Object.assign(env, { TWILIO_SID: twilio.accountSid, TWILIO_TOKEN: twilio.authToken, TWILIO_FROM: "+14155550199", TWILIO_BASE_URL: twilio.url });
});
const app = useFixture(ROOT, env);
afterAll(() => twilio.close());

const call = caller(app);
let admin = "";

async function get(p: string, token: string): Promise<Response> {
  return fetch(app.server.url + p, { headers: { authorization: `Bearer ${token}` } });
}

beforeAll(async () => {
  admin = await signInFirstAdmin(app, ADMIN);
});

test("STOP over Twilio's webhook, an erasure and a retention run end up in a downloadable GDPR report", async () => {
  // A signed STOP (the URL Twilio signs is the one it posted to); an unsigned one is refused.
  const url = `${app.server.url}/api/v1/integrations/twilio/inbound`;
  const params = { From: "+14155557777", To: "+14155550199", Body: "STOP", MessageSid: "SM0123456789abcdef0123456789abcde1" };
  const form = new URLSearchParams(params).toString();
  const post = (signature: string) =>
    fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature }, body: form });
  expect((await post("wrong")).status).toBe(403);
  const ok = await post(twilioSdk.getExpectedTwilioSignature(twilio.authToken, url, params));
  expect(ok.status).toBe(200);
  expect(await ok.text()).toContain("<Response>");

  // A user asks for their own erasure.
  const email = "leaving@compliance.example";
  await call("POST", "/api/v1/users", admin, { email, password: "password-for-e2e", name: "Leaving", role: "viewer" });
  const self = (await call("POST", "/api/v1/auth/login", undefined, { email, password: "password-for-e2e" })).json;
  const { json: requested } = await call("POST", "/api/v1/compliance/data-deletion", self.accessToken, { userId: self.user.id, reason: "leaving" });
  await expect
    .poll(async () => (await call("GET", `/api/v1/compliance/data-deletion/${requested.requestId}`, admin)).json.status, { timeout: 20_000, interval: 100 })
    .toBe("completed");

  // A retention run, started by an admin (the nightly job does the same).
  const run = await call("POST", "/api/v1/compliance/data-retention/runs", admin);
  expect(run.json).toMatchObject({ status: "ok", triggeredBy: expect.any(String) });

  // Unknown regulation: 404; a manager may not generate reports.
  expect((await call("POST", "/api/v1/compliance/reports/hipaa", admin)).status).toBe(404);
  await call("POST", "/api/v1/users", admin, { email: "mgr@compliance.example", password: "password-for-e2e", name: "Mgr", role: "manager" });
  const manager = (await call("POST", "/api/v1/auth/login", undefined, { email: "mgr@compliance.example", password: "password-for-e2e" })).json.accessToken;
  expect((await call("POST", "/api/v1/compliance/reports/gdpr", manager)).status).toBe(403);
  expect((await call("POST", "/api/v1/compliance/data-retention/runs", manager)).status).toBe(403);

  const { status, json: report } = await call("POST", "/api/v1/compliance/reports/gdpr", admin);
  expect(status).toBe(200);
  expect(report.reportUrl).toBe(`/api/v1/compliance/reports/${report.reportId}/download?format=pdf`);

  const asJson = await get(report.jsonUrl, admin);
  expect(asJson.headers.get("content-type")).toBe("application/json");
  const evidence = (await asJson.json()) as any;
  expect(evidence).toMatchObject({
    regulation: "gdpr",
    auditChain: { valid: true },
    consent: { optOutEvents: 1, currentlyOptedOut: 1 },
    erasure: { completed: 1, pending: 0 },
  });
  expect(evidence.erasure.requests[0]).toMatchObject({ requestId: requested.requestId, status: "completed", seconds: expect.any(Number) });
  expect(evidence.retention.policy).toHaveLength(6);
  expect(evidence.retention.runs.map((r: { id: string }) => r.id)).toEqual([run.json.id]);
  expect(evidence.rules.map((r: { id: string }) => r.id)).toEqual(["gdpr-lawful-basis", "gdpr-special-category", "eprivacy-consent"]);
  expect(evidence.optOuts).toMatchObject({ optOuts: 1, events: [{ kind: "opt_out", keyword: "STOP", channel: "sms" }] });

  const pdf = await get(report.reportUrl, admin);
  expect(pdf.status).toBe(200);
  expect(pdf.headers.get("content-type")).toBe("application/pdf");
  const bytes = new Uint8Array(await pdf.arrayBuffer());
  expect(Buffer.from(bytes.slice(0, 5)).toString()).toBe("%PDF-");
  const { text } = await extractText(await getDocumentProxy(bytes), { mergePages: true });
  expect(text).toContain("Hash chain: VALID");
  expect(text).toContain("Opt-outs received: 1");
  expect(text).toContain(requested.requestId);
  expect(text).toContain("Art. 17 right to erasure");
  expect(text).toContain("Retention runs (1 most recent)");

  expect((await get(report.reportUrl, self.accessToken)).status).toBe(401); // erased: the session is gone
  expect((await get(`/api/v1/compliance/reports/00000000-0000-4000-8000-000000000000/download`, admin)).status).toBe(404);
  expect((await get(`/api/v1/compliance/reports/${report.reportId}/download?format=doc`, admin)).status).toBe(400);
});

test("the check endpoint judges a communication; an unknown channel is a 400", async () => {
  const data = {
    channel: "sms",
    text: "Rally at 7. Reply STOP to opt out.",
    sender: { name: "Rivera" },
    recipients: [{ id: "r1", timeZone: "America/New_York", consent: { recorded: false } }],
    sendAt: "2026-01-15T15:00:00Z",
    region: "US",
  };
  const { status, json } = await call("POST", "/api/v1/compliance/check", admin, { data });
  expect(status).toBe(200);
  expect(json).toMatchObject({ compliant: false, findings: [{ rule: "tcpa-consent", regulation: "TCPA", recipient: "r1" }] });
  expect(json.issues[0]).toMatch(/no recorded prior express consent.*47 U\.S\.C\. § 227/);
  expect(json.checkId).toEqual(expect.any(String));
  expect((await call("POST", "/api/v1/compliance/check", admin, { data: { ...data, channel: "fax" } })).status).toBe(400);
  expect((await call("POST", "/api/v1/compliance/check", undefined, { data })).status).toBe(401);
});

test("the audit chain verifies over HTTP; start after end is a 400", async () => {
  const { json } = await call("GET", "/api/v1/compliance/audit-logs/verify", admin);
  expect(json).toMatchObject({ valid: true });
  expect(json.checked).toBeGreaterThan(0);
  expect((await call("GET", "/api/v1/compliance/audit-logs?start=2026-02-01T00:00:00Z&end=2026-01-01T00:00:00Z", admin)).status).toBe(400);
  expect((await call("GET", "/api/v1/compliance/audit-logs?end=2026-01-01T00:00:00Z", admin)).status).toBe(400);
});

test("every check is audited; a regulation report for a campaign and a period lists its checks and their verdicts", async () => {
  const campaign = await createCampaign(call, admin, { name: "Keystone" });
  const other = await createCampaign(call, admin, { name: "Elsewhere" });
  // The period starts with this test: the first test's STOP and erasure were requested before it.
  const since = new Date().toISOString();
  const text = "Rally at 7. Txt STOP 2 quit";
  const good = {
    channel: "sms",
    text,
    sender: { name: "Rivera" },
    recipients: [{ id: "a", timeZone: "America/New_York", consent: { recorded: true } }],
    sendAt: "2026-01-15T15:00:00Z",
    region: "US",
    campaignId: campaign,
  };
  const bad = { ...good, recipients: [{ id: "b", timeZone: "America/New_York", consent: { recorded: false } }] };
  const p2p = { ...bad, autodialed: false };
  const verdicts = [];
  for (const data of [good, bad, p2p, { ...good, campaignId: other }]) verdicts.push((await call("POST", "/api/v1/compliance/check", admin, { data })).json);
  expect(verdicts.map((v) => v.compliant)).toEqual([true, false, true, true]);
  // The audit log holds who checked what and the verdict.
  const { json: logs } = await call(
    "GET",
    `/api/v1/compliance/audit-logs?start=${since}&end=${new Date(Date.now() + 60_000).toISOString()}&campaignId=${campaign}`,
    admin,
  );
  const checks = logs.logs.filter((l: { action: string }) => l.action === "compliance.checked");
  expect(checks).toHaveLength(3);
  expect(checks[1]).toMatchObject({
    actorId: expect.any(String),
    details: { channel: "sms", compliant: false, findings: [{ rule: "tcpa-consent", recipient: "b" }] },
  });
  // The TCPA report of that campaign over the period: its three checks, not the other campaign's.
  const { status, json: report } = await call("POST", "/api/v1/compliance/reports/tcpa", admin, {
    campaignId: campaign,
    start: since,
    end: new Date(Date.now() + 60_000).toISOString(),
  });
  expect(status).toBe(200);
  const evidence = (await (await get(report.jsonUrl, admin)).json()) as any;
  expect(evidence.scope).toMatchObject({ campaignId: campaign, start: since });
  expect(evidence.checks).toMatchObject({ total: 3, compliant: 2, nonCompliant: 1 });
  expect(evidence.checks.byRule.find((r: { rule: string }) => r.rule === "tcpa-consent")).toEqual({ rule: "tcpa-consent", applied: 2, failed: 1 });
  expect(evidence.checks.byRule.find((r: { rule: string }) => r.rule === "tcpa-quiet-hours")).toEqual({ rule: "tcpa-quiet-hours", applied: 3, failed: 0 });
  expect(evidence.checks.entries.every((e: { campaignId: string }) => e.campaignId === campaign)).toBe(true);
  // The period excludes what came before it (the STOP and the erasure of the first test).
  expect(evidence.optOuts.optOuts).toBe(0);
  expect(evidence.erasure.requests).toEqual([]);
  const pdf = new Uint8Array(await (await get(report.reportUrl, admin)).arrayBuffer());
  const { text: pdfText } = await extractText(await getDocumentProxy(pdf), { mergePages: true });
  expect(pdfText).toContain("Compliance checks run in the period (3)");
  // Bad periods and campaigns are 400s.
  expect((await call("POST", "/api/v1/compliance/reports/tcpa", admin, { start: "2026-02-01T00:00:00Z", end: "2026-01-01T00:00:00Z" })).status).toBe(400);
  expect((await call("POST", "/api/v1/compliance/reports/tcpa", admin, { campaignId: "nope" })).status).toBe(400);
});

test("audit entries users write: a viewer cannot forge a campaign's trail; its manager writes marked entries; bad details are 400", async () => {
  const campaignId = await createCampaign(call, admin);
  await call("POST", "/api/v1/users", admin, { email: "viewer@forge.example", password: "password-for-e2e", name: "Viewer", role: "viewer" });
  const viewer = (await call("POST", "/api/v1/auth/login", undefined, { email: "viewer@forge.example", password: "password-for-e2e" })).json;
  // The issue's forgeries: a service's action about campaign A, or a role change naming an admin.
  const forged = await call("POST", "/api/v1/compliance/audit-logs", viewer.accessToken, {
    action: "campaign.deleted",
    targetType: "campaign",
    targetId: campaignId,
  });
  expect(forged.status).toBe(400);
  expect(forged.json).toMatchObject({ code: "invalid_argument", message: expect.stringContaining("recorded by the services themselves") });
  const adminId = (await call("GET", "/api/v1/auth/me", admin)).json.id;
  expect(
    (await call("POST", "/api/v1/compliance/audit-logs", viewer.accessToken, { action: "user.role_changed", targetType: "user", targetId: adminId })).status,
  ).toBe(400);
  // A free action name does not help: not their campaign (404, as for any campaign they may not see), nor no campaign (403).
  expect((await call("POST", "/api/v1/compliance/audit-logs", viewer.accessToken, { action: "outreach.call_made", campaignId })).status).toBe(404);
  expect((await call("POST", "/api/v1/compliance/audit-logs", viewer.accessToken, { action: "outreach.call_made" })).status).toBe(403);

  // The campaign's manager writes one; it shows in the trail marked as user-submitted, and the chain verifies.
  const manager = (await call("POST", "/api/v1/auth/login", undefined, { email: "mgr@compliance.example", password: "password-for-e2e" })).json;
  expect((await call("POST", `/api/v1/campaigns/${campaignId}/members`, admin, { userId: manager.user.id, role: "manager" })).status).toBe(200);
  const written = await call("POST", "/api/v1/compliance/audit-logs", manager.accessToken, {
    action: "outreach.call_made",
    campaignId,
    details: { with: "county chair" },
  });
  expect(written.status).toBe(200);
  const trail = await call(
    "GET",
    `/api/v1/compliance/audit-logs?start=2000-01-01T00:00:00Z&end=2100-01-01T00:00:00Z&campaignId=${campaignId}`,
    manager.accessToken,
  );
  expect(trail.status).toBe(200);
  expect(trail.json.logs.find((l: { id: string }) => l.id === written.json.logId)).toMatchObject({
    actorId: manager.user.id,
    userSubmitted: true,
    details: { with: "county chair" },
  });
  expect(trail.json.logs.filter((l: { actorId: string }) => l.actorId === viewer.user.id)).toEqual([]);
  expect(trail.json.logs.find((l: { action: string }) => l.action === "campaign.created")).toMatchObject({ userSubmitted: false });

  // Details nested 5,000 deep (the issue's stack overflow), too large, or with a NUL: 400, never 500.
  const deep = `${'{"d":'.repeat(5000)}{}${"}".repeat(5000)}`;
  const res = await fetch(`${app.server.url}/api/v1/compliance/audit-logs`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${manager.accessToken}` },
    body: `{"action":"outreach.call_made","campaignId":"${campaignId}","details":${deep}}`,
  });
  expect(res.status).toBe(400);
  expect(
    (
      await call("POST", "/api/v1/compliance/audit-logs", manager.accessToken, {
        action: "outreach.call_made",
        campaignId,
        details: { note: "x".repeat(20_000) },
      })
    ).status,
  ).toBe(400);
  expect(
    (await call("POST", "/api/v1/compliance/audit-logs", manager.accessToken, { action: "outreach.call_made", campaignId, details: { note: "a\u0000b" } }))
      .status,
  ).toBe(400);
  expect((await call("GET", "/api/v1/compliance/audit-logs/verify", admin)).json.valid).toBe(true);
});
