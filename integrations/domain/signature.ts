// Twilio's webhooks are form posts signed with X-Twilio-Signature; the signature is checked with the
// official SDK's validator (integrations/webhook.ts verifyTwilioRequest). Pure: the form's parameters.

/** Form-encoded body → params (repeated names become arrays). */
export function parseForm(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}
