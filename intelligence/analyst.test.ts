// The offline analyst on a campaign with a live crisis and a competitor (no OPENAI_API_KEY): realistic
// questions, each answered from the app's own analyses (the open incident's explanation, the
// competitor view, platforms, hostile voices grouped by author, the knowledge base, the threat
// assessment), with the figures and sources it used. Then the knowledge base: natural questions,
// one copy of the same text, escaped snippets.
import "../tests/fakes/auth-secrets";
import { beforeAll, describe, expect, test, vi } from "vitest";
import { as, campaignRequest, type Profile } from "../tests/inproc";

delete process.env.OPENAI_API_KEY;
Object.assign(process.env, { INTELLIGENCE_RATE_BURST: "200", INTELLIGENCE_RATE_PER_MINUTE: "200" });
const { auth, campaigns, intelligence, monitoring, users } = await import("~encore/clients");
await import("../intelligence/subscriptions");
await import("../monitoring/subscriptions");

type Mention = Parameters<typeof monitoring.ingestMentions>[0]["mentions"][number];

let admin: Profile;
let manager: Profile;
let analyst: Profile;
let campaignId: string;
let crisisTitle: string;
let releaseId: string;
let n = 0;

function mention(over: Partial<Mention>): Mention {
  const i = ++n;
  return {
    id: `a-${i}`,
    text: `Whitfield visits Erie ${i}`,
    author: `voter${i}`,
    platform: "twitter",
    url: "",
    sentiment: 0.2,
    reach: 500,
    engagement: 3,
    timestamp: new Date(Date.now() - 30 * 3_600_000),
    ...over,
  };
}

async function processed(id: string): Promise<void> {
  await vi.waitFor(async () => expect((await intelligence.getDocument({ id }, as(analyst))).status).toBe("processed"), { timeout: 15_000, interval: 50 });
}

async function ask(message: string) {
  const res = await intelligence.sendChatMessage({ message, campaignId }, as(analyst));
  expect(res.mode).toBe("offline");
  // Every answer lists the figures and the sources it used.
  expect(res.response).toMatch(/\nFigures used: .+\.\nSources: .+\.$/);
  return res;
}

beforeAll(async () => {
  admin = (await auth.register({ email: "analyst-admin@example.org", password: "password-for-tests", name: "Admin" })).user;
  manager = (await users.createUser({ email: "analyst-manager@example.org", password: "password-for-tests", name: "Manager", role: "manager" }, as(admin)))
    .user;
  analyst = (await users.createUser({ email: "analyst-analyst@example.org", password: "password-for-tests", name: "Analyst", role: "analyst" }, as(admin)))
    .user;
  const c = await campaigns.createCampaign(campaignRequest({ name: "Dana Whitfield for Senate", budget: 90000 }), as(manager));
  campaignId = c.id;
  await campaigns.addCampaignMember({ id: campaignId, userId: analyst.id }, as(manager));
  await monitoring.createMonitoringConfig(
    {
      campaignId,
      keywords: ["Whitfield"],
      competitors: ["Mark Kessler"],
      influencers: ["@PGHWatchdog"],
      platforms: ["twitter", "facebook", "news"],
      alertThresholds: { sentimentDrop: -0.3, mentionSpike: 5, crisisScore: 0.8, engagementDrop: -0.5 },
      refreshInterval: 300,
    },
    as(manager),
  );
  // Three days of the competitor (favourable) and of us (mildly positive), before the crisis.
  const calm: Mention[] = [];
  for (let i = 0; i < 12; i++)
    calm.push(
      mention({
        text: `Mark Kessler rally in Scranton draws a big crowd ${i}`,
        sentiment: 0.5,
        reach: 2000,
        timestamp: new Date(Date.now() - (10 + i * 4) * 3_600_000),
      }),
    );
  for (let i = 0; i < 8; i++)
    calm.push(mention({ text: `Whitfield town hall on transit ${i}`, sentiment: 0.3, reach: 800, timestamp: new Date(Date.now() - (12 + i * 5) * 3_600_000) }));
  await monitoring.ingestMentions({ campaignId, mentions: calm }, as(manager));
  // The crisis: a burst of hostile posts about leaked audio; one watchdog posts on news and twitter under two spellings.
  const now = Date.now();
  const burst = Array.from({ length: 400 }, (_, i) =>
    mention({
      id: `burst-${i}`,
      text: `Leaked audio: Whitfield mocks pensioners ${i % 7}`,
      author: `angry${i % 40}`,
      platform: ["twitter", "facebook", "news"][i % 3],
      sentiment: -0.7,
      reach: 300 + (i % 5) * 100,
      timestamp: new Date(now - 120_000 + i * 250),
    }),
  );
  for (let i = 0; i < 4; i++) {
    burst.push(
      mention({
        id: `watch-${i}`,
        text: `Leaked audio shows Whitfield mocking pensioners, a disgrace ${i}`,
        author: i % 2 ? "@pghwatchdog" : "PGHWatchdog",
        platform: i % 2 ? "twitter" : "news",
        sentiment: -0.9,
        reach: 250_000,
        timestamp: new Date(now - 60_000 + i * 1000),
      }),
    );
  }
  await monitoring.ingestMentions({ campaignId, mentions: burst }, as(manager));
  await vi.waitFor(
    async () => expect((await monitoring.getCrises({ campaignId }, as(manager))).crises.filter((x) => x.status !== "resolved").length).toBeGreaterThan(0),
    { timeout: 20_000, interval: 100 },
  );
  crisisTitle = (await monitoring.getCrises({ campaignId }, as(manager))).crises[0]!.title;

  const release = await intelligence.uploadDocument(
    {
      filename: "press-release.md",
      campaignId,
      content:
        "# Statement on the leaked audio\n\nThe leaked audio was edited to remove context. Dana Whitfield has stood with pensioners for twenty years and voted to protect the state pension fund.",
    },
    as(analyst),
  );
  releaseId = release.id;
  const debate = await intelligence.uploadDocument(
    {
      filename: "debate-transcript.txt",
      campaignId,
      content: "KESSLER: I will protect Social Security and I will never cut benefits for seniors.\n\nMODERATOR: Thank you. Next question on transit funding.",
    },
    as(analyst),
  );
  await Promise.all([processed(releaseId), processed(debate.id)]);
}, 60_000);

