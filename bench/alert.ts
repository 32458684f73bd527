// `npm run bench -- alert`: crisis-to-phone latency of the War Room app, started as `npm start`
// starts it, with Twilio (behind integrations) pointed at the fake Twilio: for each run, a fresh
// campaign with one SMS contact gets a crisis-triggering burst of strongly negative mentions through
// POST /api/v1/monitoring/ingest; the figure is the time from the start of that request to the fake
// Twilio receiving the SMS (monitoring's detector → data-stream → alerting's collection → persist →
// alert-queue → integrations' idempotent send). Target: p99 < 2 s.
// Options: --runs N (default 20), --mentions N (burst size, default 400), --load (the same while 4
// analytics PDF reports are generated and a 5 MiB PDF document is processed, continuously: load.ts;
// target p99 < 1 s; --load-reports N and --load-documents N change the mix).
import { startFakeTwilio } from "../tests/fakes/twilio.ts";
import { call, createCampaign, startBenchApp } from "./lib/app.ts";
import { percentile, writeResults } from "../host/bench/results.ts";
import { startLoad, type LoadFigures } from "./lib/load.ts";
import { option } from "../host/bench/options.ts";

/** Whole-number options (counts). */
function intOption(args: string[], name: string, fallback: number, min: number): number {
  return Math.floor(option(args, name, fallback, min));
}

const WORDS = ["scandal", "corruption", "lies", "disgrace", "resign", "terrible", "fraud", "awful"];

function burst(size: number, tag: string) {
  const now = Date.now();
  return Array.from({ length: size }, (_, i) => ({
    id: `bench-${tag}-${i}`,
    text: `Rivera ${WORDS[i % WORDS.length]} ${WORDS[(i + 3) % WORDS.length]}: a terrible, disgraceful scandal #${i}`,
    author: `user${i}`,
    platform: "Twitter",
    url: `https://twitter.com/x/status/${tag}${i}`,
    reach: 500 + i,
    engagement: 20,
    timestamp: new Date(now - 120_000 + Math.floor((i * 120_000) / size)),
  }));
}

export default async function runAlertBench(root: string, args: string[]): Promise<number> {
  const runs = intOption(args, "--runs", 20, 1);
  const size = intOption(args, "--mentions", 400, 1);
  const withLoad = args.includes("--load");
  const twilio = await startFakeTwilio();
  const app = await startBenchApp(root, {
    TWILIO_SID: twilio.accountSid,
    TWILIO_TOKEN: twilio.authToken,
    TWILIO_FROM: "+14155550199",
    TWILIO_BASE_URL: twilio.url,
    SMTP_URL: "",
    SLACK_WEBHOOK_URL: "",
    PUSH_WEBHOOK_URL: "",
  });
  const latencies: number[] = [];
  let misses = 0;
  const accessToken = app.token;
  let loadFigures: LoadFigures | null = null;
  let load: Awaited<ReturnType<typeof startLoad>> | null = null;
  try {
    if (withLoad) load = await startLoad(app, intOption(args, "--load-reports", 4, 0), intOption(args, "--load-documents", 1, 0));
    for (let run = 0; run < runs; run++) {
      const campaignId = await createCampaign(app, `Bench ${run}`);
      const to = `+1415556${String(run).padStart(4, "0")}`;
      await call(`${app.url}/api/v1/campaigns/${campaignId}/contacts`, accessToken, { name: "Duty", channel: "SMS", address: to });
      const mentions = burst(size, `${run}-${Date.now()}`);
      const started = Date.now();
      await call(`${app.url}/api/v1/monitoring/ingest`, accessToken, { campaignId, mentions });
      const deadline = started + 30_000;
      let arrived: number | null = null;
      while (Date.now() < deadline) {
        // The fake runs in this process: receivedAt is this clock's time of arrival.
        const msg = twilio.messages.find((m) => m.to === to);
        if (msg) {
          arrived = msg.receivedAt;
          break;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      if (arrived === null) {
        misses++;
        process.stdout.write(`run ${run + 1}: no SMS within 30 s\n`);
        continue;
      }
      latencies.push(arrived - started);
    }
    if (load) loadFigures = await load.stop();
  } finally {
    await app.close();
    await twilio.close();
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const figures = sorted.length
    ? {
        runs,
        burst: size,
        delivered: sorted.length,
        misses,
        p50Ms: Math.round(percentile(sorted, 50)),
        p99Ms: Math.round(percentile(sorted, 99)),
        minMs: Math.round(sorted[0]!),
        maxMs: Math.round(sorted.at(-1)!),
      }
    : { runs, burst: size, delivered: 0, misses };
  process.stdout.write(`ingest of a ${size}-mention crisis burst → SMS at the fake Twilio${load ? " under load" : ""}: ${JSON.stringify(figures)}\n`);
  if (loadFigures)
    process.stdout.write(
      `meanwhile (PDF reports in flight, ${(loadFigures.documentBytes / 1048576).toFixed(2)} MiB PDFs of ${loadFigures.documentPages} pages processed one after another): ${JSON.stringify(loadFigures)}\n`,
    );
  process.stdout.write(`node ${process.version}, Redis ${process.env.REDIS_URL ? "on" : "off"}\n`);
  writeResults(root, load ? "alert-load" : "alert", { figures, load: loadFigures, latenciesMs: latencies.map(Math.round) });
  return misses > 0 || sorted.length === 0 || percentile(sorted, 99) >= (load ? 1000 : 2000) ? 1 : 0;
}
