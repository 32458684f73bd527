// `npm run bench -- analytics`: a 30-day report for a campaign with 1,000,000 mentions, as JSON and as
// PDF, against the War Room app started as `npm start` starts it. Reports read only the rollups, so
// the mentions are rolled up by analytics' own domain code (analytics/domain/rollup.ts, the code the
// live subscription runs) in chunks and the resulting cells written straight into analytics'
// database; daily_analytics is derived from them as the app derives it. Figures: p50/p99 of
// POST /api/v1/analytics/reports (JSON), and of export + download (format "pdf", then GET the PDF).
// Targets: JSON < 200 ms, PDF < 2 s. The last PDF is kept in /tmp (rendered to PNG when pdftoppm exists).
// Options: --mentions N (default 1000000), --runs N (JSON, default 50), --pdf-runs N (default 20),
// --keep (leave the databases for inspection; their prefix is printed).
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import postgres from "postgres";
import { databaseUrl } from "../host/db/provision.ts";
import { serverUrl } from "../host/testing/fixture-server.ts";
import { audience, call, createCampaign, startBenchApp } from "./lib/app.ts";
import { percentile } from "../host/bench/results.ts";
import { option } from "../host/bench/options.ts";
import {
  compareTop,
  rollUp,
  TOP_PER_DAY,
  type AuthorCell,
  type HourCell,
  type RollupMention,
  type TermCell,
  type TopMentionCell,
} from "../analytics/domain/rollup.ts";

const DAY = 86_400_000;
const PLATFORMS = ["twitter", "facebook", "instagram", "tiktok", "reddit", "news"];
const KEYWORDS = ["rivera", "jobs", "healthcare", "taxes", "schools"];
const COMPETITORS = ["smith", "jones", "lee"];
const WORDS = ["today", "rally", "debate", "plan", "vote", "town", "hall", "economy", "great", "bad", "speech", "ad"];

/** A deterministic pseudo-random stream (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mentions start..start+count of `total`, spread over [from, from + 30 days), with a daily rhythm and a mid-period dip in sentiment. */
function mentions(start: number, count: number, total: number, from: number, rnd: () => number): RollupMention[] {
  const out: RollupMention[] = [];
  const span = 30 * DAY;
  for (let i = start; i < start + count; i++) {
    const at = from + Math.floor(((i + rnd()) / total) * span);
    const dayFraction = (at - from) / span;
    const mood = 0.25 - 0.5 * Math.exp(-(((dayFraction - 0.55) / 0.08) ** 2));
    const sentiment = Math.max(-1, Math.min(1, Math.round((mood + (rnd() - 0.5) * 1.2) * 1000) / 1000));
    const loud = rnd() < 0.02;
    const words = [KEYWORDS[Math.floor(rnd() * KEYWORDS.length)], WORDS[Math.floor(rnd() * WORDS.length)], WORDS[Math.floor(rnd() * WORDS.length)]];
    if (rnd() < 0.3) words.push(COMPETITORS[Math.floor(rnd() * COMPETITORS.length) % COMPETITORS.length]);
    if (rnd() < 0.1) words.push(COMPETITORS[0]);
    out.push({
      mentionId: `0190${(i + 0x10000000).toString(16).padStart(8, "0")}-0000-7000-8000-${i.toString(16).padStart(12, "0")}`.slice(0, 36),
      platform: PLATFORMS[Math.floor(rnd() ** 1.6 * PLATFORMS.length)],
      author: loud ? `@voice${Math.floor(rnd() * 400)}` : `user${Math.floor(rnd() * 200_000)}`,
      text: `${words.join(" ")} #${i}`,
      url: `https://example.org/m/${i}`,
      sentiment,
      reach: loud ? 10_000 + Math.floor(rnd() * 490_000) : Math.floor(rnd() * 3000),
      engagement: Math.floor(rnd() * 60),
      timestamp: new Date(at).toISOString(),
    });
  }
  return out;
}

