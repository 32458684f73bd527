import { describe, expect, test } from "vitest";
import { ackCommand, consentKeyword, twiml } from "./inbound";

describe("inbound replies", () => {
  test("ACK with a reference, case, spacing and # forgiven; a bare ACK; anything else is no acknowledgement", () => {
    for (const body of ["ACK 4821", "ack 4821", "  Ack   #4821 ", "ack4821", "ACK: 4821.", "Acknowledged 4821!"])
      expect(ackCommand(body), body).toEqual({ ref: 4821 });
    for (const body of ["ACK", " ack ", "ack.", "Acknowledge"]) expect(ackCommand(body), body).toEqual({ ref: null });
    for (const body of ["STOP", "back 4821", "ACK 4821 and more", "hello", "", "acknowledgement please"]) expect(ackCommand(body), body).toBeNull();
    // STOP keeps its meaning.
    expect(consentKeyword("stop")).toEqual({ kind: "opt_out", keyword: "STOP" });
    expect(ackCommand("stop")).toBeNull();
  });

  test("TwiML answers: one escaped message, or none", () => {
    expect(twiml("")).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    expect(twiml("a < b & c")).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Message>a &lt; b &amp; c</Message></Response>');
  });
});
