// Incidents end to end over HTTP, the app started as `npm start` starts it, Twilio and SMTP at
// their fakes: a hostile burst on a campaign with three hours of calm history becomes one incident
// paged once to each duty phone (or mailbox); the crisis escalating to CRITICAL updates that same
// incident and pages each of them once more with "UPDATE"; a signed inbound "ACK <ref>" (or the
// email's link, confirmed by POST) acknowledges it, the sender gets a confirmation, the
// leadership's escalation is cancelled and nobody is paged again.
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { useFixture } from "../host/testing/use-fixture.ts";
import twilioSdk from "twilio";
import { startSmtpSink, type SmtpSink } from "./fakes/smtp";
import { startFakeTwilio, type FakeTwilio } from "./fakes/twilio";
import { appEnv, caller, createCampaign, signInFirstAdmin } from "./http.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const ADMIN = { email: "chief@incidents.example", password: "chief-password-1" };
const PUBLIC_URL = "https://warroom.incidents.example";
const MINUTE = 60_000;

let smtp: SmtpSink;
let twilio: FakeTwilio;
const env = appEnv("incidents-end-to-end-secret-0123456789abcdef", ADMIN);
// Runs before the fixture's own beforeAll: fills `env`, which the fixture reads when it starts.
beforeAll(async () => {
  [smtp, twilio] = await Promise.all([startSmtpSink(), startFakeTwilio()]);
  Object.assign(env, {
    SMTP_URL: smtp.url,
    ALERT_EMAIL_FROM: "alerts@incidents.example",
    SLACK_WEBHOOK_URL: "",
    PUSH_WEBHOOK_URL: "",
    TWILIO_SID: twilio.accountSid,
    TWILIO_TOKEN: twilio.authToken,
    TWILIO_FROM: "+14155550199",
    TWILIO_BASE_URL: twilio.url,
    ALERT_RETRY_BASE_MS: "50",
    // Leadership would be reached an hour later: long after the acknowledgement cancels it.
    ALERT_ESCALATION_DELAY_SECONDS: "3600",
    WARROOM_PUBLIC_URL: PUBLIC_URL,
    WARROOM_DASHBOARD_URL: "https://dashboard.incidents.example",
    ALERT_LINK_SECRET: "incidents-link-secret-0123456789abcdef",
  });
});
const app = useFixture(ROOT, env);
afterAll(() => Promise.all([smtp.close(), twilio.close()]));

const call = caller(app);
const poll = <T>(fn: () => T | Promise<T>, timeout = 20_000) => expect.poll(fn, { timeout, interval: 50 });
let admin = "";
beforeAll(async () => {
  admin = await signInFirstAdmin(app, ADMIN);
});

let seq = 0;
/** Mentions of one minute from `start`: calm ones about the campaign's tour, or hostile ones about bribes. */
function minute(start: number, n: number, sentiment: number, hostile: boolean, span = MINUTE) {
  return Array.from({ length: n }, (_, i) => {
    const id = `m${++seq}`;
    return {
      id,
      platform: ["twitter", "facebook", "news"][i % 3]!,
      author: `@voter${i % 40}`,
      text: hostile
        ? `Leaked emails: Rivera took bribes, resign now (${i % 7})`
        : `Rivera visits ${["schools", "farms", "clinics", "ports"][i % 4]} today ${i % 9}`,
      url: `https://social.example/${id}`,
      sentiment: Math.max(-1, sentiment + ((i % 5) - 2) * 0.05),
      reach: 1500 + (i % 50) * 40,
      engagement: 12,
      timestamp: new Date(start + Math.floor((i * span) / Math.max(1, n))).toISOString(),
    };
  });
}

async function ingest(campaignId: string, mentions: unknown[]): Promise<void> {
  for (let i = 0; i < mentions.length; i += 1000) {
    const r = await call("POST", "/api/v1/monitoring/ingest", admin, { campaignId, mentions: mentions.slice(i, i + 1000) });
    expect(r.status).toBe(200);
  }
}

/**
 * The story as the detector sees it: five hours of calm (those older than two hours as history),
 * then six minutes of a hostile, growing conversation ending now: a CRISIS at HIGH. `escalate()`
 * then adds a wave of 300 angrier mentions in the last seconds: the same crisis at CRITICAL.
 */
