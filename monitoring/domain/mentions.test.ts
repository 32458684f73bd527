import { describe, expect, test } from "vitest";
import { checkBatch, type IncomingMention } from "./mentions";

const NOW = Date.UTC(2026, 10, 3, 12);
const mention = (over: Partial<IncomingMention> = {}): IncomingMention => ({
  id: "m1",
  text: "Rivera speaks in Columbus",
  author: "Maria",
  platform: "twitter",
  url: "https://x.example/1",
  reach: 800,
  engagement: 12,
  timestamp: new Date(NOW - 60_000),
  ...over,
});

describe("checking an ingest batch", () => {
  test("cleans fields: trimmed, platform in lower case, NUL removed, counts rounded, empty optionals as null", () => {
    const r = checkBatch([mention({ id: " m1 ", platform: " Twitter ", text: "hi\u0000 there ", reach: 10.6, location: " ", language: "EN" })], NOW);
    expect(r).toMatchObject({ ok: true, repeated: 0 });
    if (!r.ok) return;
    expect(r.mentions[0]).toMatchObject({ sourceId: "m1", platform: "twitter", text: "hi there", reach: 11, location: null, language: "en" });
  });

  test('under "source", keeps the source\'s sentiment (rounded) and scores the text only when there is none', () => {
    const r = checkBatch([mention({ id: "a", sentiment: 0.12345 }), mention({ id: "b", text: "A corrupt disgrace", sentiment: undefined })], NOW, "source");
    if (!r.ok) throw new Error(r.message);
    const byId = Object.fromEntries(r.mentions.map((m) => [m.sourceId, m]));
    expect(byId.a).toMatchObject({ sentiment: 0.123, sentimentScored: false, language: "en" });
    expect(byId.b.sentimentScored).toBe(true);
    expect(byId.b.sentiment).toBeLessThan(-0.5);
  });

  test('under "combine" (the default), our reading decides the class and the language is detected', () => {
    const r = checkBatch(
      [
        mention({ id: "announce", text: "Rivera and Whitfield will debate infrastructure next week", sentiment: -0.47 }),
        mention({ id: "agree", text: "Rivera's speech was honestly inspiring", sentiment: 0.9 }),
        mention({ id: "es", text: "Rivera no tiene un plan real. Decepcionante", sentiment: 0.3 }),
        mention({ id: "fr", text: "C'est une honte, Rivera a encore menti", sentiment: -0.7 }),
      ],
      NOW,
    );
    if (!r.ok) throw new Error(r.message);
    const byId = Object.fromEntries(r.mentions.map((m) => [m.sourceId, m]));
    expect(byId.announce).toMatchObject({ sentiment: 0, sentimentScored: true, language: "en" });
    expect(byId.agree.sentiment).toBeGreaterThan(0.5);
    expect(byId.es).toMatchObject({ sentimentScored: true, language: "es" });
    expect(byId.es.sentiment).toBeLessThan(-0.05);
    expect(byId.fr).toMatchObject({ sentiment: -0.7, sentimentScored: false, language: "fr" });
  });

  test("a mention repeated within the batch (same platform and id, any case of platform) is kept once", () => {
    const r = checkBatch([mention(), mention({ platform: "TWITTER" }), mention({ platform: "facebook" })], NOW);
    expect(r).toMatchObject({ ok: true, repeated: 1 });
    if (r.ok) expect(r.mentions).toHaveLength(2);
  });

  test("sorts by platform then id, so concurrent batches take their keys in one order", () => {
    const r = checkBatch([mention({ id: "b", platform: "x" }), mention({ id: "c", platform: "a" }), mention({ id: "a", platform: "x" })], NOW);
    if (!r.ok) throw new Error(r.message);
    expect(r.mentions.map((m) => `${m.platform}/${m.sourceId}`)).toEqual(["a/c", "x/a", "x/b"]);
  });

  test.each<[string, Partial<IncomingMention>, string]>([
    ["a blank id", { id: "  " }, "mentions[1].id must not be empty"],
    ["blank text", { text: " \n " }, "mentions[1].text must not be empty"],
    ["a blank platform", { platform: " " }, "mentions[1].platform must not be empty"],
    ["sentiment out of range", { sentiment: 1.5 }, "mentions[1].sentiment must be between -1 and 1"],
    ["a time in the future", { timestamp: new Date(NOW + 10 * 60_000) }, "mentions[1].timestamp is in the future"],
    ["a time before 2000", { timestamp: new Date("1999-12-31T00:00:00Z") }, "mentions[1].timestamp is before 2000"],
    ["an invalid time", { timestamp: new Date("nope") }, "mentions[1].timestamp must be a valid time"],
    ["negative reach", { reach: -1 }, "mentions[1].reach must be a number of at least 0"],
    ["a non-web url", { url: "javascript:alert(1)" }, "mentions[1].url must be an http(s) URL or empty"],
    ["text over 5000 characters", { text: "x".repeat(5001) }, "mentions[1].text must be at most 5000 characters"],
  ])("refuses %s, naming the mention and field", (_, over, message) => {
    expect(checkBatch([mention({ id: "ok" }), mention(over)], NOW)).toEqual({ ok: false, message });
  });

  test("accepts a little clock skew and an empty url", () => {
    expect(checkBatch([mention({ timestamp: new Date(NOW + 60_000), url: "" })], NOW).ok).toBe(true);
  });
});