describe("the offline analyst answers the question from the app's analyses", () => {
  test("why sentiment drops: the open incident, its terms, platforms and top posts", async () => {
    for (const q of ["Why is sentiment dropping today?", "What's driving all this negativity?"]) {
      const res = await ask(q);
      expect(res.toolsUsed).toEqual(["explain_sentiment"]);
      expect(res.response).toContain(`Open incident: "${crisisTitle}" (`);
      expect(res.response).toMatch(/Driving terms: "[^"]+" \(\d+% of its mentions\)/);
      expect(res.response).toMatch(/Platforms: (twitter|facebook|news) \d+%/);
      expect(res.response).toMatch(/- top post: .+ on (twitter|facebook|news) \(reach \d+, sentiment -0\.\d+\): "Leaked audio/);
      expect(res.figures).toContainEqual({ label: "open incidents", value: 1, source: "monitoring crises, alerting" });
    }
  });

  test("comparison with the named competitor over the period: his share of voice and sentiment, as the competitor view computes them", async () => {
    const res = await ask("Compare us to Mark Kessler this week");
    expect(res.toolsUsed).toEqual(["compare_competitor"]);
    const { data } = await intelligence.getCompetitorData({ competitor: "Mark Kessler", campaignId, days: 7 }, as(analyst));
    expect(data.competitorMentions).toBe(12);
    expect(res.response).toContain(
      `Against Mark Kessler over the last 7 day(s): Mark Kessler has ${Math.round(data.shareOfVoice * 100)}% share of voice (12 mentions against our ${data.campaignMentions})`,
    );
    expect(res.response).toContain(
      `average sentiment Mark Kessler ${data.competitorSentiment}, us ${data.campaignSentiment}: Mark Kessler is viewed more favourably`,
    );
    expect(res.figures).toContainEqual({
      label: "Mark Kessler share of voice (last 7 d)",
      value: data.shareOfVoice,
      unit: "share",
      source: "intelligence competitor view (monitoring mentions)",
    });

    const short = await ask("How do we stack up against Kessler over the last 3 days?");
    expect(short.response).toContain("Against Mark Kessler over the last 3 day(s)");
  });

  test("the platform that hurts most", async () => {
    const res = await ask("Which platform is hurting us most?");
    expect(res.toolsUsed).toEqual(["get_platform_breakdown"]);
    // The watchdog's 250,000-reach news and twitter posts outweigh the rest of the burst.
    expect(res.response).toMatch(/\n(news|twitter) hurts most over the last 24 h: \d+ of its \d+ mentions are negative/);
    expect(res.figures.some((f) => /^news negative reach/.test(f.label))).toBe(true);
  });

  test("the top hostile voices, grouped by author", async () => {
    for (const q of ["Who are our loudest critics?", "Who is attacking us?"]) {
      const res = await ask(q);
      expect(res.toolsUsed).toEqual(["get_hostile_voices"]);
      const lines = res.response.split("\n");
      expect(lines[1]).toBe("The top hostile voices of the last 24 h, grouped by author:");
      // "PGHWatchdog" and "@pghwatchdog": one voice, four posts on two platforms.
      expect(lines[2]).toMatch(
        /^- (PGHWatchdog|@pghwatchdog) \((news, twitter|twitter, news)\): 4 negative mention\(s\), audience 250000, average sentiment -0\.9/,
      );
      expect(lines.filter((l) => /^- angry\d+ /.test(l)).length).toBe(4);
      expect(res.figures).toContainEqual({ label: `negative mentions by ${lines[2]!.slice(2).split(" ")[0]} (last 24 h)`, value: 4, source: "monitoring" });
    }
  });

  test("a drafted holding statement, marked as a draft, quoting the knowledge base", async () => {
    const res = await ask("Draft a response to the top negative story");
    expect(res.toolsUsed).toEqual(["draft_holding_statement"]);
    expect(res.response).toContain("DRAFT HOLDING STATEMENT (for review; not approved for release):");
    expect(res.response).toContain('"Dana Whitfield for Senate is aware of the claims circulating on ');
    expect(res.response).toContain('As our record shows: "The leaked audio was edited to remove context.');
    expect(res.response).toContain("Facts quoted from the knowledge base: document press-release.md, passage 1");
    expect(res.response).toContain(`Based on the open incident "${crisisTitle}"`);

    const topical = await ask("Write a holding statement about the leaked audio");
    expect(topical.response).toContain("about leaked audio. We take them seriously");
    expect(topical.response).toContain("The leaked audio was edited to remove context.");
  });

  test("what to do next: the threat assessment's actions", async () => {
    const res = await ask("What should we do next?");
    expect(res.toolsUsed).toEqual(["get_recommended_actions"]);
    expect(res.response).toMatch(/Threat level (high|critical) \(0\.\d+\) over the last 24 h, driven by crisis state \(open crisis: /);
    expect(res.response).toContain("1. Convene the crisis team and agree one holding statement for the open crisis.");
    expect(res.response).toContain("Reach out directly to the influencers involved");
  });

  test("the knowledge base answers natural questions", async () => {
    const release = await ask("What does our press release say about the leaked audio?");
    expect(release.toolsUsed).toEqual(["search_knowledge_base"]);
    expect(release.response).toContain("press-release.md (document press-release.md, passage 1): ");
    expect(release.response).toContain("The leaked audio was edited to remove context.");
    const kessler = await ask("What did Kessler say about Social Security?");
    expect(kessler.response).toContain("debate-transcript.txt (document debate-transcript.txt, passage 1): KESSLER: I will protect Social Security");
  });
});

describe("the knowledge base", () => {
  test("a natural question finds the passage (OR-ranked, stemmed), the full match first", async () => {
    const { results } = await intelligence.searchKnowledgeBase({ q: "what did Kessler say about Social Security" }, as(analyst));
    expect(results[0]!.source.title).toBe("debate-transcript.txt");
    const { results: stemmed } = await intelligence.searchKnowledgeBase({ q: "protecting pensions" }, as(analyst));
    expect(stemmed.map((r) => r.source.title)).toContain("press-release.md");
    // An explicit web-style query keeps its meaning: every word required.
    expect((await intelligence.searchKnowledgeBase({ q: '"Social Security" -Kessler' }, as(analyst))).results).toEqual([]);
  });

  test("a document and its analysis report are not two copies of the same text", async () => {
    await intelligence.analyzeDocument({ documentId: releaseId, analysisType: "summary" }, as(analyst));
    const { results } = await intelligence.searchKnowledgeBase({ q: "leaked audio edited context" }, as(analyst));
    const texts = results.map((r) => r.text);
    expect(results.filter((r) => r.source.title === "press-release.md" || r.source.title.includes("press-release.md"))).toHaveLength(1);
    expect(new Set(texts).size).toBe(texts.length);
  });

  test("snippets are HTML-escaped, highlights are offsets into the plain text", async () => {
    const doc = await intelligence.uploadDocument(
      { filename: "xss.md", campaignId, content: 'Harbour levy notes <img src=x onerror=alert(1)> and "quotes" & the harbour levy again.' },
      as(analyst),
    );
    await processed(doc.id);
    const { results } = await intelligence.searchKnowledgeBase({ q: "harbour levy" }, as(analyst));
    const hit = results.find((r) => r.source.id === doc.id)!;
    expect(hit.snippet).not.toContain("<img");
    expect(hit.snippet).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(hit.snippet).toContain("&quot;quotes&quot; &amp;");
    expect(hit.snippet.replace(/<\/?mark>/g, "")).not.toMatch(/[<>]/);
    expect(hit.text).toContain("<img src=x onerror=alert(1)>");
    expect(hit.highlights.length).toBeGreaterThanOrEqual(2);
    for (const h of hit.highlights) expect(hit.text.slice(h.start, h.end).toLowerCase()).toMatch(/^(harbour|levy)$/);
  });
});
