// The dev dashboard: its JSON API on a running fixture app, and the page itself in headless Chromium.
import { describe, expect, test } from "vitest";
import path from "node:path";
import { existsSync, mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { useFixture } from "../testing/use-fixture.ts";

const APP = path.resolve(import.meta.dirname, "../testdata/app");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const fixture = useFixture(APP);

const api = async (p: string, init?: RequestInit) => (await fetch(fixture.server.url + "/_dev/api/" + p, init)).json() as Promise<any>;

describe("the dev dashboard's API", () => {
  test("the request log shows each request with its user and the queries, calls and publishes it made", async () => {
    await fetch(fixture.server.url + "/echo/call", {
      method: "POST",
      headers: { authorization: "Bearer good-dev-admin" },
      body: JSON.stringify({ when: "2024-05-01T10:00:00Z", note: "traced" }),
    });
    await fetch(fixture.server.url + "/store/tx", { method: "POST", body: JSON.stringify({ fail: false }) });
    await fetch(fixture.server.url + "/events/greet", { method: "POST", body: JSON.stringify({ name: "dev-dash" }) });
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
    const before = ((await (await fetch(fixture.server.url + "/store/ticks")).json()) as { ranAt: string[] }).ranAt.length;
    const ran = await api("cron/run", { method: "POST", body: JSON.stringify({ job: "fixture-tick" }) });
    expect(ran.ok).toBe(true);
    const after = ((await (await fetch(fixture.server.url + "/store/ticks")).json()) as { ranAt: string[] }).ranAt.length;
    expect(after).toBe(before + 1);
    expect((await api("cron/run", { method: "POST", body: JSON.stringify({ job: "nope" }) })).ok).toBe(false);
    const dbs = await api("databases");
    expect(dbs.databases).toContainEqual(expect.objectContaining({ name: "store", pool: expect.objectContaining({ size: 4 }) }));
  });
});

describe.skipIf(!existsSync(CHROMIUM))("the dev dashboard page (headless Chromium)", () => {
  test("loads, lists the services and shows a request the test just made", async () => {
    await fetch(fixture.server.url + "/echo/search?page=4242");
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(fixture.server.url + "/_dev");
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
