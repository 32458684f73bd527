// Twilio's request signature (X-Twilio-Signature): base64(HMAC-SHA1(authToken, url + every POST
// parameter as name+value, sorted by name)). Pure, so the fake Twilio signs with the same function.
import { createHmac, timingSafeEqual } from "node:crypto";

/** The signature Twilio sends for a form POST of `params` to `url`. */
export function twilioSignature(authToken: string, url: string, params: Record<string, string | string[]>): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    for (const v of Array.isArray(value) ? [...value].sort() : [value]) data += name + v;
  }
  return createHmac("sha1", authToken).update(Buffer.from(data, "utf8")).digest("base64");
}

/** Constant-time check of a received signature. */
export function verifyTwilioSignature(authToken: string, url: string, params: Record<string, string | string[]>, received: string | undefined | null): boolean {
  if (!received || !authToken) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const got = Buffer.from(received);
  return expected.length === got.length && timingSafeEqual(expected, got);
}

/** Form-encoded body → params (repeated names become arrays). */
export function parseForm(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}
