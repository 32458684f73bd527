// alerting over real HTTP, the app started as `npm start` starts it, with SMTP, Slack and Twilio
// (behind integrations) pointed at local fakes: a crisis alert posted by a manager reaches every
// channel once; the queue shows it delivered; acknowledging works once; bad input and missing
// auth get Encore's errors.
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { useFixture } from "../host/testing/use-fixture.ts";
import { startSmtpSink, type SmtpSink } from "./fakes/smtp";
import { startFakeSlack, type FakeSlack } from "./fakes/slack";
import { startFakeTwilio, type FakeTwilio } from "./fakes/twilio";
import { appEnv, caller, createCampaign, signInFirstAdmin } from "./http.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const ADMIN = { email: "chief@alerting.example", password: "chief-password-1" };

let smtp: SmtpSink;
let slack: FakeSlack;
let twilio: FakeTwilio;
const env = appEnv("alerting-end-to-end-secret-0123456789abcdef", ADMIN);
// Runs before the fixture's own beforeAll: fills `env`, which the fixture reads when it starts.
beforeAll(async () => {
  [smtp, slack, twilio] = await Promise.all([startSmtpSink(), startFakeSlack(), startFakeTwilio()]);
  Object.assign(env, {
    SMTP_URL: smtp.url,
    ALERT_EMAIL_FROM: "alerts@alerting.example",
    SLACK_WEBHOOK_URL: slack.webhookUrl,
    PUSH_WEBHOOK_URL: "",
    TWILIO_SID: twilio.accountSid,
    TWILIO_TOKEN: twilio.authToken,
    TWILIO_FROM: "+14155550199",
    TWILIO_WHATSAPP_FROM: "+14155238886",
    TWILIO_BASE_URL: twilio.url,
    ALERT_RETRY_BASE_MS: "50",
  });
});
const app = useFixture(ROOT, env);
afterAll(() => Promise.all([smtp.close(), slack.close(), twilio.close()]));

const call = caller(app);

let admin = "";
let campaignId = "";
beforeAll(async () => {
  admin = await signInFirstAdmin(app, ADMIN);
  campaignId = await createCampaign(call, admin);
  for (const contact of [
    { name: "Duty phone", channel: "SMS", address: "+14155558001" },
    { name: "Duty WhatsApp", channel: "WHATSAPP", address: "+14155558002" },
    { name: "Press desk", channel: "EMAIL", address: "press@rivera.example" },
    { name: "Room", channel: "SLACK", address: "#war-room" },
  ]) {
    expect((await call("POST", `/api/v1/campaigns/${campaignId}/contacts`, admin, contact)).status).toBe(200);
  }
});

const crisis = () => ({
  campaignId,
  crisisScore: 0.92,
  triggers: ["mention spike", "sentiment drop"],
  affectedPlatforms: ["twitter"],
  estimatedReach: 80000,
  sentimentImpact: -0.5,
  recommendedActions: ["hold a statement"],
});

test("a crisis alert over HTTP reaches SMS, WhatsApp, email and Slack once; the queue shows it delivered; ack works once", async () => {
  const r = await call("POST", "/api/v1/alerting/crisis", admin, crisis());
  expect(r.status).toBe(200);
  expect(r.json).toMatchObject({ sent: true, deliveries: 4 });
  const alertId = r.json.alertId as string;

  const poll = (fn: () => number) => expect.poll(fn, { timeout: 15_000, interval: 50 });
  await poll(() => twilio.messages.filter((m) => m.to === "+14155558001").length).toBe(1);
  await poll(() => twilio.messages.filter((m) => m.to === "whatsapp:+14155558002").length).toBe(1);
  await poll(() => smtp.mails.filter((m) => m.to.includes("press@rivera.example")).length).toBe(1);
  await poll(() => slack.messages.filter((m) => m.channel === "#war-room").length).toBe(1);
  expect(twilio.messages.find((m) => m.to === "+14155558001")!.body).toMatch(
    /^CRITICAL #\d+ Rivera\nCRISIS ALERT: mention spike, sentiment drop\nReply ACK \d+\n/,
  );

  await expect
    .poll(
      async () =>
        (await call("GET", `/api/v1/alerting/queue?campaignId=${campaignId}`, admin)).json.alerts.find((a: { id: string }) => a.id === alertId)?.status,
      { timeout: 15_000, interval: 100 },
    )
    .toBe("delivered");
  const q = await call("GET", `/api/v1/alerting/queue?campaignId=${campaignId}&limit=5`, admin);
  expect(q.json).toMatchObject({ page: 1, limit: 5, total: 1 });
  expect(q.json.alerts[0]).toMatchObject({
    id: alertId,
    type: "CRISIS",
    severity: "CRITICAL",
    campaignId,
    channels: expect.arrayContaining([{ type: "SMS", recipients: ["+14155558001"], template: "crisis_sms" }]),
  });
  expect(q.json.alerts[0].deliveries).toHaveLength(4);

  const ack = await call("POST", `/api/v1/alerting/${alertId}/ack`, admin);
  expect(ack.status).toBe(200);
  expect(ack.json).toMatchObject({ alertId, cancelledDeliveries: 0 });
  const again = await call("POST", `/api/v1/alerting/${alertId}/ack`, admin);
  expect(again.json.acknowledgedAt).toBe(ack.json.acknowledgedAt);
});

test("bad input is 400, no token is 401, an unknown alert is 404", async () => {
  const bad = await call("POST", "/api/v1/alerting/crisis", admin, { ...crisis(), crisisScore: 3 });
  expect(bad.status).toBe(400);
  expect(bad.json.code).toBe("invalid_argument");
  const missing = await call("POST", "/api/v1/alerting/crisis", admin, { campaignId });
  expect(missing.status).toBe(400);
  const badRecipient = await call("POST", "/api/v1/alerting/send", admin, { campaignId, type: "SENTIMENT", message: "x", channel: "SMS", recipients: ["12"] });
  expect(badRecipient.status).toBe(400);
  expect((await call("GET", "/api/v1/alerting/queue?limit=0", admin)).status).toBe(400);
  expect((await call("GET", "/api/v1/alerting/queue")).status).toBe(401);
  expect((await call("POST", "/api/v1/alerting/crisis", undefined, crisis())).status).toBe(401);
  const unknown = await call("POST", "/api/v1/alerting/00000000-0000-4000-8000-000000000000/ack", admin);
  expect(unknown.status).toBe(404);
  expect(unknown.json.code).toBe("not_found");
});
