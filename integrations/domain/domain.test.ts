import { expect, test } from "vitest";
import { isE164, twilioAddress } from "./phone";
import { parseForm, twilioSignature, verifyTwilioSignature } from "./signature";

test("E.164 numbers are accepted, anything else refused", () => {
  expect(isE164("+14155552671")).toBe(true);
  expect(isE164("+447911123456")).toBe(true);
  for (const bad of ["14155552671", "+0123456789", "+1 415 555 2671", "+1415555267123456", "", "whatsapp:+14155552671"]) expect(isE164(bad)).toBe(false);
  expect(twilioAddress("whatsapp", "+14155552671")).toBe("whatsapp:+14155552671");
});

test("the signature matches Twilio's documented example", () => {
  // From Twilio's security docs: token 12345, this URL and these params sign to this value.
  const params = { CallSid: "CA1234567890ABCDE", Caller: "+12349013030", Digits: "1234", From: "+12349013030", To: "+18005551212" };
  expect(twilioSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params)).toBe("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
});

test("a tampered body, URL or token fails verification", () => {
  const params = parseForm("MessageSid=SM1&MessageStatus=delivered");
  const sig = twilioSignature("tok", "https://x.test/cb", params);
  expect(verifyTwilioSignature("tok", "https://x.test/cb", params, sig)).toBe(true);
  expect(verifyTwilioSignature("tok", "https://x.test/cb", { ...params, MessageStatus: "failed" }, sig)).toBe(false);
  expect(verifyTwilioSignature("tok", "https://x.test/other", params, sig)).toBe(false);
  expect(verifyTwilioSignature("other", "https://x.test/cb", params, sig)).toBe(false);
  expect(verifyTwilioSignature("tok", "https://x.test/cb", params, undefined)).toBe(false);
});
