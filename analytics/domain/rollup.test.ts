import { describe, expect, test } from "vitest";
import { clip, fromDayFigures, INFLUENCER_REACH, rollUp, TOP_PER_DAY, type RollupMention, type Targets } from "./rollup";

const targets: Targets = { keywords: ["Rivera", "jobs"], competitors: ["Smith"], influencers: ["@Anchor"] };
let n = 0;
function m(over: Partial<RollupMention> = {}): RollupMention {
  n++;
  return {
    mentionId: `00000000-0000-7000-8000-${String(n).padStart(12, "0")}`,
    platform: "twitter",
    author: `user${n}`,
    text: "Rivera on jobs",
    url: "",
    sentiment: 0.2,
    reach: 100,
    engagement: 5,
    timestamp: "2026-11-03T10:15:00.000Z",
    ...over,
  };
}

describe("rollUp", () => {
  test("splits by UTC day and hour, platform, sums sentiment in thousandths and classifies by the neutral band", () => {
    const days = rollUp(
      [
        m({ sentiment: 0.051, timestamp: "2026-11-03T10:59:59.999Z" }),
        m({ sentiment: -0.05, timestamp: "2026-11-03T10:00:00.000Z" }),
        m({ sentiment: -0.6, timestamp: "2026-11-03T11:00:00.000Z", platform: "facebook" }),
        m({ sentiment: 0.333, timestamp: "2026-11-04T00:00:00.000Z" }),
      ],
      targets,
    );
    expect(days.map((d) => d.date)).toEqual(["2026-11-03", "2026-11-04"]);
    const [first] = days;
    expect(first.hours).toEqual([
      { hour: "2026-11-03T10:00:00.000Z", platform: "twitter", mentions: 2, sentimentMilli: 1, positive: 1, negative: 0, reach: 200, engagement: 10 },
      { hour: "2026-11-03T11:00:00.000Z", platform: "facebook", mentions: 1, sentimentMilli: -600, positive: 0, negative: 1, reach: 100, engagement: 5 },
    ]);
  });

  test("counts case-insensitive keyword and competitor matches, and influential authors only", () => {
    const [day] = rollUp(
      [
        m({ text: "RIVERA vs smith" }),
        m({ text: "nothing here", author: "@anchor", reach: 5 }),
        m({ text: "Jobs report", reach: INFLUENCER_REACH, author: "big" }),
        m({ text: "loud but nameless", reach: INFLUENCER_REACH * 2, author: "" }),
      ],
      targets,
    );
    expect(day.terms.map((t) => [t.kind, t.term, t.mentions])).toEqual([
      ["competitor", "smith", 1],
      ["keyword", "jobs", 1],
      ["keyword", "rivera", 1],
    ]);
    expect(day.authors.map((a) => [a.author, a.mentions, a.reach])).toEqual([
      ["@anchor", 1, 5],
      ["big", 1, INFLUENCER_REACH],
    ]);
  });

  test("keeps the day's loudest mentions, ties by id", () => {
    const batch = Array.from({ length: TOP_PER_DAY + 5 }, (_, i) => m({ reach: i % 3 === 0 ? 1000 : i }));
    const [day] = rollUp(batch, targets);
    expect(day.top).toHaveLength(TOP_PER_DAY);
    const expected = [...batch].sort((a, b) => b.reach - a.reach || (a.mentionId < b.mentionId ? -1 : 1)).slice(0, TOP_PER_DAY);
    expect(day.top.map((t) => t.mentionId)).toEqual(expected.map((e) => e.mentionId));
  });

  test("rolling up in parts and adding the parts equals rolling up at once", () => {
    const all = Array.from({ length: 50 }, (_, i) =>
      m({ sentiment: ((i * 37) % 200) / 100 - 1, timestamp: new Date(Date.UTC(2026, 10, 3, i % 30)).toISOString(), platform: i % 2 ? "a" : "b" }),
    );
    const whole = rollUp(all, targets);
    const parts = [rollUp(all.slice(0, 20), targets), rollUp(all.slice(20), targets)];
    const sum = (days: typeof whole) => days.flatMap((d) => d.hours).reduce((s, h) => s + h.mentions * 1e6 + h.sentimentMilli, 0);
    expect(sum(parts[0]) + sum(parts[1])).toBe(sum(whole));
  });

  test("clip counts code points", () => {
    expect(clip("😀".repeat(300), 280)).toBe("😀".repeat(280));
    expect(clip("short")).toBe("short");
  });
});

describe("fromDayFigures", () => {
  test("gives the same cells as rollUp for the same mentions", () => {
    const mentions = [
      m({ text: "Rivera Smith", sentiment: -0.7, reach: 20_000 }),
      m({ text: "jobs jobs", timestamp: "2026-11-03T22:00:00.000Z" }),
      m({ author: "@ANCHOR" }),
    ];
    const [day] = rollUp(mentions, targets);
    const figures = {
      date: day.date,
      hours: day.hours.map((h) => ({ ...h, hour: new Date(h.hour) })),
      terms: day.terms.map(({ kind: _k, ...t }) => t),
      authors: day.authors,
      top: mentions.map((x) => ({ ...x, timestamp: new Date(x.timestamp) })),
    };
    expect(fromDayFigures(figures, targets)).toEqual(day);
  });
});