async function hostileBurst(campaignId: string): Promise<{ escalate: () => Promise<void> }> {
  const now = Date.now();
  const hotStart = now - 6 * MINUTE;
  const history: unknown[] = [];
  const recent: unknown[] = [];
  for (let t = hotStart - 300 * MINUTE; t < hotStart; t += MINUTE)
    (t < now - 125 * MINUTE ? history : recent).push(...minute(t, 2 + (Math.floor(t / MINUTE) % 3), 0.15, false));
  [12, 15, 15, 18, 18, 20].forEach((n, k) => {
    recent.push(...minute(hotStart + k * MINUTE, n, -0.6, true));
  });
  await ingest(campaignId, history);
  await ingest(campaignId, recent);
  return { escalate: () => ingest(campaignId, minute(Date.now() - 20_000, 300, -0.85, true, 19_000)) };
}

async function incidents(campaignId: string) {
  const r = await call("GET", `/api/v1/alerting/queue?campaignId=${campaignId}`, admin);
  expect(r.status).toBe(200);
  return r.json as { total: number; alerts: any[] };
}

/** Twilio's inbound webhook, signed as Twilio signs it (the URL it posted to); answers status and TwiML. */
async function inbound(from: string, body: string, sign = true): Promise<{ status: number; text: string }> {
  const url = `${app.server.url}/api/v1/integrations/twilio/inbound`;
  const params = { From: from, To: "+14155550199", Body: body, MessageSid: `SM${++seq}`, AccountSid: twilio.accountSid };
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": sign ? twilioSdk.getExpectedTwilioSignature(twilio.authToken, url, params) : "forged",
    },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, text: await res.text() };
}

const sentTo = (to: string) => twilio.messages.filter((m) => m.to === to);

/** A delivery state after which nothing more is sent for it. */
const FINAL = new Set(["sent", "failed", "cancelled", "skipped"]);

/** The campaign's incident's deliveries once every one is final (polled: a retry may still be under way). */
async function settledDeliveries(campaignId: string): Promise<{ recipient: string; status: string }[]> {
  const deliveries = async (): Promise<{ recipient: string; status: string }[]> => (await incidents(campaignId)).alerts[0].deliveries;
  await poll(async () => (await deliveries()).filter((d) => !FINAL.has(d.status))).toEqual([]);
  return deliveries();
}

