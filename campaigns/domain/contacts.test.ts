import { describe, expect, test } from "vitest";
import { contactPreferences, normalizeAddress, severityAtLeast, type ContactChannel } from "./contacts";

describe("contact addresses", () => {
  test.each<[ContactChannel, string, string]>([
    ["SMS", "+14155550123", "+14155550123"],
    ["SMS", " +1 (415) 555-0123 ", "+14155550123"],
    ["SMS", "+44 20 7946 0958", "+442079460958"],
    ["WHATSAPP", "whatsapp:+5511987654321", "+5511987654321"],
    ["EMAIL", " Ops@Campaign.Example.ORG ", "ops@campaign.example.org"],
    ["SLACK", "#Crisis-Room", "#crisis-room"],
    ["SLACK", "C0123ABCD", "C0123ABCD"],
  ])("%s %j is stored as %j", (channel, address, stored) => {
    expect(normalizeAddress(channel, address)).toEqual({ ok: true, address: stored });
  });

  test.each<[ContactChannel, string]>([
    ["SMS", "4155550123"], // no country code
    ["SMS", "+04155550123"], // country codes do not start with 0
    ["SMS", "+1415555012345678"], // longer than 15 digits
    ["SMS", "+1234567"], // too short to be a subscriber number
    ["SMS", "+1 415 CALL NOW"],
    ["WHATSAPP", "ops@campaign.org"],
    ["EMAIL", "ops@campaign"],
    ["EMAIL", "ops campaign@campaign.org"],
    ["EMAIL", "@campaign.org"],
    ["EMAIL", "ops@@campaign.org"],
    ["EMAIL", "+14155550123"],
    ["SLACK", "crisis-room"],
    ["SLACK", "#crisis room"],
    ["SLACK", `#${"a".repeat(81)}`],
    ["SLACK", "https://hooks.slack.com/services/T/B/X"],
  ])("%s refuses %j", (channel, address) => {
    const result = normalizeAddress(channel, address);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(channel);
  });
});

describe("severities", () => {
  test("a contact receives alerts at or above their minimum", () => {
    expect(severityAtLeast("CRITICAL", "HIGH")).toBe(true);
    expect(severityAtLeast("HIGH", "HIGH")).toBe(true);
    expect(severityAtLeast("MEDIUM", "HIGH")).toBe(false);
    expect(severityAtLeast("LOW", "LOW")).toBe(true);
  });
});

describe("contact preferences", () => {
  test("quiet hours as HH:MM in a time zone (the campaign's unless given), a digest below HIGH", () => {
    expect(contactPreferences({})).toEqual({ ok: true, preferences: { quietStart: null, quietEnd: null, timeZone: null, digest: false } });
    expect(contactPreferences({ quietHours: { start: "22:00", end: "07:30" }, timeZone: "europe/berlin", digest: true })).toEqual({
      ok: true,
      preferences: { quietStart: 1320, quietEnd: 450, timeZone: "Europe/Berlin", digest: true },
    });
    expect(contactPreferences({ quietHours: { start: "24:00", end: "07:00" } })).toMatchObject({ ok: false, message: expect.stringContaining("HH:MM") });
    expect(contactPreferences({ quietHours: { start: "07:00", end: "07:00" } })).toMatchObject({ ok: false });
    expect(contactPreferences({ timeZone: "Atlantis/Capital" })).toMatchObject({ ok: false, message: expect.stringContaining("IANA") });
  });
});
