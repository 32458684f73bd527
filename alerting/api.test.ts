// alerting against its fakes, in process: a crisis alert (the public endpoint) reaches
// email (SMTP sink), Slack, push and SMS/WhatsApp (fake Twilio behind integrations); redelivery and
// duplicate messages send nothing twice; a channel failing then recovering; permanent failures
// visible; the crash between persist and publish recovered by the sweeper; escalation and
// acknowledgement; the queue's visibility rules; permissions and bad input.
import { push, slack, smtp, twilio, closeFakes } from "../tests/fakes/smtp-slack-env";
import "../tests/fakes/auth-secrets";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { alerting, auth, campaigns, compliance, users } from "~encore/clients";
import { auditEventsFor } from "../compliance/store";
import "../compliance/subscriptions";
import type { Role } from "../shared/permissions";
import { escalateAlerts, sendAlertDigests, sweepAlerts } from "./cron";
import { raiseAlert } from "./flows/lifecycle";
import "./delivery"; // the deliver-alerts subscription
import { deliverAlert } from "./flows/deliver";
import * as store from "./store";
import { as, code, type Profile } from "../tests/inproc";

const PASSWORD = "password-for-tests";
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 50 });

let n = 0;
let admin: Profile;
let manager: Profile;
async function user(role: Role): Promise<Profile> {
  const { user } = await users.createUser({ email: `alerting-${++n}@example.org`, password: PASSWORD, name: `User ${n}`, role }, as(admin));
  return user;
}

/** A phone number no other test uses. */
const phone = () => `+1415555${String(1000 + ++n).padStart(4, "0")}`;

/** A campaign run by `manager` with the given contacts. */
async function campaign(
  contacts: { channel: "SMS" | "WHATSAPP" | "EMAIL" | "SLACK"; address: string; minSeverity?: "LOW" | "MEDIUM" | "HIGH" | "CRITICAL"; name?: string }[],
): Promise<string> {
  const c = await campaigns.createCampaign(
    {
      name: `Campaign ${++n}`,
      description: "Re-election",
      startDate: new Date("2026-01-01T00:00:00Z"),
      endDate: new Date("2026-11-03T00:00:00Z"),
      budget: 1000,
      targetAudience: {
        demographics: { ageRange: { min: 18, max: 65 }, gender: ["all"], income: "any", education: "any" },
        interests: [],
        locations: [],
        platforms: [],
      },
    },
    as(manager),
  );
  for (const contact of contacts) await campaigns.addCampaignContact({ id: c.id, name: contact.name ?? `Contact ${++n}`, ...contact }, as(manager));
  return c.id;
}

const crisis = (campaignId: string, score = 0.9) => ({
  campaignId,
  crisisScore: score,
  triggers: ["mention spike"],
  affectedPlatforms: ["twitter"],
  estimatedReach: 50000,
  sentimentImpact: -0.4,
  recommendedActions: ["hold a statement"],
});
/** A crisis alert raised by the campaign's manager (POST /api/v1/alerting/crisis). */
const raiseCrisis = (c: ReturnType<typeof crisis>) => alerting.sendCrisisAlert(c, as(manager));

const sentTo = (to: string) => twilio.messages.filter((m) => m.to === to || m.to === `whatsapp:${to}`);
const mailsTo = (to: string) => smtp.mails.filter((m) => m.to.includes(to));
const slackTo = (channel: string) => slack.messages.filter((m) => m.channel === channel);
const pushesFor = (alertId: string) => push.notifications.filter((p) => p.alertId === alertId);

beforeAll(async () => {
  admin = (await auth.register({ email: "admin@alerting.example", password: PASSWORD, name: "Admin" })).user;
  manager = await user("manager");
});
afterAll(() => closeFakes());

