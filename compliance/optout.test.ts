// STOP honoured end to end, in process against this file's databases and the fake Twilio: a signed
// inbound STOP (Twilio's webhook, integrations/inbound.ts) is recorded once in compliance's consent
// registry; integrations then refuses to message that number, and an alert's SMS/WhatsApp delivery
// to it is skipped and reported (status skipped, audited) while the others are sent; START opts back
// in; unsigned webhooks are refused.
import { twilio, closeFakes } from "../tests/fakes/smtp-slack-env";
import "../tests/fakes/auth-secrets";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { alerting, auth, campaigns, compliance, integrations } from "~encore/clients";
import * as alertingStore from "../alerting/store";
import "../alerting/delivery";
import twilioSdk from "twilio";
import { handleInbound, consentKeyword } from "../integrations/inbound";
import { addressHash } from "./internal";
import { auditEventsFor } from "./store";
import "./subscriptions";
import { as, campaignRequest, code, type Profile } from "../tests/inproc";

const PASSWORD = "password-for-tests";
const URL = "https://warroom.example/api/v1/integrations/twilio/inbound";

let n = 0;
let admin: Profile;
const phone = () => `+1415556${String(1000 + ++n).padStart(4, "0")}`;
const sentTo = (to: string) => twilio.messages.filter((m) => m.to === to || m.to === `whatsapp:${to}`);

/** Twilio's inbound webhook for `body` from `from`, signed with the account's token (or not). */
/** A Twilio message sid (SM + 32 hex digits) made from a short tag. */
const smSid = (tag: string) => `SM${Buffer.from(tag).toString("hex").padEnd(32, "0").slice(0, 32)}`;

function inbound(from: string, body: string, sid = smSid(`n${++n}`), sign = true) {
  const params = { From: from, To: "+14155550199", Body: body, MessageSid: sid, AccountSid: twilio.accountSid };
  const form = new URLSearchParams(params).toString();
  return handleInbound({ url: URL, signature: sign ? twilioSdk.getExpectedTwilioSignature(twilio.authToken, URL, params) : "bogus", body: form });
}

beforeAll(async () => {
  admin = (await auth.register({ email: "admin@example.org", password: PASSWORD, name: "Admin" })).user;
});
afterAll(() => closeFakes());

describe("STOP", () => {
  test("keywords: STOP and its synonyms opt out, START opts in, anything else is ignored", () => {
    expect(consentKeyword(" stop ")).toEqual({ kind: "opt_out", keyword: "STOP" });
    expect(consentKeyword("Unsubscribe please")).toEqual({ kind: "opt_out", keyword: "UNSUBSCRIBE" });
    expect(consentKeyword("STOP.")).toEqual({ kind: "opt_out", keyword: "STOP" });
    expect(consentKeyword("unstop")).toEqual({ kind: "opt_in", keyword: "UNSTOP" });
    expect(consentKeyword("don't stop")).toBeNull();
  });

  test("a signed webhook whose form drifted from its zod schema is a clear 400 and records nothing", async () => {
    const to = phone();
    expect(await inbound(to, "STOP", "")).toMatchObject({
      status: 400,
      message: expect.stringMatching(/Twilio inbound message does not match its schema: MessageSid: /),
    });
    expect(await inbound("", "STOP")).toMatchObject({ status: 400, message: expect.stringMatching(/From: a sender/) });
    expect((await compliance.getOptOut({ address: to })).optedOut).toBe(false);
  });

  test("an unsigned or wrongly signed webhook is refused and records nothing", async () => {
    const to = phone();
    expect(await inbound(to, "STOP", smSid("x"), false)).toMatchObject({ status: 403 });
    expect((await compliance.getOptOut({ address: to })).optedOut).toBe(false);
  });

  test("after STOP, integrations refuses to message the number and alerts skip it (reported), until START", async () => {
    const stopped = phone();
    const other = phone();
    expect(await inbound(stopped, "Stop", smSid("stop1"))).toMatchObject({ status: 200, change: "opt_out" });
    // Twilio redelivers: recorded once.
    expect(await inbound(stopped, "Stop", smSid("stop1"))).toMatchObject({ status: 200 });
    expect((await compliance.getOptOut({ address: stopped })).optedOut).toBe(true);
    const audited = await auditEventsFor("phone", addressHash(stopped));
    expect(audited.map((e) => e.action)).toEqual(["consent.opted_out"]);

    expect(await code(integrations.sendMessage({ channel: "sms", to: stopped, body: "hello", idempotencyKey: `k-${++n}` }))).toBe("failed_precondition");
    expect(await code(integrations.sendMessage({ channel: "whatsapp", to: stopped, body: "hello", idempotencyKey: `k-${++n}` }))).toBe("failed_precondition");

    const manager = admin;
    const c = await campaigns.createCampaign(campaignRequest({ name: "STOP" }), as(manager));
    for (const [channel, address] of [
      ["SMS", stopped],
      ["WHATSAPP", stopped],
      ["SMS", other],
    ] as const) {
      await campaigns.addCampaignContact({ id: c.id, name: `Contact ${++n}`, channel, address, minSeverity: "LOW" }, as(manager));
    }
    const raised = await alerting.sendCrisisAlert(
      { campaignId: c.id, crisisScore: 0.9, triggers: ["spike"], affectedPlatforms: [], estimatedReach: 1, sentimentImpact: -0.4, recommendedActions: [] },
      as(manager),
    );
    await expect.poll(async () => (await alertingStore.getAlert(raised.alertId))?.status, { timeout: 15_000, interval: 50 }).toBe("delivered");
    const deliveries = await alertingStore.listDeliveries([raised.alertId]);
    expect(
      deliveries
        .filter((d) => d.channel !== "PUSH")
        .map((d) => [d.channel, d.recipient, d.status])
        .sort(),
    ).toEqual(
      [
        ["SMS", stopped, "skipped"],
        ["WHATSAPP", stopped, "skipped"],
        ["SMS", other, "sent"],
      ].sort(),
    );
    expect(deliveries.filter((d) => d.status === "skipped").every((d) => d.lastError === "opted_out")).toBe(true);
    expect(sentTo(stopped)).toEqual([]);
    expect(sentTo(other)).toHaveLength(1);
    const skipped = deliveries.find((d) => d.status === "skipped")!;
    await expect
      .poll(async () => (await auditEventsFor("alert_delivery", skipped.id)).map((e) => e.action), { timeout: 15_000 })
      .toEqual(["alert.delivery_skipped"]);

    // START: messages flow again.
    expect(await inbound(stopped, "START", smSid("start1"))).toMatchObject({ change: "opt_in" });
    expect((await compliance.getOptOut({ address: stopped })).optedOut).toBe(false);
    await integrations.sendMessage({ channel: "sms", to: stopped, body: "welcome back", idempotencyKey: `k-${++n}` });
    expect(sentTo(stopped)).toHaveLength(1);
  });

  test("a WhatsApp STOP opts the number out too", async () => {
    const wa = phone();
    expect(await inbound(`whatsapp:${wa}`, "STOP")).toMatchObject({ change: "opt_out" });
    expect((await compliance.getOptOut({ address: wa })).optedOut).toBe(true);
  });
});
