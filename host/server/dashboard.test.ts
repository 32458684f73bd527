// The dev dashboard: its JSON API on a running fixture app's ops port, the guards on its actions,
// and the page itself in headless Chromium.
import { describe, expect, test } from "vitest";
import http from "node:http";
import path from "node:path";
import { existsSync, mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { useFixture } from "../testing/use-fixture.ts";

const APP = path.resolve(import.meta.dirname, "../testdata/app");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const fixture = useFixture(APP);

const api = async (p: string, init?: RequestInit) => (await fetch(`${fixture.server.opsUrl}/_dev/api/${p}`, init)).json() as Promise<any>;
/** An action as the dashboard's page posts it. */
const act = (p: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${fixture.server.opsUrl}/_dev/api/${p}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

describe("the dev dashboard's API", () => {
  test("the request log shows each request with its user and the queries, calls and publishes it made", async () => {
    await fetch(`${fixture.server.url}/echo/call`, {
      method: "POST",
      headers: { authorization: "Bearer good-dev-admin" },
      body: JSON.stringify({ when: "2024-05-01T10:00:00Z", note: "traced" }),
    });
    await fetch(`${fixture.server.url}/store/tx`, { method: "POST", body: JSON.stringify({ fail: false }) });
    await fetch(`${fixture.server.url}/events/greet`, { method: "POST", body: JSON.stringify({ name: "dev-dash" }) });
    const { requests } = await api("requests");
    const [greet, tx, call] = requests;
    expect(call).toMatchObject({ method: "POST", path: "/echo/call", endpoint: "echo.call", status: 200, userID: "dev" });
    expect(call.spans).toContainEqual(expect.objectContaining({ kind: "call", name: "store.roundtrip" }));
    expect(tx.endpoint).toBe("store.tx");
    expect(tx.spans.filter((s: any) => s.kind === "sql").map((s: any) => s.detail)).toEqual(
      expect.arrayContaining([expect.stringContaining("INSERT INTO counter"), expect.stringContaining("SELECT count(*)")]),
    );
    expect(greet.spans).toContainEqual(expect.objectContaining({ kind: "publish", name: "greetings" }));
  });

  test("Pub/Sub subscriptions with their counts, cron jobs with a run-now, database pools", async () => {
    const ps = await api("pubsub");
    expect(ps.subscriptions.map((s: any) => s.subscription).sort()).toEqual(["audit-greetings", "record-greetings"]);
    for (const s of ps.subscriptions) expect(s).toMatchObject({ topic: "greetings", backlog: expect.any(Number), deadLetters: expect.any(Number) });
    const cron = await api("cron");
    expect(cron.jobs).toEqual([expect.objectContaining({ name: "fixture-tick", schedule: "every 1 min", endpoint: "store.tick" })]);
    const before = ((await (await fetch(`${fixture.server.url}/store/ticks`)).json()) as { ranAt: string[] }).ranAt.length;
    const ran = (await (await act("cron/run", { job: "fixture-tick" })).json()) as { ok: boolean };
    expect(ran.ok).toBe(true);
    const after = ((await (await fetch(`${fixture.server.url}/store/ticks`)).json()) as { ranAt: string[] }).ranAt.length;
    expect(after).toBe(before + 1);
    const unknown = await act("cron/run", { job: "nope" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ code: "not_found", message: 'no cron job "nope"', details: null });
    const dbs = await api("databases");
    expect(dbs.databases).toContainEqual(expect.objectContaining({ name: "store", pool: expect.objectContaining({ size: 4 }) }));
  });
});

describe("the dashboard's actions", () => {
  test("are audited: a log line says who ran what, from where", async () => {
    expect((await act("cron/run", { job: "fixture-tick" }, { "user-agent": "audit-probe/1" })).status).toBe(200);
    const line = fixture.server
      .logs()
      .split("\n")
      .find((l) => l.includes("ops action cron.run") && l.includes("audit-probe/1"));
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({
      ops_action: "cron.run",
      job: "fixture-tick",
      via: "ops port",
      client: "127.0.0.1",
      user_agent: "audit-probe/1",
      ok: true,
    });
  });

  test("take a JSON body only: a form or text post (what another site's page can send without asking) is refused", async () => {
    const before = ((await (await fetch(`${fixture.server.url}/store/ticks`)).json()) as { ranAt: string[] }).ranAt.length;
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const r = await fetch(`${fixture.server.opsUrl}/_dev/api/cron/run`, {
        method: "POST",
        headers: { "content-type": type },
        body: '{"job":"fixture-tick"}',
      });
      expect(r.status, type).toBe(415);
      expect(((await r.json()) as { code: string }).code).toBe("invalid_argument");
    }
    expect((await act("cron/run", "not an object")).status).toBe(400);
    const junk = await fetch(`${fixture.server.opsUrl}/_dev/api/cron/run`, { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    expect(junk.status).toBe(400);
    const after = ((await (await fetch(`${fixture.server.url}/store/ticks`)).json()) as { ranAt: string[] }).ranAt.length;
    expect(after).toBe(before);
  });

  test("from another origin, or another site by Sec-Fetch-Site, are refused; the page's own origin is fine", async () => {
    const own = fixture.server.opsUrl!;
    expect((await act("cron/run", { job: "fixture-tick" }, { origin: "https://evil.example" })).status).toBe(403);
    expect((await act("cron/run", { job: "fixture-tick" }, { origin: "null" })).status).toBe(403);
    expect((await act("cron/run", { job: "fixture-tick" }, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await act("cron/run", { job: "fixture-tick" }, { "sec-fetch-site": "same-site" })).status).toBe(403);
    expect((await act("cron/run", { job: "fixture-tick" }, { origin: own, "sec-fetch-site": "same-origin" })).status).toBe(200);
  });

  test("answer only to a Host naming this machine (no DNS rebinding)", async () => {
    const port = new URL(fixture.server.opsUrl!).port;
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request({ host: "127.0.0.1", port, path: "/_dev/api/requests", headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on("error", reject);
        req.end();
      });
    expect(await status(`evil.example:${port}`)).toBe(403);
    expect(await status(`localhost:${port}`)).toBe(200);
    expect(await status(`[::1]:${port}`)).toBe(200);
  });

  test("a redelivery that cannot be done is a 4xx saying why", async () => {
    const cases: [unknown, number, RegExp][] = [
      [{ id: "1", subscription: "no-such-subscription" }, 404, /no subscription/],
      [{ id: "nope", subscription: "audit-greetings" }, 400, /message number/],
      [{ id: "999999999", subscription: "audit-greetings" }, 404, /no dead letter 999999999/],
      [{ id: 5 }, 400, /expected/],
    ];
    for (const [body, status, message] of cases) {
      const r = await act("pubsub/redrive", body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(((await r.json()) as { message: string }).message).toMatch(message);
    }
  });
});

describe.skipIf(!existsSync(CHROMIUM))("the dev dashboard page (headless Chromium)", () => {
  test("loads, lists the services and shows a request the test just made", async () => {
    await fetch(`${fixture.server.url}/echo/search?page=4242`);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${fixture.server.opsUrl}/_dev`);
      await page.waitForSelector("#requests table");
      const services = await page.textContent("#services");
      for (const s of ["echo", "store", "events", "authn"]) expect(services).toContain(s);
      expect(await page.textContent("#requests")).toContain("/echo/search");
      expect(errors).toEqual([]);
      if (process.env.WARROOM_SCREENSHOT) {
        mkdirSync(path.dirname(process.env.WARROOM_SCREENSHOT), { recursive: true });
        await page.screenshot({ path: process.env.WARROOM_SCREENSHOT, fullPage: false });
      }
    } finally {
      await browser.close();
    }
  });
});