describe("the pipeline", () => {
  test("a crisis alert reaches SMS, WhatsApp, email, Slack and push once each", async () => {
    const sms = phone();
    const wa = phone();
    const email = `ops${++n}@campaign.org`;
    const room = `#crisis-${n}`;
    const campaignId = await campaign([
      { channel: "SMS", address: sms },
      { channel: "WHATSAPP", address: wa },
      { channel: "EMAIL", address: email, name: "Ops Desk" },
      { channel: "SLACK", address: room },
    ]);
    const raised = await raiseCrisis(crisis(campaignId, 0.93));
    expect(raised).toMatchObject({ sent: true, deliveries: 5 });
    expect((await store.getAlert(raised.alertId))?.severity).toBe("CRITICAL");

    await poll(async () => (await store.getAlert(raised.alertId))?.status).toBe("delivered");
    const { ref } = (await store.getAlert(raised.alertId))!;
    expect(sentTo(sms)).toEqual([
      expect.objectContaining({
        from: "+14155550199",
        body: expect.stringMatching(new RegExp(`^CRITICAL #${ref} Campaign \\d+\nCRISIS ALERT: mention spike\nReply ACK ${ref}\nCrisis score 93%`)),
      }),
    ]);
    expect(sentTo(wa)).toEqual([expect.objectContaining({ to: `whatsapp:${wa}`, from: "whatsapp:+14155238886", body: sentTo(sms)[0]!.body })]);
    expect(mailsTo(email)).toEqual([
      expect.objectContaining({
        from: "alerts@warroom.test",
        subject: expect.stringMatching(new RegExp(`^\\[CRITICAL #${ref}\\] Campaign \\d+: CRISIS ALERT: mention spike$`)),
      }),
    ]);
    expect(mailsTo(email)[0]!.headers["x-warroom-alert"]).toBe(raised.alertId);
    expect(slackTo(room)).toEqual([
      expect.objectContaining({ text: expect.stringMatching(new RegExp(`^:rotating_light: CRITICAL #${ref} Campaign \\d+: CRISIS ALERT: mention spike$`)) }),
    ]);
    expect(pushesFor(raised.alertId)).toEqual([
      expect.objectContaining({ severity: "CRITICAL", recipient: `campaign:${campaignId}`, idempotencyKey: expect.any(String) }),
    ]);

    const deliveries = await store.listDeliveries([raised.alertId]);
    expect(deliveries.map((d) => [d.channel, d.status, d.attempts])).toEqual(
      expect.arrayContaining([
        ["SMS", "sent", 1],
        ["WHATSAPP", "sent", 1],
        ["EMAIL", "sent", 1],
        ["SLACK", "sent", 1],
        ["PUSH", "sent", 1],
      ]),
    );
    expect(deliveries.find((d) => d.channel === "SMS")!.providerMessageId).toBe(sentTo(sms)[0]!.sid);

    // Every send is in the audit log.
    await poll(async () => (await auditEventsFor("alert", raised.alertId)).map((e) => e.action)).toContain("alert.raised");
    const smsDelivery = deliveries.find((d) => d.channel === "SMS")!.id;
    await poll(async () => (await auditEventsFor("alert_delivery", smsDelivery)).map((e) => e.action)).toEqual(["alert.delivery_sent"]);
    const sendAudit = await auditEventsFor("alert_delivery", smsDelivery);
    expect(sendAudit.every((e) => !JSON.stringify(e.details).includes(sms))).toBe(true);
  });

  test("the same source key raises one alert, however often it is raised at once (the collector's crisis versions)", async () => {
    const sms = phone();
    const campaignId = await campaign([{ channel: "SMS", address: sms }]);
    const key = `crisis:dup-${n}:v1`;
    const raise = () =>
      raiseAlert({
        campaignId,
        type: "CRISIS",
        severity: "HIGH",
        title: "Raised twice",
        message: "at once",
        data: {},
        raisedBy: "system",
        sourceKey: key,
        recipients: null,
      });
    const [a, b] = await Promise.all([raise(), raise()]);
    expect(a.alert.id).toBe(b.alert.id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    await poll(async () => (await store.getAlert(a.alert.id))?.status).toBe("delivered");
    expect(sentTo(sms)).toHaveLength(1);
  });

  test("redelivering an alert's message, even concurrently, never sends twice", async () => {
    const sms = phone();
    const room = `#redeliver-${++n}`;
    const campaignId = await campaign([
      { channel: "SMS", address: sms },
      { channel: "SLACK", address: room },
    ]);
    // Persisted, never published: only our deliveries below run.
    const { alert } = await store.raiseIncident({
      campaignId,
      campaignName: "Rivera",
      incidentKey: null,
      type: "CRISIS",
      severity: "HIGH",
      title: "Redelivery",
      message: "Twice?",
      data: {},
      channels: [],
      raisedBy: "test",
      sourceKey: null,
      maxTier: 1,
      escalateAt: null,
      deliveries: [
        { channel: "SMS", recipient: sms, recipientName: "", tier: 1 },
        { channel: "SLACK", recipient: room, recipientName: "", tier: 1 },
      ],
    });
    const payload = {
      id: alert.id,
      type: alert.type,
      severity: alert.severity,
      campaignId,
      title: alert.title,
      message: alert.message,
      data: {},
      channels: [],
      timestamp: alert.createdAt,
    };
    await Promise.all([
      deliverAlert(payload).catch(() => undefined),
      deliverAlert(payload).catch(() => undefined),
      deliverAlert(payload).catch(() => undefined),
    ]);
    await deliverAlert(payload);
    await deliverAlert(payload);
    expect(sentTo(sms)).toHaveLength(1);
    expect(slackTo(room)).toHaveLength(1);
    expect((await store.getAlert(alert.id))!.status).toBe("delivered");
  });
});

describe("failures", () => {
  test("a channel failing then recovering is retried with backoff and sends once", async () => {
    const room = `#flaky-${++n}`;
    const campaignId = await campaign([{ channel: "SLACK", address: room }]);
    slack.inject({ kind: "status", status: 503 }, 2);
    const { alertId } = await raiseCrisis(crisis(campaignId, 0.5));
    await poll(async () => (await store.getAlert(alertId))?.status).toBe("delivered");
    const d = (await store.listDeliveries([alertId])).find((x) => x.channel === "SLACK");
    expect(d).toMatchObject({ channel: "SLACK", status: "sent", attempts: 3 });
    expect(slackTo(room)).toHaveLength(1);
  });

  test("a delivery out of attempts is marked failed and shown in the queue; a permanent refusal fails at once", async () => {
    const email = `bounce${++n}@campaign.org`;
    const campaignId = await campaign([
      { channel: "EMAIL", address: email },
      { channel: "SLACK", address: `#down-${n}` },
    ]);
    smtp.refuse(550, "5.1.1 No such mailbox");
    slack.inject({ kind: "status", status: 500 }, 3);
    const { alertId } = await raiseCrisis(crisis(campaignId, 0.5));
    await poll(async () => (await store.getAlert(alertId))?.status).toBe("partial"); // push went through
    const queue = await alerting.getAlertQueue({ campaignId }, as(manager));
    const shown = queue.alerts.find((a) => a.id === alertId)!;
    expect(shown.deliveries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: "EMAIL", status: "failed", attempts: 1, lastError: expect.stringContaining("No such mailbox") }),
        expect.objectContaining({ channel: "SLACK", status: "failed", attempts: 3, lastError: expect.stringContaining("500") }),
      ]),
    );
    expect(mailsTo(email)).toHaveLength(0);
  });

  test("an alert persisted but never published (a crash) is sent once by the sweeper", async () => {
    const sms = phone();
    const campaignId = await campaign([{ channel: "SMS", address: sms }]);
    const { alert } = await store.raiseIncident({
      campaignId,
      campaignName: "Rivera",
      incidentKey: null,
      type: "CRISIS",
      severity: "HIGH",
      title: "Lost publish",
      message: "Crashed before publishing",
      data: {},
      channels: [],
      raisedBy: "test",
      sourceKey: null,
      maxTier: 1,
      escalateAt: null,
      deliveries: [{ channel: "SMS", recipient: sms, recipientName: "", tier: 1 }],
    });
    expect(sentTo(sms)).toHaveLength(0);
    expect((await sweepAlerts()).republished).toBeGreaterThanOrEqual(1);
    await poll(async () => (await store.getAlert(alert.id))?.status).toBe("delivered");
    await sweepAlerts();
    expect(sentTo(sms)).toHaveLength(1);
    expect(sentTo(sms)[0]!.body).toContain("Lost publish");
  });

  test("a delivery whose sender died mid-send is reclaimed by the sweeper and sent once", async () => {
    const sms = phone();
    const campaignId = await campaign([{ channel: "SMS", address: sms }]);
    const { alert } = await store.raiseIncident({
      campaignId,
      campaignName: "Rivera",
      incidentKey: null,
      type: "CRISIS",
      severity: "HIGH",
      title: "Crashed sender",
      message: "Claimed, never sent",
      data: {},
      channels: [],
      raisedBy: "test",
      sourceKey: null,
      maxTier: 1,
      escalateAt: null,
      deliveries: [{ channel: "SMS", recipient: sms, recipientName: "", tier: 1 }],
    });
    await store.markPublished(alert.id);
    // A sender claimed the row and died: its lease (0 s here) runs out.
    expect(await store.claimDue(alert.id, 0, randomUUID())).toHaveLength(1);
    await poll(async () => (await sweepAlerts()).reclaimed).toBe(1);
    await poll(async () => (await store.getAlert(alert.id))?.status).toBe("delivered");
    expect(sentTo(sms)).toHaveLength(1);
    expect((await store.listDeliveries([alert.id]))[0]).toMatchObject({ status: "sent", attempts: 2 });
  });

  test("a claim whose answer was lost is put back by its token alone, its attempt given back", async () => {
    const sms = phone();
    const campaignId = await campaign([{ channel: "SMS", address: sms }]);
    const { alert } = await store.raiseIncident({
      campaignId,
      campaignName: "Rivera",
      incidentKey: null,
      type: "CRISIS",
      severity: "HIGH",
      title: "Lost claim",
      message: "Claimed, answer lost",
      data: {},
      channels: [],
      raisedBy: "test",
      sourceKey: null,
      maxTier: 1,
      escalateAt: null,
      deliveries: [{ channel: "SMS", recipient: sms, recipientName: "", tier: 1 }],
    });
    const token = randomUUID();
    expect(await store.claimDue(alert.id, 120, token)).toHaveLength(1);
    await store.unclaim(alert.id, randomUUID()); // another claim's token: nothing moves
    expect((await store.listDeliveries([alert.id]))[0]).toMatchObject({ status: "sending", attempts: 1 });
    await store.unclaim(alert.id, token);
    expect((await store.listDeliveries([alert.id]))[0]).toMatchObject({ status: "pending", attempts: 0 });
  });
});

