import { describe, expect, test } from "vitest";
import { rankTrending, termsOf, type PeriodSample } from "./trending";

const docs = (text: string, n: number, sentiment = 0): PeriodSample["docs"] => Array.from({ length: n }, () => ({ text, sentiment }));
const period = (...parts: PeriodSample["docs"][]): PeriodSample => {
  const all = parts.flat();
  return { docs: all, total: all.length };
};

describe("trending terms", () => {
  test("terms are content words and adjacent pairs, without stopwords, numbers or links", () => {
    expect([...termsOf("The leaked emails of Rivera's team: https://t.co/x 2026 #RiveraEmails")].sort()).toEqual(
      ["#riveraemails", "emails", "leaked", "leaked emails", "rivera", "rivera team", "team"].sort(),
    );
  });

  test("ranks what rose against its own baseline, not what is merely frequent", () => {
    // Baseline: 24 hourly slices of ordinary talk; recent hour: the same plus a scandal.
    const baseline = Array.from({ length: 24 }, () => period(docs("Rivera town hall on jobs", 20), docs("Rivera healthcare plan", 10)));
    const recent = period(docs("Rivera town hall on jobs", 20), docs("Rivera healthcare plan", 10), docs("Rivera leaked emails scandal", 15, -0.8));
    const ranked = rankTrending({ recent, baseline, recentHours: 1, baselineHours: 24, limit: 5 });
    const terms = ranked.map((t) => t.term);
    // The scandal's phrases, each with its 15 mentions; nothing of the usual conversation.
    expect(terms).toContain("leaked emails");
    for (const t of ranked) {
      expect(["rivera leaked", "leaked emails", "emails scandal"]).toContain(t.term);
      expect(t).toMatchObject({ mentions: 15, expected: 0 });
      expect(t.sentiment).toBeCloseTo(-0.8);
    }
    expect(terms).not.toContain("rivera");
    expect(terms).not.toContain("jobs");
    // "leaked" and "emails" alone add nothing to the phrase that carries them.
    expect(terms).not.toContain("leaked");
    expect(terms).not.toContain("emails");
  });

  test("a term needs support: two new mentions are not a trend", () => {
    const ranked = rankTrending({ recent: period(docs("odd remark", 2)), baseline: [], recentHours: 1, baselineHours: 24, limit: 10 });
    expect(ranked).toEqual([]);
  });

  test("sampled windows are scaled to their exact counts", () => {
    const recent: PeriodSample = { docs: docs("debate tonight", 10), total: 1000 };
    const ranked = rankTrending({ recent, baseline: [], recentHours: 1, baselineHours: 24, limit: 1 });
    expect(ranked[0]).toMatchObject({ term: "debate tonight", mentions: 1000, expected: 0 });
  });
});
