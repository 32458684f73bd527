import { describe, expect, test } from "vitest";
import { fitSms, isGsm7, smsSegments } from "./sms";

describe("SMS segments", () => {
  test("160 GSM-7 characters are one segment, 161 are two of 153", () => {
    expect(smsSegments("a".repeat(160))).toEqual({ encoding: "GSM-7", units: 160, segments: 1, remaining: 0 });
    expect(smsSegments("a".repeat(161))).toMatchObject({ segments: 2, units: 161, remaining: 153 * 2 - 161 });
    expect(smsSegments("a".repeat(306)).segments).toBe(2);
    expect(smsSegments("a".repeat(307)).segments).toBe(3);
  });

  test("extension characters cost two septets and are not split across segments", () => {
    expect(smsSegments("€".repeat(80))).toMatchObject({ encoding: "GSM-7", units: 160, segments: 1 });
    expect(smsSegments("€".repeat(81)).segments).toBe(2);
    // 152 plain + one € (2 septets) does not fit 153: the € starts segment 2.
    expect(smsSegments(`${"a".repeat(152)}€${"a".repeat(10)}`)).toMatchObject({ units: 164, segments: 2, remaining: 153 - 12 });
  });

  test("one non-GSM character makes the whole message UCS-2: 70, then 67 per part", () => {
    expect(isGsm7("Crisis: café")).toBe(true);
    expect(isGsm7("Crisis ✓")).toBe(false);
    expect(smsSegments(`✓${"a".repeat(69)}`)).toMatchObject({ encoding: "UCS-2", units: 70, segments: 1 });
    expect(smsSegments(`✓${"a".repeat(70)}`)).toMatchObject({ encoding: "UCS-2", segments: 2 });
    expect(smsSegments("a".repeat(134)).segments).toBe(1);
  });

  test("an emoji is two UTF-16 units and never split", () => {
    expect(smsSegments("🚨")).toMatchObject({ encoding: "UCS-2", units: 2 });
    // 66 units + an emoji (2) does not fit 67: it opens the next part.
    expect(smsSegments(`${"✓".repeat(66)}🚨${"a".repeat(10)}`)).toMatchObject({ units: 78, segments: 2, remaining: 67 - 12 });
  });

  test("fitSms cuts to one segment of the text's own encoding", () => {
    const long = "Negative coverage spreading fast ".repeat(10);
    const fitted = fitSms(long);
    expect(smsSegments(fitted).segments).toBe(1);
    expect(fitted.endsWith("...")).toBe(true);
    expect(fitted.length).toBeGreaterThan(150);
    const unicode = `🚨 ${long}`;
    const cut = fitSms(unicode);
    expect(smsSegments(cut)).toMatchObject({ encoding: "UCS-2", segments: 1 });
    expect(cut.endsWith("…")).toBe(true);
    expect(fitSms("short")).toBe("short");
    expect(smsSegments(fitSms(long, 2)).segments).toBe(2);
  });
});
