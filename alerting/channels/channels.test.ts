// The Twilio sender's error mapping: what is retried and what fails at once.
import { describe, expect, test } from "vitest";
import { ChannelError, OptedOutError, twilioSender, type Outgoing } from "./channels";

const out: Outgoing = { deliveryId: "d1", alertId: "a1", channel: "SMS", recipient: "+14155550100", recipientName: "", message: { template: "crisis_sms", text: "x" } };
const failing = (code: string, message: string) => twilioSender(async () => Promise.reject(Object.assign(new Error(message), { code })));

describe("twilioSender", () => {
  test("Twilio not configured fails at once (permanent: no retries), like a bad number", async () => {
    for (const [code, message] of [["unavailable", "twilio is not configured (missing TWILIO_SID, TWILIO_TOKEN)"], ["unavailable", "twilio is not configured (missing TWILIO_FROM)"], ["invalid_argument", "bad number"]]) {
      const err = await failing(code!, message!)(out).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ChannelError);
      expect((err as ChannelError).permanent).toBe(true);
      expect((err as ChannelError).message).toContain(message!);
    }
  });

  test("Twilio down or its circuit open is retried; an opt-out is skipped", async () => {
    const down = await failing("unavailable", "twilio is unavailable: circuit open")(out).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(ChannelError);
    expect((down as ChannelError).permanent).toBe(false);
    expect(await failing("failed_precondition", "opted_out: the recipient replied STOP")(out).catch((e: unknown) => e)).toBeInstanceOf(OptedOutError);
  });
});
