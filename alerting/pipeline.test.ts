// The alert pipeline across services, in process: a crisis-triggering burst ingested by monitoring
// becomes a crisis marked "alert pending" and announced on `data-stream`; alerting's subscription
// collects it at once and raises its alert (once, however often collection runs, the cron's
// included) and the campaign's contacts get it: SMS and WhatsApp at the fake Twilio (through
// integrations), email at the SMTP sink, Slack at the fake webhook; monitoring sees it alerted.
import { slack, smtp, twilio, closeFakes } from "../tests/fakes/smtp-slack-env";
import "../tests/fakes/auth-secrets";
import { afterAll, beforeAll, expect, test } from "vitest";
import { auth, campaigns, monitoring } from "~encore/clients";
import "../monitoring/subscriptions";
import "../alerting/delivery";
import "../alerting/subscriptions";
import { collectCrises } from "../alerting/cron";
import * as alertStore from "../alerting/store";

const as = (u: { id: string; email: string; role: string; permissions: unknown }) =>
  ({ authData: { userID: u.id, email: u.email, role: u.role, permissions: u.permissions } }) as never;
let admin: Awaited<ReturnType<typeof auth.register>>["user"];

beforeAll(async () => {
  admin = (await auth.register({ email: "admin@pipeline.example", password: "password-for-tests", name: "Admin" })).user;
});
afterAll(() => closeFakes());

const WORDS = ["scandal", "corruption", "lies", "disgrace", "resign", "terrible", "fraud", "awful"];

/** A burst of strongly negative mentions over the last two minutes (the detector's cold-start CRISIS). */
function burst(size: number) {
  const now = Date.now();
  return Array.from({ length: size }, (_, i) => ({
    id: `burst-${now}-${i}`,
    text: `Rivera ${WORDS[i % WORDS.length]} ${WORDS[(i + 3) % WORDS.length]}: this is a terrible, disgraceful scandal #${i}`,
    author: `user${i}`,
    platform: "Twitter",
    url: `https://twitter.com/x/status/${now}${i}`,
    reach: 500 + i,
    engagement: 20,
    timestamp: new Date(now - 120_000 + Math.floor((i * 120_000) / size)),
  }));
}

test("a crisis-triggering burst reaches SMS, WhatsApp, email and Slack once, and monitoring sees it alerted", async () => {
  const c = await campaigns.createCampaign(
    {
      name: "Rivera for Senate",
      description: "",
      startDate: new Date("2026-01-01"),
      endDate: new Date("2026-12-01"),
      budget: 1000,
      targetAudience: {
        demographics: { ageRange: { min: 18, max: 65 }, gender: ["all"], income: "", education: "" },
        interests: [],
        locations: [],
        platforms: [],
      },
    },
    as(admin),
  );
  const contacts = [
    { channel: "SMS" as const, address: "+14155557001" },
    { channel: "WHATSAPP" as const, address: "+14155557002" },
    { channel: "EMAIL" as const, address: "war-room@rivera.example" },
    { channel: "SLACK" as const, address: "#rivera-crisis" },
  ];
  for (const contact of contacts) await campaigns.addCampaignContact({ id: c.id, name: contact.channel, minSeverity: "MEDIUM", ...contact }, as(admin));

  const mentions = burst(400);
  for (let i = 0; i < mentions.length; i += 100) await monitoring.ingestMentions({ campaignId: c.id, mentions: mentions.slice(i, i + 100) }, as(admin));
  await expect.poll(() => twilio.messages.filter((m) => m.to === "+14155557001").length, { timeout: 15_000, interval: 50 }).toBe(1);
  await expect.poll(() => twilio.messages.filter((m) => m.to === "whatsapp:+14155557002").length, { timeout: 15_000, interval: 50 }).toBe(1);
  await expect.poll(() => smtp.mails.filter((m) => m.to.includes("war-room@rivera.example")).length, { timeout: 15_000, interval: 50 }).toBe(1);
  await expect.poll(() => slack.messages.filter((m) => m.channel === "#rivera-crisis").length, { timeout: 15_000, interval: 50 }).toBe(1);

  // Monitoring has it alerted; collecting again raises nothing.
  const pending = (await monitoring.listPendingCrises({})).crises.filter((x) => x.campaignId === c.id);
  expect(pending).toEqual([]);
  expect((await collectCrises()).raised).toBe(0);
  const { alerts } = await alertStore.listAlerts({ campaignIds: [c.id], campaignId: null, status: null, offset: 0, limit: 10 });
  expect(alerts.length).toBeGreaterThan(0);
  expect(alerts[0]!.data).toMatchObject({ crisisId: expect.any(String) });
  expect(twilio.messages.filter((m) => m.to === "+14155557001")).toHaveLength(1);
});
