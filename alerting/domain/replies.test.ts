import { describe, expect, test } from "vitest";
import { decideReply, replyText, type PagedIncident } from "./replies";
import { isGsm7, smsSegments } from "./sms";

const incident = (ref: number, state: PagedIncident["state"] = "open", over: Partial<PagedIncident> = {}): PagedIncident => ({
  id: `id-${ref}`,
  ref,
  campaignName: "Łódź for Mayor",
  severity: "CRITICAL",
  state,
  acknowledgedName: null,
  acknowledgedBy: null,
  ...over,
});

describe("acknowledging by reply", () => {
  test("ACK <ref> picks that incident among those that paged the number; a bare ACK needs exactly one open", () => {
    const paged = [incident(4822), incident(4821, "acknowledged", { acknowledgedName: "Ana" }), incident(4700, "resolved")];
    expect(decideReply(paged, 4822)).toMatchObject({ kind: "acknowledge", incident: { ref: 4822 } });
    expect(decideReply(paged, 4821)).toMatchObject({ kind: "already_acknowledged" });
    expect(decideReply(paged, 4700)).toMatchObject({ kind: "closed" });
    expect(decideReply(paged, 1234)).toMatchObject({ kind: "unknown_ref", ref: 1234, open: [{ ref: 4822 }] });
    expect(decideReply(paged, undefined)).toMatchObject({ kind: "acknowledge", incident: { ref: 4822 } });
    expect(decideReply([incident(1), incident(2)], undefined)).toMatchObject({ kind: "ambiguous" });
    expect(decideReply([incident(1, "resolved")], undefined)).toEqual({ kind: "none_open" });
    expect(decideReply([], 4821)).toEqual({ kind: "unknown_number" });
  });

  test("every answer is one GSM-7 segment and says what to do", () => {
    const answers = [
      replyText({ kind: "acknowledge", incident: incident(4821) }, "Zoë"),
      replyText({ kind: "already_acknowledged", incident: incident(4821, "acknowledged", { acknowledgedName: "Ana" }) }, null),
      replyText({ kind: "closed", incident: incident(4821, "false_alarm") }, null),
      replyText({ kind: "unknown_number" }, null),
      replyText({ kind: "unknown_ref", ref: 99, open: [incident(4821), incident(4822)] }, null),
      replyText({ kind: "none_open" }, null),
      replyText({ kind: "ambiguous", open: [incident(4821), incident(4822)] }, null),
    ];
    for (const a of answers) {
      expect(isGsm7(a)).toBe(true);
      expect(smsSegments(a).segments).toBe(1);
    }
    expect(answers[0]).toBe("War Room: #4821 Lodz for Mayor (CRITICAL) acknowledged by Zoe. Escalation stopped.");
    expect(answers[1]).toContain("already acknowledged by Ana");
    expect(answers[4]).toContain("Reply ACK 4821");
    expect(answers[6]).toContain("ACK 4821");
  });
});
