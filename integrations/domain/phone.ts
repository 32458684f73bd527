// Phone numbers as Twilio takes them.

/** E.164: a plus, a non-zero country digit, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{6,14}$/;

export function isE164(value: string): boolean {
  return E164.test(value);
}

/** The Twilio address for a channel: WhatsApp numbers carry the `whatsapp:` prefix. */
export function twilioAddress(channel: "sms" | "whatsapp", e164: string): string {
  return channel === "whatsapp" ? `whatsapp:${e164}` : e164;
}
