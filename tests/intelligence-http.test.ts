// intelligence over real HTTP, the app started as `npm start` starts it, with the assistant pointed
// at the fake OpenAI server: a chat round trip (the reply on the wire, the tool definitions at the
// fake), an upload of a PDF encoded in base64 processed in the background and found by search, the
// 5 MiB limit as a clear 400 (not a body-size failure), the rate limit as 429 with its retry hint,
// an unknown analysis type as 400 and a missing token as 401. The uploaded file lives in the
// `intelligence-documents` bucket on the local store under a temporary data directory; a document
// stored the old way (the file in its row) reads the same after the move job, run through the ops port.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, expect, test } from "vitest";
import { databaseUrl } from "../host/db/provision.ts";
import { serverUrl } from "../host/testing/fixture-server.ts";
import { useFixture } from "../host/testing/use-fixture.ts";
import { pdf } from "./documents";
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from "./fakes/openai";
import { appEnv, caller, createCampaign, signInFirstAdmin } from "./http.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const ADMIN = { email: "chief@intelligence.example", password: "chief-password-1" };

let fake: FakeOpenAI;
const dataDir = mkdtempSync(path.join(tmpdir(), "intelligence-http-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const env = appEnv("intelligence-end-to-end-secret-0123456789abcdef", ADMIN, {
  WARROOM_DEMO: "off",
  WARROOM_DATA_DIR: dataDir,
  OPENAI_API_KEY: FAKE_OPENAI_KEY,
  OPENAI_MODEL: "fake-gpt",
  INTELLIGENCE_RATE_BURST: "4",
  INTELLIGENCE_RATE_PER_MINUTE: "1",
});
// Runs before the fixture's own beforeAll: fills `env`, which the fixture reads when it starts.
beforeAll(async () => {
  fake = await startFakeOpenAI();
  env.OPENAI_BASE_URL = fake.baseUrl;
});
const app = useFixture(ROOT, env);
afterAll(() => fake.close());

/** An object of the local store: `<data dir>/objects/<db prefix><bucket>/<sha256 of the key>.bin`. */
const objectFile = (key: string) =>
  path.join(dataDir, "objects", `${app.prefix}intelligence-documents`, `${createHash("sha256").update(key).digest("hex")}.bin`);

const call = caller(app);
let admin = "";
let campaignId = "";

beforeAll(async () => {
  admin = await signInFirstAdmin(app, ADMIN);
  campaignId = await createCampaign(call, admin);
  const at = new Date(Date.now() - 10 * 60_000).toISOString();
  const ingest = await call("POST", "/api/v1/monitoring/ingest", admin, {
    campaignId,
    mentions: [
      { id: "h1", text: "Rivera rally", author: "a", platform: "twitter", url: "", sentiment: 0.5, reach: 10, engagement: 1, timestamp: at },
      { id: "h2", text: "Rivera debate", author: "b", platform: "twitter", url: "", sentiment: 0.1, reach: 10, engagement: 1, timestamp: at },
    ],
  });
  expect(ingest.status).toBe(200);
});

test("chat over HTTP: a tool round trip through the fake model, the figures on the wire", async () => {
  const r = await call("POST", "/api/v1/intelligence/chat/message", admin, { message: "How is our sentiment?", campaignId });
  expect(r.status).toBe(200);
  expect(r.json).toMatchObject({ mode: "model", toolsUsed: ["get_sentiment"], message: { role: "user", content: "How is our sentiment?" } });
  expect(r.json.response).toBe("From the platform's data: average sentiment 0.3 across 2 mentions (0 negative) in the last 24 h.");
  expect(fake.completions[0]!.tools!.map((t) => t.function.name)).toContain("get_sentiment");
  const history = await call("GET", `/api/v1/intelligence/chat/history/${r.json.sessionId}`, admin);
  expect(history.json.messages.map((m: { role: string }) => m.role)).toEqual(["user", "assistant"]);
});

