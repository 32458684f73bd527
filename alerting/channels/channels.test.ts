// The Twilio sender's error mapping: what is retried and what fails at once.
import { describe, expect, test } from "vitest";
import { ChannelError, DeferredError, OptedOutError, twilioSender, type Outgoing } from "./channels";

const out: Outgoing = {
  deliveryId: "d1",
  alertId: "a1",
  channel: "SMS",
  recipient: "+14155550100",
  recipientName: "",
  message: { template: "crisis_sms", text: "x" },
};
const failing = (code: string, message: string, details: object | null = null) =>
  twilioSender(async () => Promise.reject(Object.assign(new Error(message), { code, details })));

describe("twilioSender", () => {
  test("Twilio not configured fails at once (permanent: no retries), like a bad number", async () => {
    for (const [code, message] of [
      ["unavailable", "twilio is not configured (missing TWILIO_SID, TWILIO_TOKEN)"],
      ["unavailable", "twilio is not configured (missing TWILIO_FROM)"],
      ["invalid_argument", "bad number"],
    ]) {
      const err = await failing(code!, message!)(out).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ChannelError);
      expect((err as ChannelError).permanent).toBe(true);
      expect((err as ChannelError).message).toContain(message!);
    }
  });

  test("Twilio down or its circuit open is retried; an opt-out is skipped", async () => {
    const down = await failing("unavailable", "twilio is unavailable: circuit open", { provider: "twilio", kind: "circuit_open" })(out).catch(
      (e: unknown) => e,
    );
    expect(down).toBeInstanceOf(ChannelError);
    expect((down as ChannelError).permanent).toBe(false);
    expect(await failing("failed_precondition", "opted_out: the recipient replied STOP")(out).catch((e: unknown) => e)).toBeInstanceOf(OptedOutError);
  });

  test("a send held by another delivery, or integrations' own outage, is deferred (not an attempt) for the wait it asks", async () => {
    const held = await failing("aborted", "this message is being sent by another delivery", { inFlight: true, retryAfterSeconds: 7 })(out).catch(
      (e: unknown) => e,
    );
    expect(held).toBeInstanceOf(DeferredError);
    expect((held as DeferredError).retryAfterMs).toBe(7000);
    const ours = await failing("unavailable", "the database is unavailable", { retryAfterSeconds: 1 })(out).catch((e: unknown) => e);
    expect(ours).toBeInstanceOf(DeferredError);
    expect((ours as DeferredError).retryAfterMs).toBe(1000);
    // aborted without the in-flight mark is an ordinary, counted failure
    expect(await failing("aborted", "conflict")(out).catch((e: unknown) => e)).toBeInstanceOf(ChannelError);
  });
});