test("a hostile burst pages once, its escalation pages once more as UPDATE, and ACK <ref> by text stops it", { timeout: 120_000 }, async () => {
  const campaignId = await createCampaign(call, admin, { name: "Rivera for Senate — Égalité 2026" });
  const duty = ["+14155559101", "+14155559102"];
  const chief = "+14155559103";
  for (const [name, address, minSeverity] of [
    ["Ana Duty", duty[0], "HIGH"],
    ["Ben Duty", duty[1], "HIGH"],
    ["The Chief", chief, "CRITICAL"],
  ] as const) {
    expect((await call("POST", `/api/v1/campaigns/${campaignId}/contacts`, admin, { name, channel: "SMS", address, minSeverity })).status).toBe(200);
  }

  const burst = await hostileBurst(campaignId);
  // One incident, one SMS per duty phone.
  for (const to of duty) await poll(() => sentTo(to).length).toBe(1);
  const first = await incidents(campaignId);
  expect(first.total).toBe(1);
  const incident = first.alerts[0];
  expect(incident).toMatchObject({
    type: "CRISIS",
    severity: "HIGH",
    state: "open",
    wave: 1,
    campaignName: "Rivera for Senate — Égalité 2026",
    ref: expect.any(Number),
  });
  const ref: number = incident.ref;
  const sms = sentTo(duty[0]!)[0]!.body;
  expect(sms.slice(0, `HIGH #${ref} Rivera for Senate - Égalité 2026\nCrisis: mentions `.length)).toBe(
    `HIGH #${ref} Rivera for Senate - Égalité 2026\nCrisis: mentions `,
  );
  expect(sms).toContain(`Reply ACK ${ref}`);
  expect(sms).toContain(`https://dashboard.incidents.example/incidents/${incident.id}`);
  expect(sms).not.toMatch(/[×−—]/);
  expect(incident.title).toMatch(/^Crisis: mentions \d+(\.\d)?x usual, sentiment /);
  expect(sms).toContain(incident.title.replace(/ on .*$/, ""));
  expect(sentTo(chief)).toHaveLength(0);

  // The same crisis escalates: the same incident, one UPDATE per duty phone; the chief is held for escalation.
  await burst.escalate();
  for (const to of duty) await poll(() => sentTo(to).length).toBe(2);
  expect(sentTo(duty[1]!)[1]!.body.startsWith(`UPDATE CRITICAL #${ref} `)).toBe(true);
  const updated = await incidents(campaignId);
  expect(updated.total).toBe(1);
  expect(updated.alerts[0]).toMatchObject({ id: incident.id, ref, severity: "CRITICAL", state: "open", wave: 2 });
  expect(updated.alerts[0].history.map((h: { event: string }) => h.event)).toEqual(["raised", "severity_raised"]);
  expect(updated.alerts[0].deliveries.find((d: { recipient: string }) => d.recipient === chief)).toMatchObject({ status: "held", tier: 2, wave: 2 });
  // Seed fields kept.
  expect(updated.alerts[0]).toMatchObject({
    campaignId,
    title: expect.any(String),
    message: expect.stringContaining("Rivera for Senate"),
    data: expect.objectContaining({ crisisScore: expect.any(Number), estimatedReach: expect.any(Number) }),
    channels: expect.any(Array),
    timestamp: expect.any(String),
  });

  // A forged reply is refused; an unknown number and an unknown reference get a helpful answer and change nothing.
  expect((await inbound(duty[0]!, `ACK ${ref}`, false)).status).toBe(403);
  const stranger = await inbound("+14155559999", `ACK ${ref}`);
  expect(stranger.status).toBe(200);
  expect(stranger.text).toContain("has not been paged");
  const wrongRef = await inbound(duty[0]!, `ACK ${ref + 1000}`);
  expect(wrongRef.text).toContain(`Reply ACK ${ref}`);
  expect((await incidents(campaignId)).alerts[0].state).toBe("open");

  // "ack  #<ref>" (case and spacing forgiven) from a paged duty phone acknowledges it and answers.
  const ack = await inbound(duty[0]!, ` ack  #${ref} `);
  expect(ack.status).toBe(200);
  expect(ack.text).toMatch(new RegExp(`<Message>War Room: #${ref} .* acknowledged by Ana Duty\\. Escalation stopped\\.</Message>`));
  const acked = (await incidents(campaignId)).alerts[0];
  expect(acked).toMatchObject({ state: "acknowledged", acknowledgedVia: "sms", acknowledgedBy: `sms:${duty[0]}` });
  expect(acked.history.map((h: { event: string }) => h.event)).toEqual(["raised", "severity_raised", "acknowledged"]);
  expect(acked.deliveries.find((d: { recipient: string }) => d.recipient === chief).status).toBe("cancelled");
  // The other duty phone replying a bare ACK learns it is taken care of.
  const late = await inbound(duty[1]!, "ACK");
  expect(late.text).toContain("no open incident");
  const again = await inbound(duty[1]!, `ACK ${ref}`);
  expect(again.text).toContain("already acknowledged by Ana Duty");

  // No further pages: every delivery of the incident is settled (sent or cancelled, none held,
  // pending or being sent), so nothing is left that could page anyone, and Twilio got exactly the sent ones.
  const settled = await settledDeliveries(campaignId);
  expect(
    settled
      .filter((d) => d.status === "sent")
      .map((d) => d.recipient)
      .sort(),
  ).toEqual([duty[0], duty[0], duty[1], duty[1]]);
  expect(sentTo(duty[0]!)).toHaveLength(2);
  expect(sentTo(duty[1]!)).toHaveLength(2);
  expect(sentTo(chief)).toHaveLength(0);

  // A manager closes it as resolved, with a reason; closing again changes nothing.
  const resolved = await call("POST", `/api/v1/alerting/${incident.id}/resolve`, admin, { reason: "Statement issued; story died down" });
  expect(resolved.json).toMatchObject({ alertId: incident.id, ref, state: "resolved", closeReason: "Statement issued; story died down" });
  expect((await call("POST", `/api/v1/alerting/${incident.id}/false-alarm`, admin, { reason: "no" })).json.state).toBe("resolved");
  expect((await call("POST", `/api/v1/alerting/${incident.id}/resolve`, admin, { reason: "" })).status).toBe(400);
  const closed = (await incidents(campaignId)).alerts[0];
  expect(closed).toMatchObject({ state: "resolved", closeReason: "Statement issued; story died down" });
});

