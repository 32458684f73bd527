import { describe, expect, test } from "vitest";
import {
  afterDeferral,
  afterFailure,
  crisisSeverity,
  DEFER_WINDOW_MS,
  crisisWording,
  normalizeRecipient,
  planDeliveries,
  settledStatus,
  type ContactRef,
} from "./alert";

describe("crisis alerts", () => {
  test("a crisis scoring above 0.8 is CRITICAL, 0.8 and below HIGH", () => {
    expect(crisisSeverity(0.81)).toBe("CRITICAL");
    expect(crisisSeverity(0.8)).toBe("HIGH");
    expect(crisisSeverity(0.1)).toBe("HIGH");
  });

  test("the wording names triggers, score, platforms, reach and actions", () => {
    const w = crisisWording({
      crisisScore: 0.91,
      triggers: ["mention spike", "sentiment drop"],
      affectedPlatforms: ["twitter"],
      estimatedReach: 120000,
      sentimentImpact: -0.42,
      recommendedActions: ["hold statement"],
    });
    expect(w.title).toBe("CRISIS ALERT: mention spike, sentiment drop");
    expect(w.message).toBe("Crisis score 91%, on twitter, estimated reach 120,000, sentiment impact -0.42. Recommended: hold statement.");
  });
});

describe("planning deliveries", () => {
  const c = (name: string, channel: ContactRef["channel"], address: string, minSeverity: ContactRef["minSeverity"]): ContactRef => ({
    name,
    channel,
    address,
    minSeverity,
  });
  const contacts = [
    c("Ops", "SMS", "+14155550100", "HIGH"),
    c("Room", "SLACK", "#crisis", "LOW"),
    c("Chief", "SMS", "+14155550199", "CRITICAL"),
    c("Ops again", "SMS", "+14155550100", "MEDIUM"),
  ];

  test("a CRITICAL alert reaches the duty team first and CRITICAL-only contacts as tier 2", () => {
    const plan = planDeliveries("CRITICAL", contacts);
    expect(plan.maxTier).toBe(2);
    expect(plan.deliveries).toEqual([
      { channel: "SMS", recipient: "+14155550100", recipientName: "Ops", tier: 1 },
      { channel: "SLACK", recipient: "#crisis", recipientName: "Room", tier: 1 },
      { channel: "SMS", recipient: "+14155550199", recipientName: "Chief", tier: 2 },
    ]);
  });

  test("a HIGH alert reaches only contacts following HIGH or lower, all at once", () => {
    const plan = planDeliveries("HIGH", contacts);
    expect(plan).toEqual({
      maxTier: 1,
      deliveries: [expect.objectContaining({ recipient: "+14155550100", tier: 1 }), expect.objectContaining({ recipient: "#crisis", tier: 1 })],
    });
  });

  test("with only CRITICAL-only contacts, a CRITICAL alert reaches them at once", () => {
    expect(planDeliveries("CRITICAL", [contacts[2]!])).toEqual({ maxTier: 1, deliveries: [expect.objectContaining({ tier: 1 })] });
  });
});

test("recipients are checked per channel", () => {
  expect(normalizeRecipient("SMS", "+1 (415) 555-0100")).toEqual({ ok: true, recipient: "+14155550100" });
  expect(normalizeRecipient("WHATSAPP", "whatsapp:+14155550100")).toEqual({ ok: true, recipient: "+14155550100" });
  expect(normalizeRecipient("SMS", "555-0100").ok).toBe(false);
  expect(normalizeRecipient("EMAIL", "Ops@Campaign.org")).toEqual({ ok: true, recipient: "ops@campaign.org" });
  expect(normalizeRecipient("EMAIL", "not an email").ok).toBe(false);
  expect(normalizeRecipient("SLACK", "#crisis-room").ok).toBe(true);
  expect(normalizeRecipient("SLACK", "crisis room").ok).toBe(false);
});

test("failed deliveries back off exponentially with jitter, then give up; permanent errors give up at once", () => {
  const s = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 5000 };
  expect(afterFailure(s, 1, false, 0.5)).toEqual({ retry: true, delayMs: 1000 });
  expect(afterFailure(s, 2, false, 0.5)).toEqual({ retry: true, delayMs: 2000 });
  expect(afterFailure(s, 3, false, 0.5)).toEqual({ retry: true, delayMs: 4000 });
  expect(afterFailure({ ...s, maxAttempts: 10 }, 5, false, 0.5)).toEqual({ retry: true, delayMs: 5000 });
  expect(afterFailure(s, 1, false, 0)).toEqual({ retry: true, delayMs: 800 });
  expect(afterFailure(s, 4, false, 0.5)).toEqual({ retry: false });
  expect(afterFailure(s, 1, true, 0.5)).toEqual({ retry: false });
});

test("a deferred send waits what it was asked (jittered, bounded) without counting, until the alert is too old", () => {
  expect(afterDeferral(7000, 0, 0)).toEqual({ delayMs: 7000 });
  expect(afterDeferral(7000, 0, 0.5)).toEqual({ delayMs: 7700 });
  expect(afterDeferral(10, 0, 0)).toEqual({ delayMs: 500 });
  expect(afterDeferral(3_600_000, 0, 0)).toEqual({ delayMs: 60_000 });
  expect(afterDeferral(7000, DEFER_WINDOW_MS - 1, 0)).not.toBeNull();
  expect(afterDeferral(7000, DEFER_WINDOW_MS, 0)).toBeNull();
});

test("an alert settles when nothing is pending or sending", () => {
  expect(settledStatus(["sent", "sent", "held"])).toBe("delivered");
  expect(settledStatus(["sent", "failed"])).toBe("partial");
  expect(settledStatus(["failed"])).toBe("failed");
  expect(settledStatus(["sent", "pending"])).toBeNull();
  expect(settledStatus(["sending"])).toBeNull();
  expect(settledStatus([])).toBe("no_contacts");
  expect(settledStatus(["held"])).toBe("failed");
  // Skipped (opted out): settled without sending.
  expect(settledStatus(["sent", "skipped"])).toBe("delivered");
  expect(settledStatus(["skipped", "pending"])).toBeNull();
  expect(settledStatus(["skipped"])).toBe("failed");
});
