// Signed, expiring acknowledgement links (email and Slack): the token names one delivery and an
// expiry, signed with HMAC-SHA256. Single use is the store's job (link_used_at). Pure.
import { createHmac, timingSafeEqual } from "node:crypto";
import { isUuid } from "../../shared/ids";

function sign(secret: string, deliveryId: string, expires: number): string {
  return createHmac("sha256", secret).update(`alert-ack:${deliveryId}:${expires}`).digest("base64url");
}

/** A token for `deliveryId` valid until `expires` (ms since epoch). */
export function ackToken(secret: string, deliveryId: string, expires: number): string {
  const seconds = Math.floor(expires / 1000);
  return `${deliveryId}.${seconds}.${sign(secret, deliveryId, seconds)}`;
}

/** The delivery a token names, or why it is refused ("invalid", "expired"). */
export function readAckToken(secret: string, token: string, now: number): { ok: true; deliveryId: string } | { ok: false; reason: "invalid" | "expired" } {
  const [deliveryId, seconds, signature, ...rest] = token.split(".");
  if (!secret || rest.length || !deliveryId || !isUuid(deliveryId) || !seconds || !/^\d{1,12}$/.test(seconds) || !signature)
    return { ok: false, reason: "invalid" };
  const expected = Buffer.from(sign(secret, deliveryId, Number(seconds)));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: "invalid" };
  if (Number(seconds) * 1000 < now) return { ok: false, reason: "expired" };
  return { ok: true, deliveryId: deliveryId.toLowerCase() };
}
