import { describe, expect, test } from "vitest";
import { formatISO, parseDateTime } from "./datetime.ts";

describe("parseDateTime", () => {
  test("accepts RFC 3339 variants and rejects impossible dates", () => {
    expect(parseDateTime("2024-02-29T23:59:59.999999Z")?.toISOString()).toBe("2024-02-29T23:59:59.999Z");
    expect(parseDateTime("2024-05-01t10:00:00z")?.toISOString()).toBe("2024-05-01T10:00:00.000Z");
    expect(parseDateTime("2024-05-01 10:00:00-05:30")?.toISOString()).toBe("2024-05-01T15:30:00.000Z");
    expect(parseDateTime("0099-01-01T00:00:00Z")?.getUTCFullYear()).toBe(99);
    expect(parseDateTime("2023-02-29T00:00:00Z")).toBeNull();
    expect(parseDateTime("2024-04-31")).toBeNull();
    expect(parseDateTime("2024-05-01T10:60:00Z")).toBeNull();
    expect(parseDateTime("2024-05-01T10:00:00+24:00")).toBeNull();
  });
});

describe("formatISO", () => {
  test("matches Date#toISOString across the whole range, including before 1970 and after 9999", () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const samples = [0, 1, 999, 86_399_999, 951_782_400_000, 253_402_300_799_999, 253_402_300_800_000, -1, -62_198_755_200_000, 8.64e15, -8.64e15];
    for (let i = 0; i < 5_000; i++) samples.push(Math.floor(random() * 2.6e14) - 1e13);
    for (const t of samples) expect(formatISO(new Date(t))).toBe(new Date(t).toISOString());
  });

  test("an invalid date throws, as toISOString does", () => {
    expect(() => formatISO(new Date(NaN))).toThrow(RangeError);
  });

  test("parseDateTime reads back what formatISO writes", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 5_000; i++) {
      const d = new Date(Math.floor(random() * 2.5e14));
      expect(parseDateTime(formatISO(d))?.getTime()).toBe(d.getTime());
    }
  });
});
