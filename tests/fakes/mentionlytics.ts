// A fake Mentionlytics: GET /api/mentions?token=…&startDate=YYYYMMDD&endDate=YYYYMMDD&page_no=N&per_page=M
// → {"mentions": [...]} newest first, in the documented mention shape (id, pub_date, cmeta, profile
// and screen names, followers_count, campaign = tracker, ...). Tests add mentions with `add`.
import { json, startFake, type FakeServer } from "./provider-faults";
import type { RawMention } from "../../integrations/domain/mentions";

/** The fake Mentionlytics and its data. */
export interface FakeMentionlytics extends FakeServer {
  token: string;
  mentions: RawMention[];
  /** Adds mentions (defaults filled in); returns them. */
  add(...partial: Partial<RawMention>[]): RawMention[];
}

let nextId = 1_000_000;

/** Starts a fake Mentionlytics accepting `token`. */
export async function startFakeMentionlytics(token = "ml-test-token"): Promise<FakeMentionlytics> {
  const mentions: RawMention[] = [];
  const fake = await startFake((req, res) => {
    if (req.method !== "GET" || req.path !== "/api/mentions") return json(res, 404, { error: "Not found" });
    if (req.query.get("token") !== token) return json(res, 401, { error: "Invalid token" });
    const day = (s: string | null, fallback: number) => (s && /^\d{8}$/.test(s) ? Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8)) : fallback);
    const from = day(req.query.get("startDate"), Date.now() - 7 * 86400_000);
    const to = day(req.query.get("endDate"), Date.now()) + 86400_000 - 1;
    const pageNo = Number(req.query.get("page_no") ?? 0);
    const perPage = Math.min(10_000, Number(req.query.get("per_page") ?? 20));
    const inWindow = mentions
      .filter((m) => {
        const t = Date.parse(m.pub_date);
        return t >= from && t <= to;
      })
      .sort((a, b) => Date.parse(b.pub_date) - Date.parse(a.pub_date));
    json(res, 200, { mentions: inWindow.slice(pageNo * perPage, (pageNo + 1) * perPage) });
  });
  return {
    ...fake,
    token,
    mentions,
    add(...partial) {
      const added = partial.map((p) => ({
        id: nextId++,
        pub_date: new Date().toISOString(),
        title: "",
        description: "A mention",
        link: "https://example.org/post",
        source: "twitter",
        sentiment: "neutral",
        lang: "en",
        country: null,
        profile_name: "Someone",
        screen_name: "someone",
        followers_count: 100,
        cmeta: { likes: 1, comments: 0, retweets: 0, views: 10 },
        campaign: "Rivera",
        ...p,
      }));
      mentions.push(...added);
      return added;
    },
  };
}