/** The text part of a sink mail, quoted-printable decoded. */
function mailText(raw: string): string {
  return raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

test("the same by the email's link: GET only shows the page, the POST acknowledges, once", { timeout: 120_000 }, async () => {
  const campaignId = await createCampaign(call, admin, { name: "Rivera Press Office" });
  const press = "press@rivera.example";
  const chief = "+14155559203";
  expect(
    (await call("POST", `/api/v1/campaigns/${campaignId}/contacts`, admin, { name: "Press Desk", channel: "EMAIL", address: press, minSeverity: "HIGH" }))
      .status,
  ).toBe(200);
  expect(
    (await call("POST", `/api/v1/campaigns/${campaignId}/contacts`, admin, { name: "The Chief", channel: "SMS", address: chief, minSeverity: "CRITICAL" }))
      .status,
  ).toBe(200);
  const mailsTo = () => smtp.mails.filter((m) => m.to.includes(press));

  const burst = await hostileBurst(campaignId);
  await poll(() => mailsTo().length).toBe(1);
  const { alerts } = await incidents(campaignId);
  const ref: number = alerts[0].ref;
  expect(mailsTo()[0]!.subject).toBe(`[HIGH #${ref}] Rivera Press Office: ${alerts[0].title.replace(/ on .*$/, "")}`);
  await burst.escalate();
  await poll(() => mailsTo().length).toBe(2);
  expect(mailsTo()[1]!.subject.startsWith(`[UPDATE CRITICAL #${ref}] Rivera Press Office: `)).toBe(true);

  const text = mailText(mailsTo()[1]!.raw);
  expect(text).toContain("Key figures:");
  expect(text).not.toContain(campaignId);
  const link = new RegExp(`${PUBLIC_URL.replace(/\./g, "\\.")}(/api/v1/alerting/ack/[A-Za-z0-9._-]+)`).exec(text)![1]!;
  // Opening the link (a person, or a mail scanner) changes nothing.
  const opened = await fetch(app.server.url + link);
  expect(opened.status).toBe(200);
  expect(await opened.text()).toContain(
    `<form method="post"><button type="submit" style="font-size:1.1rem;padding:.6rem 1.2rem">Acknowledge #${ref}</button></form>`,
  );
  expect((await incidents(campaignId)).alerts[0].state).toBe("open");
  // A tampered token is refused.
  expect((await fetch(`${app.server.url + link.slice(0, -2)}xx`, { method: "POST" })).status).toBe(404);

  const confirmed = await fetch(app.server.url + link, { method: "POST" });
  expect(confirmed.status).toBe(200);
  expect(await confirmed.text()).toContain(`Acknowledged #${ref}`);
  const acked = (await incidents(campaignId)).alerts[0];
  expect(acked).toMatchObject({ state: "acknowledged", acknowledgedVia: "link", acknowledgedBy: `email:${press}` });
  expect(acked.deliveries.find((d: { recipient: string }) => d.recipient === chief).status).toBe("cancelled");
  // Single use.
  expect((await fetch(app.server.url + link, { method: "POST" })).status).toBe(410);

  // Nothing left to send (see the first test), and the mailbox got exactly the sent ones.
  const settled = await settledDeliveries(campaignId);
  expect(settled.filter((d) => d.status === "sent").map((d) => d.recipient)).toEqual([press, press]);
  expect(mailsTo()).toHaveLength(2);
  expect(sentTo(chief)).toHaveLength(0);
});

test("a campaign without contacts says so; bad input to the lifecycle endpoints is 4xx", async () => {
  const campaignId = await createCampaign(call, admin, { name: "Nobody Home" });
  const r = await call("POST", "/api/v1/alerting/crisis", admin, {
    campaignId,
    crisisScore: 0.9,
    triggers: ["spike"],
    affectedPlatforms: [],
    estimatedReach: 10,
    sentimentImpact: -0.5,
    recommendedActions: [],
  });
  expect(r.status).toBe(200);
  expect(r.json).toMatchObject({ deliveries: 0 });
  expect((await incidents(campaignId)).alerts[0]).toMatchObject({ id: r.json.alertId, status: "no_contacts" });
  // Contacts who follow only higher severities: said so too.
  expect(
    (await call("POST", `/api/v1/campaigns/${campaignId}/contacts`, admin, { name: "Chief", channel: "SMS", address: "+14155559301", minSeverity: "CRITICAL" }))
      .status,
  ).toBe(200);
  const medium = await call("POST", "/api/v1/alerting/send", admin, { campaignId, type: "SENTIMENT", message: "Sentiment dipped", severity: "MEDIUM" });
  expect((await incidents(campaignId)).alerts.find((a) => a.id === medium.json.alertId)).toMatchObject({ status: "below_threshold", deliveries: [] });
  expect((await call("POST", `/api/v1/alerting/${r.json.alertId}/false-alarm`, admin, {})).status).toBe(400);
  expect((await call("POST", "/api/v1/alerting/not-a-uuid/resolve", admin, { reason: "x" })).status).toBe(404);
  expect((await call("POST", `/api/v1/alerting/${r.json.alertId}/false-alarm`, undefined, { reason: "x" })).status).toBe(401);
  expect((await fetch(`${app.server.url}/api/v1/alerting/ack/garbage`)).status).toBe(404);
});
