// The communication rules (pure): for every rule, a communication that passes it and one that fails
// it; unknown channels and time zones are input errors.
import { describe, expect, test } from "vitest";
import { checkCommunication, CheckInputError, isEuRegion, localHour, RULES, type Communication } from "./rules";

// 15:00 UTC = 10:00 in New York (EST, January), 16:00 in Berlin, 07:00 in Los Angeles.
const NOON_ISH = new Date("2026-01-15T15:00:00Z");
const consenting = { id: "r1", timeZone: "America/New_York", region: "US-NY", consent: { recorded: true } };

const sms: Communication = {
  channel: "sms",
  text: "Rally tonight at 7pm, Main St. Reply STOP to opt out.",
  sender: { name: "Rivera for Senate" },
  recipients: [consenting],
  sendAt: NOON_ISH,
  region: "US",
};
const email: Communication = {
  channel: "email",
  text: "Chip in $5 today! Paid for by Rivera for Senate. Unsubscribe: https://rivera.example/u",
  sender: { name: "Rivera for Senate", physicalAddress: "1 Main St, Columbus, OH 43215" },
  recipients: [{ id: "e1", region: "US-OH" }],
  sendAt: NOON_ISH,
  region: "US",
  unsubscribeUrl: "https://rivera.example/u",
};
const ad: Communication = { channel: "ad", text: "Vote Rivera. Paid for by Rivera for Senate.", sender: { name: "Rivera for Senate" }, recipients: [], sendAt: NOON_ISH, region: "US", paid: true };

/** rule → [a communication that passes it, one that fails it]. */
const CASES: Record<string, [Communication, Communication]> = {
  "fec-disclaimer": [ad, { ...ad, text: "Vote Rivera." }],
  "tcpa-consent": [sms, { ...sms, recipients: [{ ...consenting, consent: { recorded: false } }] }],
  "tcpa-quiet-hours": [sms, { ...sms, recipients: [{ ...consenting, timeZone: "America/Los_Angeles" }] }],
  "ctia-opt-out": [sms, { ...sms, text: "Rally tonight at 7pm, Main St." }],
  "can-spam-address": [email, { ...email, sender: { name: "Rivera for Senate" } }],
  "can-spam-unsubscribe": [email, { ...email, unsubscribeUrl: undefined, text: "Chip in $5 today! Paid for by Rivera for Senate." }],
  "gdpr-lawful-basis": [
    { ...email, region: "EU", lawfulBasis: "legitimate_interests" },
    { ...email, region: "EU" },
  ],
};

describe("communication rules", () => {
  test("every rule cites its regulation and has a passing and a failing example", () => {
    expect(Object.keys(CASES).sort()).toEqual(RULES.map((r) => r.id).sort());
    for (const r of RULES) expect(r.citation.length).toBeGreaterThan(5);
  });

  test.each(Object.entries(CASES))("%s: the passing example passes, the failing one fails with that rule", (rule, [pass, fail]) => {
    const ok = checkCommunication(pass);
    expect(ok.rulesApplied).toContain(rule);
    expect(ok.findings.filter((f) => f.rule === rule)).toEqual([]);
    const bad = checkCommunication(fail);
    const found = bad.findings.filter((f) => f.rule === rule);
    expect(found.length).toBeGreaterThan(0);
    expect(bad.compliant).toBe(false);
    expect(found[0]!.citation).toBe(RULES.find((r) => r.id === rule)!.citation);
  });

  test("the full examples are compliant", () => {
    for (const c of [sms, email, ad]) expect(checkCommunication(c)).toMatchObject({ compliant: true, findings: [] });
  });

  test("quiet hours are judged in each recipient's own time zone", () => {
    const late = new Date("2026-01-16T02:30:00Z"); // 21:30 New York, 18:30 Los Angeles
    const r = checkCommunication({ ...sms, sendAt: late, recipients: [consenting, { ...consenting, id: "la", timeZone: "America/Los_Angeles" }] });
    expect(r.findings.map((f) => f.recipient)).toEqual(["r1"]);
    expect(localHour(late, "America/Los_Angeles")).toBe(18);
  });

  test("an opted-out recipient fails consent; a missing time zone is a finding", () => {
    const r = checkCommunication({ ...sms, recipients: [{ ...consenting, consent: { recorded: true, optedOut: true } }, { id: "nz", consent: { recorded: true } }] });
    expect(r.findings.map((f) => [f.rule, f.recipient])).toEqual([
      ["tcpa-consent", "r1"],
      ["tcpa-quiet-hours", "nz"],
    ]);
  });

  test("GDPR applies to EU recipients too, and consent as a basis needs recorded consent", () => {
    expect(isEuRegion("DE-BY")).toBe(true);
    expect(isEuRegion("US-OH")).toBe(false);
    const r = checkCommunication({ ...ad, recipients: [{ id: "fr", region: "FR" }], lawfulBasis: "consent" });
    expect(r.findings).toMatchObject([{ rule: "gdpr-lawful-basis", recipient: "fr" }]);
    expect(checkCommunication({ ...ad, recipients: [{ id: "fr", region: "FR" }], lawfulBasis: "because" }).findings[0]!.message).toMatch(/not a lawful basis/);
  });

  test("non-commercial email and unpaid posts skip the rules that do not apply", () => {
    expect(checkCommunication({ ...email, commercial: false, sender: { name: "x" }, unsubscribeUrl: undefined, text: "Paid for by X" }).compliant).toBe(true);
    expect(checkCommunication({ channel: "post", text: "Great rally!", sender: { name: "x" }, recipients: [], sendAt: NOON_ISH, region: "US" }).rulesApplied).toEqual([]);
  });

  test("an unknown channel or time zone is an input error", () => {
    expect(() => checkCommunication({ ...sms, channel: "fax" })).toThrow(CheckInputError);
    expect(() => checkCommunication({ ...sms, recipients: [{ ...consenting, timeZone: "Mars/Olympus" }] })).toThrow(CheckInputError);
  });
});
