// Background load for `npm run bench -- alert --load`: the heavy work the crisis path must not wait
// behind, kept going for as long as the measurement runs: 4 analytics PDF reports in flight at all
// times (each one done is replaced at once), and one 5 MiB PDF document uploaded and processed
// (text extraction, passages, summary) after another.
import PDFDocument from "pdfkit";
import { summary } from "../../host/bench/results.ts";
import { call, createCampaign, type BenchApp } from "./app.ts";

const MIB = 1024 * 1024;
const SENTENCES = [
  "The county board approved the marina expansion bond after a long public hearing on Tuesday night.",
  "Rivera's campaign released a detailed plan for school funding, transit and small business grants.",
  "Opponents argued that the cost estimates were optimistic and that the timeline could slip by a year.",
  "Volunteers knocked on eleven thousand doors across the northern precincts over the weekend.",
];

/** A PDF of `paragraphs` paragraphs of prose, streams uncompressed (so its text is as large as its bytes allow). */
function prosePdf(paragraphs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ compress: false });
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    for (let i = 0; i < paragraphs; i++) {
      if (i % 40 === 0)
        doc
          .fontSize(14)
          .text(`Section ${i / 40 + 1}`)
          .fontSize(10);
      doc.text(`${i}. ${SENTENCES[i % 4]} ${SENTENCES[(i + 1) % 4]}`);
    }
    doc.end();
  });
}

/** A PDF just under `bytes` (scaled from a sample, then trimmed until it fits). */
export async function pdfOfSize(bytes: number): Promise<Buffer> {
  const sample = await prosePdf(500);
  let n = Math.floor((500 * bytes) / sample.length);
  for (;;) {
    const b = await prosePdf(n);
    if (b.length <= bytes) return b;
    n = Math.floor(n * 0.98);
  }
}

export interface LoadFigures {
  pdfReports: Record<string, number> | null;
  documents: Record<string, number> | null;
  documentBytes: number;
  documentPages: number;
  documentStatus: string[];
  errors: string[];
}

export interface Load {
  /** Stops starting new work, waits for what is in flight, returns the figures. */
  stop(): Promise<LoadFigures>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the load on `app`: returns once the document is built and every loop has started. */
export async function startLoad(app: BenchApp, reports = 4, documents = 1): Promise<Load> {
  const campaignId = await createCampaign(app, "Load");
  const now = Date.now();
  // Some mentions so that the reports have charts and tables to draw.
  const mentions = Array.from({ length: 500 }, (_, i) => ({
    id: `load-${i}`,
    text: `Rivera ${SENTENCES[i % 4]}`,
    author: `voter${i % 97}`,
    platform: ["twitter", "facebook", "news"][i % 3],
    url: `https://example.org/l/${i}`,
    sentiment: ((i % 7) - 3) / 10,
    reach: 100 + i,
    engagement: i % 30,
    timestamp: new Date(now - (i % 29) * 86_400_000 - 3_600_000),
  }));
  await call(`${app.url}/api/v1/monitoring/ingest`, app.token, { campaignId, mentions });
  const pdf = await pdfOfSize(5 * MIB);
  const content = pdf.toString("base64");
  const pages = (pdf.toString("latin1").match(/\/Type \/Page\b/g) ?? []).length;
  let stopped = false;
  const reportMs: number[] = [];
  const documentMs: number[] = [];
  const statuses: string[] = [];
  const range = { campaignId, startDate: new Date(now - 30 * 86_400_000).toISOString(), endDate: new Date(now).toISOString(), format: "pdf" };
  const errors: string[] = [];
  // A failed request is counted and the loop goes on (the load must not stop the measurement).
  const guarded = (step: () => Promise<void>) => async () => {
    while (!stopped) {
      await step().catch(async (err: Error) => {
        errors.push(err.message.slice(0, 200));
        await sleep(200);
      });
    }
  };
  const reportLoop = guarded(async () => {
    const t0 = performance.now();
    await call(`${app.url}/api/v1/analytics/reports`, app.token, range);
    reportMs.push(performance.now() - t0);
  });
  const documentLoop = guarded(async () => {
    const t0 = performance.now();
    const up = await call(`${app.url}/api/v1/intelligence/documents/upload`, app.token, { filename: "briefing-book.pdf", content, campaignId });
    let status = "pending";
    while (status === "pending") {
      await sleep(100);
      status = (await call(`${app.url}/api/v1/intelligence/documents/${up.id}`, app.token)).status;
    }
    documentMs.push(performance.now() - t0);
    statuses.push(status);
  });
  const loops = [...Array.from({ length: reports }, () => reportLoop()), ...Array.from({ length: documents }, () => documentLoop())];
  // Let every loop get its first request in before the measurement starts.
  await sleep(500);
  return {
    async stop() {
      stopped = true;
      await Promise.all(loops);
      return {
        pdfReports: reportMs.length ? summary(reportMs) : null,
        documents: documentMs.length ? summary(documentMs) : null,
        documentBytes: pdf.length,
        documentPages: pages,
        documentStatus: [...new Set(statuses)],
        errors,
      };
    },
  };
}
