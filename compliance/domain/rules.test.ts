// The communication rules (pure): for every rule, a communication that passes it and one that fails
// it; unknown channels and time zones are input errors.
import { describe, expect, test } from "vitest";
import {
  checkCommunication,
  CheckInputError,
  hasOptOutInstruction,
  isEuRegion,
  localHour,
  missingDisclaimerElements,
  RULES,
  type Communication,
} from "./rules";

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
const ad: Communication = {
  channel: "ad",
  text: "Vote Rivera. Paid for by Rivera for Senate.",
  sender: { name: "Rivera for Senate" },
  recipients: [],
  sendAt: NOON_ISH,
  region: "US",
  paid: true,
};
// A German supporter, the case: a political email on "legitimate interests".
const german = { id: "de1", region: "DE", consent: { recorded: true } };
const euEmail: Communication = { ...email, region: "EU", lawfulBasis: "consent", recipients: [german] };

/** rule → [a communication that passes it, one that fails it]. */
const CASES: Record<string, [Communication, Communication]> = {
  "fec-disclaimer": [ad, { ...ad, text: "Vote Rivera." }],
  "tcpa-consent": [sms, { ...sms, recipients: [{ ...consenting, consent: { recorded: false } }] }],
  "tcpa-revocation": [sms, { ...sms, recipients: [{ ...consenting, consent: { recorded: true, optedOut: true } }] }],
  "tcpa-quiet-hours": [sms, { ...sms, recipients: [{ ...consenting, timeZone: "America/Los_Angeles" }] }],
  "ctia-opt-out": [sms, { ...sms, text: "Rally tonight at 7pm, Main St." }],
  "can-spam-address": [email, { ...email, sender: { name: "Rivera for Senate" } }],
  "can-spam-unsubscribe": [email, { ...email, unsubscribeUrl: undefined, text: "Chip in $5 today! Paid for by Rivera for Senate." }],
  "gdpr-lawful-basis": [
    { ...email, region: "EU", lawfulBasis: "legitimate_interests" },
    { ...email, region: "EU" },
  ],
  "gdpr-special-category": [euEmail, { ...euEmail, lawfulBasis: "legitimate_interests", recipients: [{ id: "de1", region: "DE" }] }],
  "eprivacy-consent": [euEmail, { ...euEmail, recipients: [{ id: "de1", region: "DE" }] }],
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

  test("an opted-out recipient is refused (revocation); a missing time zone is a finding", () => {
    const r = checkCommunication({
      ...sms,
      recipients: [
        { ...consenting, consent: { recorded: true, optedOut: true } },
        { id: "nz", consent: { recorded: true } },
      ],
    });
    expect(r.findings.map((f) => [f.rule, f.recipient])).toEqual([
      ["tcpa-revocation", "r1"],
      ["tcpa-quiet-hours", "nz"],
    ]);
  });

  test("TCPA consent follows the autodialed flag; revocation and quiet hours apply to both", () => {
    const noConsent = { ...consenting, consent: { recorded: false } };
    // Mass / autodialed (the default): consent required.
    expect(checkCommunication({ ...sms, recipients: [noConsent] }).findings.map((f) => f.rule)).toEqual(["tcpa-consent"]);
    expect(checkCommunication({ ...sms, autodialed: true, recipients: [noConsent] }).findings.map((f) => f.rule)).toEqual(["tcpa-consent"]);
    // Person-to-person: no consent rule, but quiet hours and opt-outs still hold.
    const p2p = { ...sms, autodialed: false };
    expect(checkCommunication({ ...p2p, recipients: [noConsent] })).toMatchObject({
      compliant: true,
      rulesApplied: ["tcpa-revocation", "tcpa-quiet-hours", "ctia-opt-out"],
    });
    const late = new Date("2026-01-16T03:30:00Z"); // 22:30 New York
    expect(checkCommunication({ ...p2p, sendAt: late, recipients: [noConsent] }).findings.map((f) => f.rule)).toEqual(["tcpa-quiet-hours"]);
    expect(checkCommunication({ ...p2p, recipients: [{ ...noConsent, consent: { recorded: false, optedOut: true } }] }).findings.map((f) => f.rule)).toEqual([
      "tcpa-revocation",
    ]);
  });

  test("GDPR applies to EU recipients too, and consent as a basis needs recorded consent", () => {
    expect(isEuRegion("DE-BY")).toBe(true);
    expect(isEuRegion("US-OH")).toBe(false);
    const r = checkCommunication({ ...ad, recipients: [{ id: "fr", region: "FR" }], lawfulBasis: "consent" });
    expect(r.findings.filter((f) => f.rule === "gdpr-lawful-basis")).toMatchObject([{ rule: "gdpr-lawful-basis", recipient: "fr" }]);
    expect(checkCommunication({ ...ad, recipients: [{ id: "fr", region: "FR" }], lawfulBasis: "because" }).findings[0]!.message).toMatch(/not a lawful basis/);
  });

  test("non-commercial email and unpaid posts skip the rules that do not apply", () => {
    expect(checkCommunication({ ...email, commercial: false, sender: { name: "x" }, unsubscribeUrl: undefined, text: "Paid for by X" }).compliant).toBe(true);
    expect(
      checkCommunication({ channel: "post", text: "Great rally!", sender: { name: "x" }, recipients: [], sendAt: NOON_ISH, region: "US" }).rulesApplied,
    ).toEqual([]);
  });

  test("the issue's German case: a political email on legitimate interests is not compliant (Art. 9, ePrivacy Art. 13)", () => {
    const r = checkCommunication({ ...email, region: "US", lawfulBasis: "legitimate_interests", recipients: [{ id: "de1", region: "DE" }] });
    expect(r.compliant).toBe(false);
    expect(r.findings.map((f) => [f.rule, f.regulation])).toEqual([
      ["gdpr-special-category", "GDPR"],
      ["eprivacy-consent", "ePrivacy"],
    ]);
    expect(r.findings[0]!.message).toMatch(/legitimate_interests does not lift Art. 9/);
    // With recorded explicit consent it passes; a member of the party needs no Art. 9 consent (9(2)(d)) but still ePrivacy consent.
    expect(checkCommunication({ ...email, lawfulBasis: "consent", recipients: [german] }).compliant).toBe(true);
    const member = checkCommunication({
      ...email,
      lawfulBasis: "legitimate_interests",
      recipients: [{ id: "m1", region: "DE", member: true, consent: { recorded: true } }],
    });
    expect(member.compliant).toBe(true);
    // A non-political message is not special-category.
    expect(
      checkCommunication({ ...email, political: false, lawfulBasis: "legitimate_interests", recipients: [{ id: "de1", region: "DE" }] }).rulesApplied,
    ).not.toContain("gdpr-special-category");
  });

  test("FEC disclaimers by sender type (11 CFR 110.11(b)(1)-(3))", () => {
    const committee = { name: "Rivera for Senate" };
    const pac = { name: "Keystone Future PAC", type: "pac" };
    // (b)(1) a candidate's committee: "Paid for by" it suffices.
    expect(missingDisclaimerElements("Paid for by Rivera for Senate", committee)).toEqual([]);
    expect(missingDisclaimerElements("Vote Rivera", committee)).toHaveLength(1);
    // (b)(3) the PAC ad: only "Paid for by" is not enough.
    const onlyPaid = checkCommunication({ ...ad, text: "Paid for by Keystone Future PAC", sender: pac });
    expect(onlyPaid.compliant).toBe(false);
    expect(onlyPaid.findings[0]!.message).toMatch(/110\.11\(b\)\(3\).*not authorized by any candidate.*street address, telephone number or web address/);
    const full = "Paid for by Keystone Future PAC, 200 Market St, Harrisburg, PA. Not authorized by any candidate or candidate's committee.";
    expect(checkCommunication({ ...ad, text: full, sender: pac }).compliant).toBe(true);
    expect(
      missingDisclaimerElements("Paid for by Keystone Future PAC (keystonefuture.org). Not authorized by any candidate or candidate's committee.", pac),
    ).toEqual([]);
    expect(missingDisclaimerElements("Paid for by Keystone Future PAC, 717-555-0142. Not authorized by any candidate.", pac)).toEqual([]);
    // (b)(2) a party, authorized by the candidate.
    const party = { name: "Ohio Democratic Party", type: "party", authorized: true };
    expect(missingDisclaimerElements("Paid for by the Ohio Democratic Party and authorized by Rivera for Senate.", party)).toEqual([]);
    expect(missingDisclaimerElements("Paid for by the Ohio Democratic Party.", party)).toEqual([expect.stringMatching(/authorized/)]);
    // Other payers follow the same split; the payer must be the one named.
    expect(
      missingDisclaimerElements("Paid for by Jane Doe, janedoe.com. Not authorized by any candidate or candidate's committee.", {
        name: "Jane Doe",
        type: "other",
      }),
    ).toEqual([]);
    expect(missingDisclaimerElements("Paid for by Someone Else", committee)).toEqual([expect.stringMatching(/Rivera for Senate/)]);
    expect(() => checkCommunication({ ...ad, sender: { name: "x", type: "superhero" } })).toThrow(CheckInputError);
  });

  test.each([
    "Txt STOP 2 quit",
    "Reply STOP to opt out",
    "text STOP to end",
    "Text STOP to end",
    "Reply STOP to unsubscribe",
    "Msg&data rates may apply. Reply STOP to cancel",
    "Send END to stop messages",
    "STOP to quit",
    "Reply 'STOP' to opt-out",
    "Respond with STOP to opt out",
    "Txt QUIT 2 end",
  ])("the opt-out instruction %j is accepted", (text) => {
    expect(hasOptOutInstruction(`Rally at 7, Main St. ${text}`)).toBe(true);
  });

  test.each(["Rally at 7, Main St.", "We will never stop fighting for you", "Don't stop believing", "Text me at 555-0100", "Stop by our office"])(
    "%j is no opt-out instruction",
    (text) => {
      expect(hasOptOutInstruction(text)).toBe(false);
    },
  );

  test("an unknown channel or time zone is an input error", () => {
    expect(() => checkCommunication({ ...sms, channel: "fax" })).toThrow(CheckInputError);
    expect(() => checkCommunication({ ...sms, recipients: [{ ...consenting, timeZone: "Mars/Olympus" }] })).toThrow(CheckInputError);
  });
});