describe("escalation and acknowledgement", () => {
  test("an unacknowledged CRITICAL alert reaches the CRITICAL-only tier when escalated, once", async () => {
    const duty = phone();
    const chief = phone();
    const campaignId = await campaign([
      { channel: "SMS", address: duty, minSeverity: "HIGH" },
      { channel: "SMS", address: chief, minSeverity: "CRITICAL" },
    ]);
    const { alertId } = await raiseCrisis(crisis(campaignId, 0.95));
    await poll(async () => (await store.getAlert(alertId))?.status).toBe("delivered");
    expect(sentTo(duty)).toHaveLength(1);
    expect(sentTo(chief)).toHaveLength(0);
    expect((await store.listDeliveries([alertId])).find((d) => d.recipient === chief)).toMatchObject({ tier: 2, status: "held" });

    await escalateAlerts();
    await poll(() => sentTo(chief).length).toBe(1);
    expect(sentTo(chief)[0]!.body).toContain("ESCALATED");
    await poll(async () => (await store.getAlert(alertId))?.status).toBe("delivered");
    await escalateAlerts();
    expect((await store.getAlert(alertId))!.tier).toBe(2);
    expect(sentTo(chief)).toHaveLength(1);
    expect(sentTo(duty)).toHaveLength(1);
  });

  test("acknowledging stops escalation; acknowledging again returns the first acknowledgement", async () => {
    const duty = phone();
    const chief = phone();
    const campaignId = await campaign([
      { channel: "SMS", address: duty },
      { channel: "SMS", address: chief, minSeverity: "CRITICAL" },
    ]);
    const { alertId } = await raiseCrisis(crisis(campaignId, 0.99));
    const ack = await alerting.acknowledgeAlert({ id: alertId }, as(manager));
    expect(ack).toMatchObject({ alertId, acknowledgedBy: manager.id, cancelledDeliveries: 1 });
    await escalateAlerts();
    await poll(async () => (await store.getAlert(alertId))?.status).toBe("delivered");
    expect(sentTo(chief)).toHaveLength(0);
    expect((await store.listDeliveries([alertId])).find((d) => d.recipient === chief)!.status).toBe("cancelled");
    const second = await alerting.acknowledgeAlert({ id: alertId }, as(admin));
    expect(second).toEqual({ ...ack, cancelledDeliveries: 0 });
    await poll(async () => (await auditEventsFor("alert", alertId)).map((e) => e.action)).toContain("alert.acknowledged");
    expect((await auditEventsFor("alert", alertId)).filter((e) => e.action === "alert.acknowledged")).toHaveLength(1);
  });
});

