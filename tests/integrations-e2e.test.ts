// integrations end to end: the whole app started as `npm start` starts it, Twilio configured against
// the fake Twilio (which posts signed status callbacks back over HTTP), the other providers left
// without credentials (their endpoints answer 503 unavailable, saying what is missing), and
// /api/v1/status showing each provider.
import { createServer } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { useFixture } from "../host/testing/use-fixture.ts";
import { startFakeTwilio, type FakeTwilio } from "./fakes/twilio";
import { appEnv, caller, createCampaign, signInFirstAdmin } from "./http.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const ADMIN = { email: "chief@integrations.example", password: "chief-password-1" };

/** A port free right now (the app needs its own URL in advance: Twilio signs the callback URL). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let twilio: FakeTwilio;
const env = appEnv("integrations-end-to-end-secret-0123456789", ADMIN);
// Runs before the fixture's own beforeAll (hooks run in order): fills `env`, which the fixture reads when it starts.
beforeAll(async () => {
  twilio = await startFakeTwilio();
  const port = await freePort();
  Object.assign(env, {
    PORT: String(port),
    TWILIO_SID: twilio.accountSid,
    TWILIO_TOKEN: twilio.authToken,
    TWILIO_FROM: "+14155550199",
    TWILIO_BASE_URL: twilio.url,
    TWILIO_STATUS_CALLBACK_URL: `http://127.0.0.1:${port}/api/v1/integrations/twilio/status`,
    MENTIONLYTICS_TOKEN: "",
    META_ACCESS_TOKEN: "",
    GOOGLE_ADS_DEVELOPER_TOKEN: "",
  });
});
const app = useFixture(ROOT, env);
afterAll(() => twilio.close());

const call = caller(app);

let admin = "";
beforeAll(async () => {
  admin = await signInFirstAdmin(app, ADMIN);
});

test("an SMS over HTTP reaches Twilio; Twilio's signed status callbacks are accepted; forged and unsigned ones are refused and logged", async () => {
  const sent = await call("POST", "/api/v1/integrations/sms", admin, { to: "+14155550100", message: "Polls close at 8" });
  expect(sent.status).toBe(200);
  const sid = sent.json.messageId as string;
  const msg = twilio.messages.find((m) => m.sid === sid)!;
  expect(msg.statusCallback).toBe(env.TWILIO_STATUS_CALLBACK_URL);

  expect(await twilio.deliverStatus(sid, "sent")).toBe(204);
  expect(await twilio.deliverStatus(sid, "delivered")).toBe(204);
  expect(await twilio.deliverStatus(sid, "failed", { signWith: "not-the-auth-token" })).toBe(403);
  expect(app.server.logs()).toContain("refused a Twilio callback with a bad signature");

  // An unsigned post is refused too.
  const unsigned = await fetch(env.TWILIO_STATUS_CALLBACK_URL, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: `MessageSid=${sid}&MessageStatus=failed`,
  });
  expect(unsigned.status).toBe(403);
  expect(((await unsigned.json()) as { code: string }).code).toBe("permission_denied");
});

test("a bad number over HTTP is 400 invalid_argument", async () => {
  const r = await call("POST", "/api/v1/integrations/sms", admin, { to: "555-0100", message: "x" });
  expect(r.status).toBe(400);
  expect(r.json.code).toBe("invalid_argument");
});

test("a provider without credentials answers 503 unavailable naming what is missing", async () => {
  const campaignId = await createCampaign(call, admin);
  for (const [p, missing] of [
    ["mentionlytics", "MENTIONLYTICS_TOKEN"],
    ["meta", "META_ACCESS_TOKEN"],
    ["google", "GOOGLE_ADS_DEVELOPER_TOKEN"],
  ]) {
    const r = await call("GET", `/api/v1/integrations/${p}/${campaignId}`, admin);
    expect(r.status).toBe(503);
    expect(r.json.code).toBe("unavailable");
    expect(r.json.message).toContain(missing);
  }
});

test("/api/v1/status shows each provider's configuration and circuit", async () => {
  const r = await call("GET", "/api/v1/status");
  const integrations = r.json.services.find((s: { name: string }) => s.name === "integrations");
  expect(integrations.healthy).toBe(true);
  expect(integrations.providers).toEqual([
    expect.objectContaining({ name: "twilio", configured: true, circuit: "closed", callsLastHour: expect.any(Number) }),
    expect.objectContaining({ name: "mentionlytics", configured: false, circuit: "closed" }),
    expect.objectContaining({ name: "meta", configured: false }),
    expect.objectContaining({ name: "googleads", configured: false }),
  ]);
  expect(integrations.providers[0].callsLastHour).toBeGreaterThanOrEqual(1);
});
