// Pub/Sub, cron and streams through the real SDK on our runtime: the fixture app
// (host/testdata/app) started as `npm start` starts an app.
import { describe, expect, test } from "vitest";
import { useFixture } from "../testing/use-fixture.ts";
import path from "node:path";
import { spawn } from "node:child_process";
import WebSocket from "ws";
import { serverUrl, startFixture } from "../testing/fixture-server.ts";

const APP = path.resolve(import.meta.dirname, "../testdata/app");
const BIN = path.resolve(import.meta.dirname, "../bin.mjs");
const fixture = useFixture(APP);
const prefix = fixture.prefix;

interface Delivery {
  subscription: string;
  messageId: string;
  attempt: number;
  atIsDate: boolean;
  hadAuth: boolean;
  receivedAt: string;
}

async function greet(name: string, failTimes = 0): Promise<string> {
  const res = await fetch(`${fixture.server.url}/events/greet`, { method: "POST", body: JSON.stringify({ name, failTimes }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { messageId: string }).messageId;
}

async function deliveries(name: string): Promise<Delivery[]> {
  const res = await fetch(`${fixture.server.url}/store/received?name=${encodeURIComponent(name)}`);
  return ((await res.json()) as { deliveries: Delivery[] }).deliveries;
}

function runCli(args: string[]): Promise<{ code: number | null; out: string }> {
  const proc = spawn(process.execPath, [BIN, ...args, "--root", APP], {
    env: { ...process.env, DATABASE_URL: serverUrl(), WARROOM_DB_PREFIX: prefix, NODE_ENV: "", ENCORE_RUNTIME_LIB: "" },
  });
  let out = "";
  proc.stdout.on("data", (b) => (out += b));
  proc.stderr.on("data", (b) => (out += b));
  return new Promise((r) => proc.once("exit", (code) => r({ code, out })));
}

describe("Pub/Sub through the SDK", () => {
  test("a published message reaches both subscriptions once each, decoded by the topic's schema, without auth data", async () => {
    const id = await greet("ann");
    await expect.poll(async () => (await deliveries("ann")).length, { timeout: 10_000 }).toBe(2);
    // A later message fully delivered means the first had every chance to be delivered twice.
    await greet("ann-sentinel");
    await expect.poll(async () => (await deliveries("ann-sentinel")).length, { timeout: 10_000 }).toBe(2);
    const got = await deliveries("ann");
    expect(got.map((d) => d.subscription).sort()).toEqual(["audit-greetings", "record-greetings"]);
    for (const d of got) expect(d).toMatchObject({ messageId: id, attempt: 1, atIsDate: true, hadAuth: false });
  });

  test("a handler failing twice is delivered three times, with growing delays from the retry policy", async () => {
    await greet("bob", 2);
    await expect.poll(async () => (await deliveries("bob")).filter((d) => d.subscription === "record-greetings").length, { timeout: 10_000 }).toBe(3);
    const tries = (await deliveries("bob")).filter((d) => d.subscription === "record-greetings");
    expect(tries.map((d) => d.attempt)).toEqual([1, 2, 3]);
    const t = tries.map((d) => Date.parse(d.receivedAt));
    const gap1 = t[1] - t[0];
    const gap2 = t[2] - t[1];
    expect(gap1).toBeGreaterThanOrEqual(90); // minBackoff 100ms
    expect(gap2).toBeGreaterThan(gap1);
  });

  test("a message past maxRetries becomes a dead letter: listed, and delivered again when redriven", async () => {
    const id = await greet("dora", 99);
    // maxRetries 3: attempts 1..4, then dead.
    await expect.poll(async () => (await deliveries("dora")).filter((d) => d.subscription === "record-greetings").length, { timeout: 15_000 }).toBe(4);
    await expect.poll(async () => (await runCli(["dead-letters", "--subscription", "record-greetings"])).out, { timeout: 10_000 }).toContain(`"id":"${id}"`);
    const listed = (await runCli(["dead-letters", "--subscription", "record-greetings"])).out
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const dead = listed.find((d: { id: string }) => d.id === id);
    expect(dead.lastError).toContain("failing attempt 4");
    expect(dead.body).toMatchObject({ name: "dora", failTimes: 99 });
    const redriven = await runCli(["dead-letters", "--redrive", id, "--subscription", "record-greetings"]);
    expect(redriven.code).toBe(0);
    await expect
      .poll(async () => (await deliveries("dora")).filter((d) => d.subscription === "record-greetings").length, { timeout: 10_000 })
      .toBeGreaterThan(4);
  });
});

describe("cron through the runtime", () => {
  test("a job runs on its tick, once per tick even with two processes sharing the database", async () => {
    // `every: "1m"`: the tick at the top of the current minute is within the start-up grace, so it runs now.
    await expect
      .poll(async () => ((await (await fetch(`${fixture.server.url}/store/ticks`)).json()) as { ranAt: string[] }).ranAt.length, { timeout: 15_000 })
      .toBeGreaterThan(0);
    const second = await startFixture(APP, prefix, { WARROOM_LOG_LEVEL: "debug" });
    try {
      // The second process claims the tick current at its start (within the start-up grace): wait
      // until it has either run it or found it taken by the first, then look for duplicates.
      const settled = /"message":"cron: (run finished|tick taken by another process)","job":"fixture-tick"/;
      await expect.poll(() => second.logs(), { message: "the second process's claim of its first tick", timeout: 15_000 }).toMatch(settled);
      const { ranAt } = (await (await fetch(`${fixture.server.url}/store/ticks`)).json()) as { ranAt: string[] };
      const minutes = ranAt.map((t) => Math.floor(Date.parse(t) / 60_000));
      expect(new Set(minutes).size).toBe(minutes.length); // never two runs in one tick
    } finally {
      await second.stop();
    }
  });
});

function connect(p: string, opts: { headers?: Record<string, string>; protocols?: string[] } = {}): WebSocket {
  return new WebSocket(fixture.server.url.replace("http", "ws") + p, opts.protocols ?? ["encore-ws"], { headers: opts.headers });
}

function collect(ws: WebSocket): Promise<{ messages: any[]; code: number }> {
  const messages: any[] = [];
  ws.on("message", (d) => messages.push(JSON.parse(String(d))));
  return new Promise((resolve, reject) => {
    ws.once("close", (code) => resolve({ messages, code }));
    ws.once("unexpected-response", (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
  });
}

describe("streams through the SDK", () => {
  test("streamOut sends typed messages to an authenticated client, then closes normally", async () => {
    const { messages, code } = await collect(connect("/echo/count/3", { headers: { authorization: "Bearer good-kim-viewer" } }));
    expect(messages).toEqual([1, 2, 3].map((n) => ({ n, user: "kim", at: "2024-05-01T00:00:00.000Z" })));
    expect(code).toBe(1000);
  });

  test("the upgrade is refused with 401 without credentials, and 400 for a bad handshake", async () => {
    await expect(collect(connect("/echo/count/3"))).rejects.toMatchObject({ status: 401 });
    await expect(collect(connect("/echo/count/lots", { headers: { authorization: "Bearer good-kim-viewer" } }))).rejects.toMatchObject({ status: 400 });
  });

  test("browsers pass headers in the encore.dev.headers subprotocol", async () => {
    const packed = `encore.dev.headers.${Buffer.from(JSON.stringify({ authorization: "Bearer good-lee-admin" })).toString("base64url")}`;
    const { messages } = await collect(connect("/echo/count/1", { protocols: ["encore-ws", packed] }));
    expect(messages[0].user).toBe("lee");
  });

  test("streamInOut decodes each message by its schema and answers it", async () => {
    const ws = connect("/echo/chat");
    await new Promise((r) => ws.once("open", r));
    const replies: any[] = [];
    const got = new Promise<void>((resolve) =>
      ws.on("message", (d) => {
        replies.push(JSON.parse(String(d)));
        if (replies.length === 2) resolve();
      }),
    );
    ws.send(JSON.stringify({ text: "hi", at: "2024-01-01T00:00:00Z" }));
    ws.send(JSON.stringify({ text: "there", at: "2024-01-01T00:00:00Z" }));
    await got;
    ws.close();
    expect(replies).toEqual([
      { text: "HI", atIsDate: true },
      { text: "THERE", atIsDate: true },
    ]);
  });

  test("another service consumes streams through ~encore/clients (streamOut with auth data, streamInOut)", async () => {
    const res = await fetch(`${fixture.server.url}/store/relay`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ticks: [1, 2, 3], users: ["relay-bot", "relay-bot", "relay-bot"], echoed: "PSST" });
  });
});