describe("the public endpoints", () => {
  test("POST /crisis: CRITICAL above 0.8, HIGH otherwise; managers and admins on their campaigns only", async () => {
    const campaignId = await campaign([{ channel: "SLACK", address: `#public-${n}`, minSeverity: "LOW" }]);
    const critical = await alerting.sendCrisisAlert(crisis(campaignId, 0.81), as(manager));
    expect(critical).toMatchObject({ sent: true, deliveries: 2 });
    expect((await store.getAlert(critical.alertId))!.severity).toBe("CRITICAL");
    const high = await alerting.sendCrisisAlert(crisis(campaignId, 0.8), as(admin));
    expect((await store.getAlert(high.alertId))!.severity).toBe("HIGH");

    const outsider = await user("manager");
    expect(await code(alerting.sendCrisisAlert(crisis(campaignId), as(outsider)))).toBe("not_found");
    expect(await code(alerting.sendCrisisAlert(crisis(campaignId), as(await user("analyst"))))).toBe("permission_denied");
    expect(await code(alerting.sendCrisisAlert(crisis(campaignId), as(await user("viewer"))))).toBe("permission_denied");
    expect(await code(alerting.sendCrisisAlert(crisis(campaignId)))).toBe("unauthenticated");
    expect(await code(alerting.sendCrisisAlert({ ...crisis(campaignId), crisisScore: 1.5 }, as(manager)))).toBe("invalid_argument");
    expect(await code(alerting.sendCrisisAlert({ ...crisis("not-a-uuid") }, as(manager)))).toBe("not_found");
    expect(await code(alerting.sendCrisisAlert({ ...crisis(campaignId), triggers: "spike" as never }, as(manager)))).toBe("invalid_argument");
  });

  test("POST /send: to listed recipients on one channel, or to the campaign's contacts; recipients are checked", async () => {
    const room = `#send-${++n}`;
    const campaignId = await campaign([{ channel: "SLACK", address: room, minSeverity: "LOW" }]);
    const to = `press${++n}@campaign.org`;
    const listed = await alerting.sendAlert(
      { campaignId, type: "SENTIMENT", message: "Sentiment dipped\nDetails follow", channel: "EMAIL", recipients: [to.toUpperCase(), to] },
      as(manager),
    );
    expect(listed).toMatchObject({ sent: true, deliveries: 1 }); // the address once (no push for listed recipients)
    await poll(() => mailsTo(to).length).toBe(1);
    expect(mailsTo(to)[0]!.subject).toMatch(/^\[MEDIUM #\d+\] Campaign \d+: Sentiment dipped$/);
    await alerting.sendAlert({ campaignId, type: "COMPETITOR", message: "Opponent ad launched", severity: "LOW" }, as(manager));
    await poll(() => slackTo(room).length).toBe(1);

    expect(await code(alerting.sendAlert({ campaignId, type: "SENTIMENT", message: "x", channel: "SMS", recipients: ["555-0100"] }, as(manager)))).toBe(
      "invalid_argument",
    );
    expect(await code(alerting.sendAlert({ campaignId, type: "SENTIMENT", message: "x", recipients: [] }, as(manager)))).toBe("invalid_argument");
    expect(await code(alerting.sendAlert({ campaignId, type: "SENTIMENT", message: "x", channel: "EMAIL" }, as(manager)))).toBe("invalid_argument");
    expect(await code(alerting.sendAlert({ campaignId, type: "NOPE" as never, message: "x" }, as(manager)))).toBe("invalid_argument");
    expect(await code(alerting.sendAlert({ campaignId, type: "SENTIMENT", message: "" }, as(manager)))).toBe("invalid_argument");
    expect(await code(alerting.sendAlert({ campaignId, type: "SENTIMENT", message: "x" }, as(await user("analyst"))))).toBe("permission_denied");
  });

  test("POST /send as the seed calls it ({type, message, recipients}, no campaign): an ad-hoc SMS to those numbers, audited, opt-outs honoured", async () => {
    const reachable = phone();
    const optedOut = phone();
    await compliance.recordConsentChange({ address: optedOut, kind: "opt_out", keyword: "STOP", channel: "sms", sourceId: `SM-adhoc-${++n}` });
    const sent = await alerting.sendAlert({ type: "SENTIMENT", message: "Press call at 6", recipients: [reachable, optedOut] }, as(manager));
    expect(sent).toMatchObject({ sent: true, deliveries: 2 });
    expect(sentTo(reachable)).toHaveLength(1);
    expect(sentTo(reachable)[0]!.body).toContain("Press call at 6");
    expect(sentTo(optedOut)).toHaveLength(0);
    await poll(async () => (await auditEventsFor("alert", sent.alertId)).map((e) => [e.action, e.actorId])).toEqual([["alert.sent_adhoc", manager.id]]);
    const details = (await auditEventsFor("alert", sent.alertId))[0]!.details as { deliveries: { recipient: string; status: string }[] };
    expect(details.deliveries.map((d) => [d.recipient, d.status])).toEqual([
      [reachable, "sent"],
      [optedOut, "skipped"],
    ]);
    // No campaign: SMS or WhatsApp to listed numbers only. Analysts and viewers may not send.
    expect(await code(alerting.sendAlert({ type: "SENTIMENT", message: "x" }, as(manager)))).toBe("invalid_argument");
    expect(await code(alerting.sendAlert({ type: "SENTIMENT", message: "x", channel: "EMAIL", recipients: ["press@campaign.org"] }, as(manager)))).toBe(
      "invalid_argument",
    );
    expect(await code(alerting.sendAlert({ type: "SENTIMENT", message: "x", recipients: [reachable] }, as(await user("analyst"))))).toBe("permission_denied");
  });

  test("GET /queue: the caller's campaigns only, newest first, paged; recipients masked below manager", async () => {
    const sms = phone();
    const mine = await campaign([{ channel: "SMS", address: sms, minSeverity: "LOW" }]);
    const analyst = await user("analyst");
    await campaigns.addCampaignMember({ id: mine, userId: analyst.id }, as(manager));
    const first = await alerting.sendAlert({ campaignId: mine, type: "MENTION_SPIKE", message: "first" }, as(manager));
    const second = await alerting.sendAlert({ campaignId: mine, type: "MENTION_SPIKE", message: "second" }, as(manager));

    const page = await alerting.getAlertQueue({ limit: 1 }, as(analyst));
    expect(page).toMatchObject({ total: 2, page: 1, limit: 1 });
    expect(page.alerts.map((a) => a.id)).toEqual([second.alertId]);
    expect((await alerting.getAlertQueue({ limit: 1, page: 2 }, as(analyst))).alerts.map((a) => a.id)).toEqual([first.alertId]);
    const shown = page.alerts[0]!.deliveries.find((d) => d.channel === "SMS")!;
    expect(shown.recipient).toBe(`•••${sms.slice(-4)}`);
    const full = await alerting.getAlertQueue({ campaignId: mine }, as(manager));
    expect(full.alerts.find((a) => a.id === first.alertId)!.deliveries.find((d) => d.channel === "SMS")!.recipient).toBe(sms);

    const outsider = await user("viewer");
    expect((await alerting.getAlertQueue({}, as(outsider))).alerts).toEqual([]);
    expect(await code(alerting.getAlertQueue({ campaignId: mine }, as(outsider)))).toBe("not_found");
    expect(await code(alerting.getAlertQueue({ limit: 500 }, as(manager)))).toBe("invalid_argument");
    expect(await code(alerting.getAlertQueue({ status: "weird" as never }, as(manager)))).toBe("invalid_argument");
    expect((await alerting.getAlertQueue({}, as(admin))).total).toBeGreaterThan(2);

    expect(await code(alerting.acknowledgeAlert({ id: first.alertId }, as(analyst)))).toBe("permission_denied");
    expect(await code(alerting.acknowledgeAlert({ id: first.alertId }, as(await user("manager"))))).toBe("not_found");
    expect(await code(alerting.acknowledgeAlert({ id: "nope" }, as(manager)))).toBe("not_found");
  });
});

describe("people's preferences", () => {
  /** A quiet window (local HH:MM) around the current time in `timeZone`: from an hour ago to an hour from now. */
  function quietAroundNow(timeZone: string): { start: string; end: string } {
    const parts = new Intl.DateTimeFormat("en-US", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date());
    const now = Number(parts.find((p) => p.type === "hour")!.value) * 60 + Number(parts.find((p) => p.type === "minute")!.value);
    const clock = (m: number) => `${String(Math.floor(((m + 1440) % 1440) / 60)).padStart(2, "0")}:${String(((m + 1440) % 1440) % 60).padStart(2, "0")}`;
    return { start: clock(now - 60), end: clock(now + 60) };
  }

  test("quiet hours (in the campaign's time zone unless the contact has one) hold all but CRITICAL until they end", async () => {
    const sleeper = phone();
    const traveller = phone();
    const c = await campaigns.createCampaign(
      {
        name: `Tokyo ${++n}`,
        description: "",
        startDate: new Date("2026-01-01T00:00:00Z"),
        endDate: new Date("2026-11-03T00:00:00Z"),
        budget: 1000,
        timeZone: "Asia/Tokyo",
        targetAudience: {
          demographics: { ageRange: { min: 18, max: 65 }, gender: ["all"], income: "any", education: "any" },
          interests: [],
          locations: [],
          platforms: [],
        },
      },
      as(manager),
    );
    expect(c.timeZone).toBe("Asia/Tokyo");
    await campaigns.addCampaignContact(
      { id: c.id, name: "Sleeper", channel: "SMS", address: sleeper, minSeverity: "LOW", quietHours: quietAroundNow("Asia/Tokyo") },
      as(manager),
    );
    // Quiet at this hour in Tokyo, but the traveller is in New York (their own zone): not quiet there now.
    await campaigns.addCampaignContact(
      {
        id: c.id,
        name: "Traveller",
        channel: "SMS",
        address: traveller,
        minSeverity: "LOW",
        quietHours: quietAroundNow("Asia/Tokyo"),
        timeZone: "America/New_York",
      },
      as(manager),
    );
    expect((await campaigns.getAlertContacts({ campaignId: c.id })).contacts.find((x) => x.address === sleeper)).toMatchObject({
      quietHours: quietAroundNow("Asia/Tokyo"),
      digest: false,
    });

    const high = await raiseCrisis(crisis(c.id, 0.5));
    await poll(() => sentTo(traveller).length).toBe(1);
    const held = (await store.listDeliveries([high.alertId])).find((d) => d.recipient === sleeper)!;
    expect(held.status).toBe("pending");
    const waitMinutes = (held.nextAttemptAt.getTime() - Date.now()) / 60_000;
    expect(waitMinutes).toBeGreaterThan(55);
    expect(waitMinutes).toBeLessThanOrEqual(61);
    expect(sentTo(sleeper)).toHaveLength(0);
    // Nothing to retry meanwhile: the alert stays published and waits, its message consumed.
    expect((await store.getAlert(high.alertId))!.status).toBe("published");

    const critical = await raiseCrisis(crisis(c.id, 0.95));
    await poll(() => sentTo(sleeper).length).toBe(1);
    expect(sentTo(sleeper)[0]!.body.startsWith(`CRITICAL #${(await store.getAlert(critical.alertId))!.ref} `)).toBe(true);
    expect(
      await code(
        campaigns.addCampaignContact({ id: c.id, name: "Bad", channel: "SMS", address: phone(), quietHours: { start: "25:00", end: "07:00" } }, as(manager)),
      ),
    ).toBe("invalid_argument");
    expect(await code(campaigns.addCampaignContact({ id: c.id, name: "Bad", channel: "SMS", address: phone(), timeZone: "Nowhere/Land" }, as(manager)))).toBe(
      "invalid_argument",
    );
  });

  test("a contact who asked for a digest gets alerts below HIGH as one message; HIGH at once", async () => {
    const reader = phone();
    const campaignId = await campaign([]);
    await campaigns.addCampaignContact(
      { id: campaignId, name: "Digest reader", channel: "SMS", address: reader, minSeverity: "LOW", digest: true },
      as(manager),
    );
    const a = await alerting.sendAlert({ campaignId, type: "MENTION_SPIKE", message: "More mentions than usual", severity: "MEDIUM" }, as(manager));
    const b = await alerting.sendAlert({ campaignId, type: "ENGAGEMENT_DROP", message: "Engagement is down", severity: "LOW" }, as(manager));
    expect((await store.listDeliveries([a.alertId, b.alertId])).filter((d) => d.channel === "SMS").map((d) => d.status)).toEqual(["digest", "digest"]);
    await new Promise((r) => setTimeout(r, 300));
    expect(sentTo(reader)).toHaveLength(0);

    const run = await sendAlertDigests();
    expect(run).toMatchObject({ sent: expect.any(Number), failed: 0 });
    expect(sentTo(reader)).toHaveLength(1);
    const [refA, refB] = [(await store.getAlert(a.alertId))!.ref, (await store.getAlert(b.alertId))!.ref];
    expect(sentTo(reader)[0]!.body).toMatch(
      new RegExp(`^War Room digest: 2 alerts below HIGH\\n#${refA} MEDIUM .*More mentions than usual\\n#${refB} LOW .*Engagement is down`),
    );
    await poll(async () => (await store.getAlert(a.alertId))!.status).toBe("delivered");
    expect((await sendAlertDigests()).sent).toBe(0);
    expect(sentTo(reader)).toHaveLength(1);

    await alerting.sendAlert({ campaignId, type: "SENTIMENT", message: "Sentiment collapsing", severity: "HIGH" }, as(manager));
    await poll(() => sentTo(reader).length).toBe(2);
  });
});

describe("incidents", () => {
  /** One crisis version raised as monitoring's collection raises it (incident key per crisis, source key per version). */
  const version = (campaignId: string, crisis: string, v: number, severity: "MEDIUM" | "HIGH" | "CRITICAL", type: "SENTIMENT" | "CRISIS" = "CRISIS") =>
    raiseAlert({
      campaignId,
      type,
      severity,
      title: `${type} v${v}`,
      message: `version ${v}`,
      data: { v },
      raisedBy: "system",
      sourceKey: `crisis:${crisis}:v${v}`,
      incidentKey: `crisis:${crisis}`,
      recipients: null,
    });

  test("one story is one incident: re-paged only when severity rises, never twice for one severity, never after closing", async () => {
    const duty = phone();
    const campaignId = await campaign([{ channel: "SMS", address: duty, minSeverity: "MEDIUM" }]);
    const story = `story-${++n}`;
    const first = await version(campaignId, story, 1, "MEDIUM", "SENTIMENT");
    // SMS and push (PUSH_WEBHOOK_URL is set here) each time people are paged.
    expect(first).toMatchObject({ created: true, outcome: "created", deliveries: 2 });
    await poll(() => sentTo(duty).length).toBe(1);
    // Same severity, another type: updated, nobody paged; the same version again: nothing.
    expect(await version(campaignId, story, 2, "MEDIUM")).toMatchObject({ outcome: "updated", deliveries: 0 });
    expect((await version(campaignId, story, 2, "MEDIUM")).outcome).toBe("duplicate");
    const rose = await version(campaignId, story, 3, "HIGH");
    expect(rose).toMatchObject({ outcome: "repaged", deliveries: 2 });
    expect(rose.alert.id).toBe(first.alert.id);
    await poll(() => sentTo(duty).length).toBe(2);
    expect(sentTo(duty)[1]!.body.startsWith(`UPDATE HIGH #${first.alert.ref} `)).toBe(true);
    const incident = (await store.getAlert(first.alert.id))!;
    expect(incident).toMatchObject({ type: "CRISIS", severity: "HIGH", wave: 2, title: "CRISIS v3", message: "version 3" });
    expect(incident.history.map((h) => [h.event, h.severity])).toEqual([
      ["raised", "MEDIUM"],
      ["updated", "MEDIUM"],
      ["severity_raised", "HIGH"],
    ]);

    // Acknowledged: a rise pages only people never paged (the chief joins at CRITICAL), without escalation.
    const chief = phone();
    await campaigns.addCampaignContact({ id: campaignId, name: "Chief", channel: "SMS", address: chief, minSeverity: "CRITICAL" }, as(manager));
    await alerting.acknowledgeAlert({ id: first.alert.id }, as(manager));
    expect(await version(campaignId, story, 4, "CRITICAL")).toMatchObject({ outcome: "repaged", deliveries: 1 });
    await poll(() => sentTo(chief).length).toBe(1);
    expect(sentTo(chief)[0]!.body.startsWith(`CRITICAL #${first.alert.ref} `)).toBe(true);
    expect(sentTo(duty)).toHaveLength(2);
    expect((await store.getAlert(first.alert.id))!).toMatchObject({ state: "acknowledged", escalateAt: null });

    // Closed as a false alarm: updates are recorded, nobody is paged.
    const closed = await alerting.markFalseAlarm({ id: first.alert.id, reason: "a parody account" }, as(manager));
    expect(closed).toMatchObject({ state: "false_alarm", closeReason: "a parody account", closedBy: manager.id });
    await poll(async () => (await auditEventsFor("alert", first.alert.id)).map((e) => e.action)).toContain("alert.false_alarm");
    const queue = await alerting.getAlertQueue({ campaignId, state: "false_alarm" }, as(manager));
    expect(queue.alerts.map((a) => a.id)).toEqual([first.alert.id]);
    expect(queue.alerts[0]!.history.at(-1)).toMatchObject({ event: "false_alarm", reason: "a parody account", by: manager.id });
  });
});