export default async function runAnalyticsBench(root: string, args: string[]): Promise<number> {
  const total = Math.floor(option(args, "--mentions", 1_000_000, 1));
  const runs = Math.floor(option(args, "--runs", 50, 1));
  const pdfRuns = Math.floor(option(args, "--pdf-runs", 20, 1));
  const app = await startBenchApp(root, { WARROOM_DEMO: "off" });
  const token = app.token;
  const sql = postgres(databaseUrl(serverUrl(), `${app.prefix}analytics`), { max: 4, onnotice: () => {} });
  try {
    const campaignId = await createCampaign(app, "Rivera for Governor", {
      description: "benchmark",
      endDate: "2027-12-31T00:00:00Z",
      budget: 250000,
      targetAudience: audience(18, 99),
    });
    const today = Math.floor(Date.now() / DAY) * DAY;
    const from = today - 30 * DAY;
    const targets = { keywords: KEYWORDS, competitors: COMPETITORS, influencers: [] };

    // Roll the mentions up in chunks, merging the cells (what the live path adds batch by batch).
    const t0 = performance.now();
    const hours = new Map<string, HourCell>();
    const terms = new Map<string, TermCell & { date: string }>();
    const authors = new Map<string, AuthorCell & { date: string }>();
    const tops = new Map<string, TopMentionCell[]>();
    const rnd = random(42);
    const CHUNK = 20_000;
    const addCounts = (
      into: { mentions: number; sentimentMilli: number; reach: number; engagement: number; positive?: number; negative?: number },
      c: typeof into,
    ) => {
      into.mentions += c.mentions;
      into.sentimentMilli += c.sentimentMilli;
      into.reach += c.reach;
      into.engagement += c.engagement;
      if (into.positive !== undefined) into.positive += c.positive!;
      if (into.negative !== undefined) into.negative += c.negative!;
    };
    for (let start = 0; start < total; start += CHUNK) {
      for (const day of rollUp(mentions(start, Math.min(CHUNK, total - start), total, from, rnd), targets)) {
        for (const h of day.hours) {
          const k = `${h.hour}|${h.platform}`;
          const have = hours.get(k);
          if (have) addCounts(have, h);
          else hours.set(k, { ...h });
        }
        for (const t of day.terms) {
          const k = `${day.date}|${t.kind}|${t.term}`;
          const have = terms.get(k);
          if (have) addCounts(have, t);
          else terms.set(k, { ...t, date: day.date });
        }
        for (const a of day.authors) {
          const k = `${day.date}|${a.author}|${a.platform}`;
          const have = authors.get(k);
          if (have) addCounts(have, a);
          else authors.set(k, { ...a, date: day.date });
        }
        tops.set(day.date, [...(tops.get(day.date) ?? []), ...day.top].sort(compareTop).slice(0, TOP_PER_DAY));
      }
    }
    const rolled = performance.now() - t0;

    // Write the cells, then derive daily_analytics from them (as the app does after every change).
    const insert = async (table: string, rows: Record<string, unknown>[]) => {
      for (let i = 0; i < rows.length; i += 5000) await sql`INSERT INTO ${sql(table)} ${sql(rows.slice(i, i + 5000) as never)}`;
    };
    await insert(
      "hourly_rollups",
      [...hours.values()].map((h) => ({
        campaign_id: campaignId,
        hour: h.hour,
        platform: h.platform,
        mentions: h.mentions,
        sentiment_milli: h.sentimentMilli,
        positive: h.positive,
        negative: h.negative,
        reach: h.reach,
        engagement: h.engagement,
      })),
    );
    await insert(
      "term_rollups",
      [...terms.values()].map((t) => ({
        campaign_id: campaignId,
        date: t.date,
        kind: t.kind,
        term: t.term,
        mentions: t.mentions,
        sentiment_milli: t.sentimentMilli,
        positive: t.positive,
        negative: t.negative,
        reach: t.reach,
        engagement: t.engagement,
      })),
    );
    await insert(
      "author_rollups",
      [...authors.values()].map((a) => ({
        campaign_id: campaignId,
        date: a.date,
        author: a.author,
        platform: a.platform,
        mentions: a.mentions,
        sentiment_milli: a.sentimentMilli,
        reach: a.reach,
        engagement: a.engagement,
      })),
    );
    await insert(
      "top_mentions",
      [...tops.entries()].flatMap(([date, list]) =>
        list.map((m) => ({
          campaign_id: campaignId,
          date,
          mention_id: m.mentionId,
          platform: m.platform,
          author: m.author,
          text: m.text,
          url: m.url,
          sentiment_milli: m.sentimentMilli,
          reach: m.reach,
          engagement: m.engagement,
          at: m.at,
        })),
      ),
    );
    await sql`
      INSERT INTO daily_analytics (campaign_id, date, total_mentions, sentiment_milli, positive, negative, total_reach, total_engagement, average_sentiment, engagement_rate, platform_breakdown, top_keywords)
      SELECT campaign_id, (hour AT TIME ZONE 'UTC')::date, sum(mentions), sum(sentiment_milli), sum(positive), sum(negative), sum(reach), sum(engagement),
             round(sum(sentiment_milli)::numeric / sum(mentions) / 1000, 3), round(sum(engagement)::numeric / nullif(sum(reach), 0), 4), '{}'::jsonb, '[]'::jsonb
      FROM hourly_rollups WHERE campaign_id = ${campaignId}::uuid GROUP BY 1, 2`;
    await sql`ANALYZE`;
    const seeded = await sql`SELECT (SELECT sum(total_mentions) FROM daily_analytics)::int AS mentions, (SELECT count(*) FROM hourly_rollups)::int AS hours,
      (SELECT count(*) FROM author_rollups)::int AS authors, (SELECT count(*) FROM term_rollups)::int AS terms`;
    process.stdout.write(
      `seeded: ${seeded[0].mentions.toLocaleString("en-US")} mentions rolled up in ${(rolled / 1000).toFixed(1)} s into ${seeded[0].hours} hour cells, ${seeded[0].terms} term cells, ${seeded[0].authors} author cells\n`,
    );
    if (seeded[0].mentions !== total) throw new Error(`rollups hold ${seeded[0].mentions} mentions, expected ${total}`);

    const range = {
      campaignId,
      startDate: new Date(from).toISOString(),
      endDate: new Date(today).toISOString(),
      includeCompetitors: true,
      includeInfluencers: true,
    };
    const time = async (work: () => Promise<unknown>) => {
      const s = performance.now();
      await work();
      return performance.now() - s;
    };
    // JSON.
    for (let i = 0; i < 5; i++) await call(`${app.url}/api/v1/analytics/reports`, token, range);
    const json: number[] = [];
    let last: any;
    for (let i = 0; i < runs; i++) json.push(await time(async () => (last = await call(`${app.url}/api/v1/analytics/reports`, token, range))));
    if (last.summary.totalMentions !== total) throw new Error(`the report counts ${last.summary.totalMentions} mentions, expected ${total}`);
    // PDF: export, then download.
    const exportMs: number[] = [];
    const pdfMs: number[] = [];
    let pdf = Buffer.alloc(0);
    for (let i = 0; i < pdfRuns + 2; i++) {
      const s = performance.now();
      const exported = await call(`${app.url}/api/v1/analytics/reports`, token, { ...range, format: "pdf" });
      const e = performance.now();
      const res = await fetch(`${app.url}${exported.downloadPath}`, { headers: { authorization: `Bearer ${token}` } });
      pdf = Buffer.from(await res.arrayBuffer());
      if (res.status !== 200 || pdf.subarray(0, 5).toString() !== "%PDF-") throw new Error(`download failed: ${res.status}`);
      if (i >= 2) {
        exportMs.push(e - s);
        pdfMs.push(performance.now() - s);
      }
    }
    const out = "/tmp/analytics-bench.pdf";
    writeFileSync(out, pdf);
    for (const list of [json, exportMs, pdfMs]) list.sort((a, b) => a - b);
    const f = (x: number) => `${x.toFixed(1)} ms`;
    process.stdout.write(
      `30-day report, ${total.toLocaleString("en-US")} mentions (summary: ${last.summary.totalMentions.toLocaleString("en-US")} mentions, growth ${last.summary.growthRate}%, ${last.recommendations.length} recommendations)\n` +
        `  JSON          p50 ${f(percentile(json, 50))}  p99 ${f(percentile(json, 99))}  (${runs} runs; target < 200 ms)\n` +
        `  PDF export    p50 ${f(percentile(exportMs, 50))}  p99 ${f(percentile(exportMs, 99))}  (POST format "pdf": report + render + store)\n` +
        `  PDF + download p50 ${f(percentile(pdfMs, 50))}  p99 ${f(percentile(pdfMs, 99))}  (${pdfRuns} runs; target < 2 s; ${(pdf.length / 1024).toFixed(0)} KiB)\n` +
        `  PDF kept at ${out}\n`,
    );
    const png = spawnSync("pdftoppm", ["-png", "-r", "80", "-f", "2", "-l", "6", out, "/tmp/analytics-bench-page"], { stdio: "ignore" });
    if (png.status === 0) process.stdout.write(`  pages 2-6 rendered to /tmp/analytics-bench-page-{2..6}.png\n`);
    return 0;
  } finally {
    await sql.end();
    const keep = args.includes("--keep");
    await app.close(keep);
    if (keep) process.stdout.write(`  databases kept: ${app.prefix}*\n`);
  }
}