test("a base64 PDF is processed in the background and found by search; above 5 MiB is a clear 400", async () => {
  const bytes = await pdf(["Briefing", "The marina expansion bond goes to voters in May."]);
  const up = await call("POST", "/api/v1/intelligence/documents/upload", admin, { filename: "briefing.pdf", content: bytes.toString("base64"), campaignId });
  expect(up.status).toBe(200);
  expect(up.json).toMatchObject({ processed: false, format: "pdf", status: "pending" });
  await expect
    .poll(async () => (await call("GET", `/api/v1/intelligence/documents/${up.json.id}`, admin)).json.status, { timeout: 15_000, interval: 100 })
    .toBe("processed");
  // The bucket holds the PDF itself (not its base64); the API still carries it as base64.
  expect(readFileSync(objectFile(`${up.json.id}.pdf`)).equals(bytes)).toBe(true);
  expect((await call("GET", `/api/v1/intelligence/documents/${up.json.id}`, admin)).json.content).toBe(bytes.toString("base64"));
  const found = await call("GET", `/api/v1/intelligence/knowledge-base/search?q=${encodeURIComponent("marina bond")}`, admin);
  expect(found.status).toBe(200);
  expect(found.json.results[0]).toMatchObject({ kind: "passage", source: { type: "document", id: up.json.id, title: "briefing.pdf" } });
  expect(found.json.results[0].snippet).toContain("<mark>marina</mark>");

  // Snippets are escaped HTML (only <mark> is markup); the plain text and the highlights' offsets come beside them.
  const xss = await call("POST", "/api/v1/intelligence/documents/upload", admin, {
    filename: "xss.txt",
    content: "The ferry tariff memo <img src=x onerror=alert(1)> lists the ferry tariff.",
    campaignId,
  });
  await expect
    .poll(async () => (await call("GET", `/api/v1/intelligence/documents/${xss.json.id}`, admin)).json.status, { timeout: 15_000, interval: 100 })
    .toBe("processed");
  const escaped = (await call("GET", `/api/v1/intelligence/knowledge-base/search?q=${encodeURIComponent("ferry tariff")}`, admin)).json.results[0];
  expect(escaped.snippet).not.toContain("<img");
  expect(escaped.snippet).toContain("&lt;img src=x onerror=alert(1)&gt;");
  expect(escaped.text).toContain("<img src=x onerror=alert(1)>");
  expect(escaped.highlights.map((h: { start: number; end: number }) => escaped.text.slice(h.start, h.end))).toEqual(["ferry", "tariff", "ferry", "tariff"]);

  const big = await call("POST", "/api/v1/intelligence/documents/upload", admin, {
    filename: "big.pdf",
    content: Buffer.alloc(5 * 1024 * 1024 + 3, 0x25).toString("base64"),
  });
  expect(big.status).toBe(400);
  expect(big.json).toMatchObject({ code: "invalid_argument", message: expect.stringMatching(/document too large/) });
});

test("bad input and missing auth get Encore's errors; the rate limit is 429 with a retry hint", async () => {
  expect((await call("POST", "/api/v1/intelligence/documents/analyze", admin, { documentId: campaignId, analysisType: "poetry" })).status).toBe(400);
  expect((await call("GET", "/api/v1/intelligence/knowledge-base/search?q=", admin)).status).toBe(400);
  expect((await call("GET", "/api/v1/intelligence/reports")).status).toBe(401);
  let last = await call("POST", "/api/v1/intelligence/chat/message", admin, { message: "hello" });
  for (let i = 0; i < 5 && last.status === 200; i++) last = await call("POST", "/api/v1/intelligence/chat/message", admin, { message: "hello" });
  expect(last.status).toBe(429);
  expect(last.json).toMatchObject({ code: "resource_exhausted", details: { retryAfterSeconds: expect.any(Number) } });
});

test("a document stored the old way reads the same after the move job; the bucket then holds its bytes", async () => {
  const sql = postgres(databaseUrl(serverUrl(), `${app.prefix}intelligence`), { max: 1, onnotice: () => {} });
  try {
    const bytes = await pdf(["Old briefing", "Stored in its row."]);
    const [old] = await sql`
      INSERT INTO documents (filename, format, content, size_bytes, uploaded_by, campaign_id)
      VALUES ('old.pdf', 'pdf', ${bytes.toString("base64")}, ${bytes.length}, 'someone', ${campaignId}) RETURNING id::text AS id`;
    const before = await call("GET", `/api/v1/intelligence/documents/${old.id}`, admin);
    expect(before.json.content).toBe(bytes.toString("base64"));
    const run = async () =>
      (
        await fetch(`${app.server.opsUrl}/_dev/api/cron/run`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ job: "intelligence-documents-to-bucket" }),
        })
      ).json();
    expect(await run()).toMatchObject({ ok: true });
    expect(await sql`SELECT content, object_key FROM documents WHERE id = ${old.id}`).toEqual([{ content: null, object_key: `${old.id}.pdf` }]);
    expect(readFileSync(objectFile(`${old.id}.pdf`)).equals(bytes)).toBe(true);
    expect((await call("GET", `/api/v1/intelligence/documents/${old.id}`, admin)).json).toEqual(before.json);
    expect(await run()).toMatchObject({ ok: true });
  } finally {
    await sql.end();
  }
});
