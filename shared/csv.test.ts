import { describe, expect, test } from "vitest";
import { campaignTimeZone, csvCell, csvRow, formatInZone, isTimeZone, safeFileName } from "./csv";

describe("CSV cells and rows", () => {
  test("RFC 4180: quoted when holding a comma, a quote or a line break; quotes doubled; CRLF rows", () => {
    expect(csvRow(["plain", 'say "hi"', "a,b", "two\nlines", "", null, undefined])).toBe('plain,"say ""hi""","a,b","two\nlines",,,\r\n');
    expect(csvCell(" padded ")).toBe('" padded "');
  });

  test("formula injection: text starting with = + - @ (or tab, CR) is made text with a leading apostrophe", () => {
    expect(csvCell('=HYPERLINK("http://evil.example","click")')).toBe(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csvCell("+1 555 0100")).toBe("'+1 555 0100");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1:A9)")).toBe("'@SUM(A1:A9)");
    expect(csvCell("\t=1+1")).toBe("'\t=1+1");
    expect(csvCell("a=b")).toBe("a=b");
  });

  test("numbers stay numbers (a negative sentiment is data), booleans and dates are written plainly", () => {
    expect(csvRow([-0.45, 0, 12, Number.NaN, true, new Date("2026-11-03T12:00:00Z")])).toBe("-0.45,0,12,,true,2026-11-03T12:00:00.000Z\r\n");
  });
});

describe("times in a campaign's zone", () => {
  const t = new Date("2026-11-03T12:34:56.789Z");
  test("ISO 8601 local time with its offset, daylight saving included", () => {
    expect(formatInZone(t, "UTC")).toBe("2026-11-03T12:34:56Z");
    expect(formatInZone(t, "America/New_York")).toBe("2026-11-03T07:34:56-05:00");
    expect(formatInZone(new Date("2026-07-01T12:00:00Z"), "America/New_York")).toBe("2026-07-01T08:00:00-04:00");
    expect(formatInZone(t, "Asia/Kolkata")).toBe("2026-11-03T18:04:56+05:30");
    expect(formatInZone(new Date("2026-11-03T23:30:00Z"), "Europe/Madrid")).toBe("2026-11-04T00:30:00+01:00");
  });

  test("a campaign's zone is its valid `timezone`, else UTC", () => {
    expect(campaignTimeZone({ name: "x" })).toBe("UTC");
    expect(campaignTimeZone({ timezone: "America/Chicago" })).toBe("America/Chicago");
    expect(campaignTimeZone({ timezone: "Mars/Olympus" })).toBe("UTC");
    expect(campaignTimeZone({ timezone: 5 })).toBe("UTC");
    expect(isTimeZone("Europe/Madrid")).toBe(true);
  });

  test("file names keep only safe characters", () => {
    expect(safeFileName('Rivera "for" Ohio / 2026', "campaign")).toBe("Rivera-for-Ohio-2026");
    expect(safeFileName("¡¡!!", "campaign")).toBe("campaign");
  });
});
