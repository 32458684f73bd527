// `npm run bench -- intelligence`: the War Room app as `npm start` starts it, with the assistant
// pointed at the fake OpenAI server (tests/fakes/openai.ts). Two figures:
// - knowledge-base search latency (GET /api/v1/intelligence/knowledge-base/search) over 10,000
//   passages indexed through the real pipeline (10 Markdown uploads of 1,000 paragraphs → Pub/Sub →
//   extraction, splitting, tsvector + GIN), p50/p99 over a mix of common, rare, multi-word and
//   phrase queries, sequential;
// - chat latency (POST /api/v1/intelligence/chat/message) with the fake model: one tool round trip
//   (two model calls and a sentiment read from monitoring) per question, p50/p99.
// Options: --passages N (default 10000), --searches N (default 300), --chats N (default 100).
import { FAKE_OPENAI_KEY, startFakeOpenAI } from "../tests/fakes/openai.ts";
import { call, createCampaign, startBenchApp } from "./lib/app.ts";
import { summary, writeResults } from "../host/bench/results.ts";
import { option } from "../host/bench/options.ts";

// A deterministic vocabulary: common campaign words (in many passages) and rarer ones (in few).
const COMMON =
  "campaign voters county budget transit schools taxes jobs health housing police plan council election senate mayor debate rally poll economy".split(" ");
const RARE = Array.from({ length: 2000 }, (_, i) => `term${i.toString(36)}`);
const FILLER = "the a of to and in on for with that this is was by from as at be it an are".split(" ");

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

function paragraph(r: () => number): string {
  const words: string[] = [];
  for (let i = 0; i < 80; i++) {
    const x = r();
    words.push(
      x < 0.15
        ? COMMON[Math.floor(r() * COMMON.length)]!
        : x < 0.2
          ? RARE[Math.floor(r() * RARE.length)]!
          : x < 0.7
            ? FILLER[Math.floor(r() * FILLER.length)]!
            : `word${Math.floor(r() * 5000)}`,
    );
  }
  return `${words.join(" ")}.`;
}

const QUERIES = [
  "transit",
  "budget taxes",
  '"county council"',
  "housing -police",
  "term1a",
  "term2b OR term3c",
  "schools health jobs",
  "election debate",
  "mayor",
  "word42 word43",
];

export default async function runIntelligenceBench(root: string, args: string[]): Promise<number> {
  const passages = Math.floor(option(args, "--passages", 10_000, 100));
  const searches = Math.floor(option(args, "--searches", 300, 1));
  const chats = Math.floor(option(args, "--chats", 100, 1));
  const model = await startFakeOpenAI();
  const app = await startBenchApp(root, {
    WARROOM_DEMO: "off",
    OPENAI_API_KEY: FAKE_OPENAI_KEY,
    OPENAI_BASE_URL: model.baseUrl,
    INTELLIGENCE_RATE_BURST: "100000",
    INTELLIGENCE_RATE_PER_MINUTE: "100000",
  });
  let figures: Record<string, unknown> = {};
  const token = app.token;
  try {
    const campaignId = await createCampaign(app, "Bench intelligence");
    const now = Date.now();
    await call(`${app.url}/api/v1/monitoring/ingest`, token, {
      campaignId,
      mentions: Array.from({ length: 50 }, (_, i) => ({
        id: `b${i}`,
        text: `Rivera mention ${i}`,
        author: `a${i}`,
        platform: "twitter",
        url: "",
        sentiment: ((i % 5) - 2) / 4,
        reach: 100 + i,
        engagement: 1,
        timestamp: new Date(now - i * 60_000).toISOString(),
      })),
    });

    // Index: documents of 1,000 paragraphs (one passage each) through the real upload pipeline.
    const r = rng(42);
    const perDoc = 1000;
    const docIds: string[] = [];
    const indexStarted = Date.now();
    for (let d = 0; d * perDoc < passages; d++) {
      const count = Math.min(perDoc, passages - d * perDoc);
      const text = Array.from({ length: count }, () => paragraph(r)).join("\n\n");
      docIds.push((await call(`${app.url}/api/v1/intelligence/documents/upload`, token, { filename: `corpus-${d}.md`, content: text, campaignId })).id);
    }
    let indexed = 0;
    for (const id of docIds) {
      for (const deadline = Date.now() + 300_000; ; await new Promise((res) => setTimeout(res, 100))) {
        const doc = await call(`${app.url}/api/v1/intelligence/documents/${id}`, token);
        if (doc.status === "failed") throw new Error(`document ${id} failed: ${doc.error}`);
        if (doc.processed) {
          indexed += doc.passages;
          break;
        }
        if (Date.now() > deadline) throw new Error(`document ${id} not processed in 5 min`);
      }
    }
    const indexSeconds = (Date.now() - indexStarted) / 1000;

    // Search: warm up, then sequential queries.
    for (const q of QUERIES) await call(`${app.url}/api/v1/intelligence/knowledge-base/search?q=${encodeURIComponent(q)}`, token);
    const searchMs: number[] = [];
    let hits = 0;
    for (let i = 0; i < searches; i++) {
      const q = QUERIES[i % QUERIES.length]!;
      const t = performance.now();
      const res = await call(`${app.url}/api/v1/intelligence/knowledge-base/search?q=${encodeURIComponent(q)}&limit=10`, token);
      searchMs.push(performance.now() - t);
      hits += res.results.length;
    }

    // Chat: a sentiment question → tool call → monitoring read → answer, against the fake model.
    const chatMs: number[] = [];
    let sessionId: string | undefined;
    for (let i = 0; i < chats; i++) {
      const t = performance.now();
      // A fresh session every 10 questions keeps the history (and prompt) realistic.
      const res = await call(`${app.url}/api/v1/intelligence/chat/message`, token, {
        message: "What is our sentiment right now?",
        campaignId,
        ...(i % 10 && sessionId ? { sessionId } : {}),
      });
      chatMs.push(performance.now() - t);
      sessionId = res.sessionId;
      if (res.mode !== "model") throw new Error(`chat ${i} answered ${res.mode}`);
    }
    figures = {
      passagesIndexed: indexed,
      indexSeconds: +indexSeconds.toFixed(1),
      search: { ...summary(searchMs), meanResults: +(hits / searches).toFixed(1) },
      chat: { ...summary(chatMs), modelCallsPerQuestion: model.completions.length / chats },
    };
  } finally {
    await app.close();
    await model.close();
  }
  process.stdout.write(`intelligence: ${JSON.stringify(figures)}\n`);
  process.stdout.write(`node ${process.version}, Redis ${process.env.REDIS_URL ? "on" : "off"}\n`);
  writeResults(root, "intelligence", figures);
  return 0;
}
