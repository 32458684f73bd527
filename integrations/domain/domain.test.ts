import { expect, test } from "vitest";
import { isE164, twilioAddress } from "./phone";
import { bodyFingerprint, CLOCK_SKEW_MS, sentForClaim, type ListedMessage } from "./reconcile";
import twilio from "twilio";
import { parseForm } from "./signature";
import { verifyTwilioRequest } from "../webhook";

test("E.164 numbers are accepted, anything else refused", () => {
  expect(isE164("+14155552671")).toBe(true);
  expect(isE164("+447911123456")).toBe(true);
  for (const bad of ["14155552671", "+0123456789", "+1 415 555 2671", "+1415555267123456", "", "whatsapp:+14155552671"]) expect(isE164(bad)).toBe(false);
  expect(twilioAddress("whatsapp", "+14155552671")).toBe("whatsapp:+14155552671");
});

test("webhook signatures are checked with the twilio SDK's validator: Twilio's documented example, then tampering", () => {
  // From Twilio's security docs: token 12345, this URL and these params sign to this value.
  const params = { CallSid: "CA1234567890ABCDE", Caller: "+12349013030", Digits: "1234", From: "+12349013030", To: "+18005551212" };
  expect(verifyTwilioRequest("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).toBe(true);
  const form = parseForm("MessageSid=SM1&MessageStatus=delivered");
  const sig = twilio.getExpectedTwilioSignature("tok", "https://x.test/cb", form);
  expect(verifyTwilioRequest("tok", "https://x.test/cb", form, sig)).toBe(true);
  expect(verifyTwilioRequest("tok", "https://x.test/cb", { ...form, MessageStatus: "failed" }, sig)).toBe(false);
  expect(verifyTwilioRequest("tok", "https://x.test/other", form, sig)).toBe(false);
  expect(verifyTwilioRequest("other", "https://x.test/cb", form, sig)).toBe(false);
  expect(verifyTwilioRequest("tok", "https://x.test/cb", form, undefined)).toBe(false);
  expect(verifyTwilioRequest("", "https://x.test/cb", form, sig)).toBe(false);
});

test("a lost send is found in Twilio's list by recipient, sender, text and time; failed, older or other messages are not it", () => {
  const claimedAt = new Date("2026-12-06T18:00:00Z");
  const claim = { to: "+14155550100", from: "+14155550199", bodySha256: bodyFingerprint("CRISIS: Rivera"), claimedAt };
  const msg = (over: Partial<ListedMessage>): ListedMessage => ({
    sid: "SM1",
    status: "queued",
    to: claim.to,
    from: claim.from,
    body: "CRISIS: Rivera",
    dateCreated: new Date(claimedAt.getTime() + 1000),
    ...over,
  });
  expect(sentForClaim([msg({})], claim)?.sid).toBe("SM1");
  expect(sentForClaim([msg({ dateCreated: new Date(claimedAt.getTime() - CLOCK_SKEW_MS + 1000) })], claim)?.sid).toBe("SM1"); // Twilio's clock a little behind
  expect(sentForClaim([msg({ body: "CRISIS: Chen" })], claim)).toBeNull();
  expect(sentForClaim([msg({ to: "+14155550101" })], claim)).toBeNull();
  expect(sentForClaim([msg({ from: "+14155550198" })], claim)).toBeNull();
  expect(sentForClaim([msg({ status: "failed" })], claim)).toBeNull();
  expect(sentForClaim([msg({ dateCreated: new Date(claimedAt.getTime() - 2 * CLOCK_SKEW_MS) })], claim)).toBeNull(); // an earlier alert with the same text
  expect(sentForClaim([msg({ sid: "SM0", body: "other" }), msg({ sid: "SM2" })], claim)?.sid).toBe("SM2");
});
