import { describe, expect, test } from "vitest";
import { MENTION_FILTER_PARAMS, filtersFromQuery, isLanguageCode, parseMentionFilters, unknownParams } from "./filters";

const NOW = Date.UTC(2026, 10, 3, 12);
const HOUR = 3_600_000;
const ok = (raw: Parameters<typeof parseMentionFilters>[0]) => {
  const r = parseMentionFilters(raw, NOW);
  if (!r.ok) throw new Error(r.message);
  return r.filter;
};
const problem = (raw: Parameters<typeof parseMentionFilters>[0]) => {
  const r = parseMentionFilters(raw, NOW);
  return r.ok ? "ok" : r.message;
};

describe("the mentions filters", () => {
  test("nothing given: the last 24 hours, everything", () => {
    expect(ok({})).toEqual({
      since: new Date(NOW - 24 * HOUR),
      until: null,
      pattern: null,
      platforms: null,
      classes: null,
      minSentiment: null,
      maxSentiment: null,
      author: null,
      languages: null,
    });
  });

  test("every filter combines, normalised (lists split, lower case, de-duplicated)", () => {
    const f = ok({
      keyword: " 50% off ",
      hours: 48,
      platform: "News, twitter,news",
      sentiment: "negative,Neutral",
      minSentiment: -0.8,
      maxSentiment: 0.05,
      author: " OhioPolitics ",
      language: "ES,en",
    });
    expect(f).toMatchObject({
      since: new Date(NOW - 48 * HOUR),
      until: null,
      pattern: "%50\\% off%",
      platforms: ["news", "twitter"],
      classes: ["negative", "neutral"],
      minSentiment: -0.8,
      maxSentiment: 0.05,
      author: "ohiopolitics",
      languages: ["es", "en"],
    });
  });

  test("a time range instead of hours: end defaults to now, start to 24 h before end; at most 31 days", () => {
    const start = new Date(NOW - 3 * 24 * HOUR);
    const end = new Date(NOW - 24 * HOUR);
    expect(ok({ start, end })).toMatchObject({ since: start, until: end });
    expect(ok({ end })).toMatchObject({ since: new Date(end.getTime() - 24 * HOUR), until: end });
    expect(ok({ start })).toMatchObject({ since: start, until: null });
    expect(problem({ start: end, end: start })).toBe("start must be before end");
    expect(problem({ start: new Date(NOW - 40 * 24 * HOUR) })).toMatch(/at most 31 days/);
    expect(problem({ hours: 2, start })).toMatch(/either hours or start\/end/);
    expect(problem({ start: new Date(NaN) })).toMatch(/valid times/);
  });

  test("an unknown value is refused, naming it", () => {
    expect(problem({ sentiment: "angry" })).toMatch(/sentiment: "angry" is not one of positive, neutral, negative/);
    expect(problem({ sentiment: "negative,,positive" })).toMatch(/without empty values/);
    expect(problem({ platform: "news; drop table" })).toMatch(/platform: "news; drop table" is not a platform name/);
    expect(problem({ language: "english" })).toMatch(/"english" is not an ISO 639-1 language code/);
    expect(problem({ language: "xx" })).toMatch(/"xx" is not an ISO 639-1/);
    expect(problem({ minSentiment: -2 })).toMatch(/minSentiment must be between -1 and 1/);
    expect(problem({ maxSentiment: Number.NaN })).toMatch(/maxSentiment must be between -1 and 1/);
    expect(problem({ minSentiment: 0.5, maxSentiment: 0.1 })).toMatch(/minSentiment must not be above maxSentiment/);
    expect(problem({ author: "  " })).toMatch(/author must be/);
    expect(problem({ hours: 0 })).toMatch(/hours must be between 1 and 720/);
    expect(problem({ platform: Array.from({ length: 21 }, (_, i) => `p${i}`).join(",") })).toMatch(/at most 20/);
  });

  test("ISO 639-1 codes are known by name", () => {
    for (const code of ["en", "es", "pt", "fr", "de"]) expect(isLanguageCode(code)).toBe(true);
    for (const code of ["xx", "eng", "e", "EN"]) expect(isLanguageCode(code)).toBe(false);
  });
});

describe("filters from a raw query string (the CSV export)", () => {
  test("numbers and times are parsed; anything else is a message", () => {
    const q = new URLSearchParams("hours=6&minSentiment=-0.5&platform=news&start=2026-11-01T00:00:00Z");
    expect(filtersFromQuery(q)).toEqual({ ok: true, raw: { hours: 6, minSentiment: -0.5, platform: "news", start: new Date("2026-11-01T00:00:00Z") } });
    expect(filtersFromQuery(new URLSearchParams("hours=six"))).toEqual({ ok: false, message: "hours must be a number" });
    expect(filtersFromQuery(new URLSearchParams("minSentiment="))).toEqual({ ok: false, message: "minSentiment must be a number" });
    expect(filtersFromQuery(new URLSearchParams("start=yesterday"))).toEqual({ ok: false, message: "start must be an ISO 8601 time" });
    expect(filtersFromQuery(new URLSearchParams("platform=news&platform=twitter"))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/more than once/),
    });
  });

  test("unknown parameters are listed (a misspelt filter is not silently dropped)", () => {
    const q = new URLSearchParams("campaignId=c&platfrom=news&sentiment=negative&x=1");
    expect(unknownParams(q, ["campaignId", ...MENTION_FILTER_PARAMS])).toEqual(["platfrom", "x"]);
  });
});
