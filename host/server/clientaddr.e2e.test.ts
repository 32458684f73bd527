// The client address the app sees, end to end: the fixture app listens on both families and trusts
// only ::1 as a proxy, so a request over 127.0.0.1 comes from an untrusted peer and one over [::1]
// from a trusted proxy. Typed endpoints (header parameters and currentRequest()), raw endpoints and
// stream handshakes all get the same x-real-ip and single-entry x-forwarded-for.
import { describe, expect, test } from "vitest";
import path from "node:path";
import { WebSocket } from "ws";
import { useFixture } from "../testing/use-fixture.ts";

const APP = path.resolve(import.meta.dirname, "../testdata/app");
const fixture = useFixture(APP, { WARROOM_HOST: "::", WARROOM_TRUSTED_PROXIES: "::1/128", WARROOM_CRON: "off" });

const v4 = () => `http://127.0.0.1:${fixture.server.port}`;
const v6 = () => `http://[::1]:${fixture.server.port}`;
const get = async (base: string, p: string, headers: Record<string, string> = {}) =>
  (await fetch(base + p, { headers })).json() as Promise<Record<string, string>>;

function address(base: string, headers: Record<string, string>): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace("http", "ws")}/echo/address`, "encore-ws", { headers });
    ws.once("message", (m) => {
      resolve(JSON.parse(String(m)));
      ws.close();
    });
    ws.once("error", reject);
  });
}

describe("from a peer that is not a trusted proxy", () => {
  const forged = { "x-forwarded-for": "203.0.113.66, 198.51.100.1", "x-real-ip": "203.0.113.66" };

  test("typed endpoints see the peer, whatever the forwarding headers said", async () => {
    expect(await get(v4(), "/echo/client", forged)).toEqual({ realIp: "127.0.0.1", forwardedFor: "127.0.0.1", fromMeta: "127.0.0.1" });
    expect(await get(v4(), "/echo/client")).toEqual({ realIp: "127.0.0.1", forwardedFor: "127.0.0.1", fromMeta: "127.0.0.1" });
  });

  test("raw endpoints and stream handshakes too", async () => {
    expect(await get(v4(), "/echo/client-raw", forged)).toEqual({ realIp: "127.0.0.1", forwardedFor: "127.0.0.1" });
    expect(await address(v4(), forged)).toEqual({ realIp: "127.0.0.1", forwardedFor: "127.0.0.1" });
  });

  test("a browser cannot pack forwarding headers into the WebSocket subprotocol either", async () => {
    const packed = `encore.dev.headers.${Buffer.from(JSON.stringify({ "x-real-ip": "203.0.113.66" })).toString("base64url")}`;
    const got = await new Promise<Record<string, string>>((resolve, reject) => {
      const ws = new WebSocket(`${v4().replace("http", "ws")}/echo/address`, ["encore-ws", packed]);
      ws.once("message", (m) => resolve(JSON.parse(String(m))));
      ws.once("error", reject);
    });
    expect(got.realIp).toBe("127.0.0.1");
  });
});

describe("from a trusted proxy", () => {
  test("the first untrusted X-Forwarded-For entry from the right, as x-real-ip and the only x-forwarded-for entry", async () => {
    const h = { "x-forwarded-for": "6.6.6.6, 203.0.113.50, ::1" };
    expect(await get(v6(), "/echo/client", h)).toEqual({ realIp: "203.0.113.50", forwardedFor: "203.0.113.50", fromMeta: "203.0.113.50" });
    expect(await get(v6(), "/echo/client-raw", h)).toEqual({ realIp: "203.0.113.50", forwardedFor: "203.0.113.50" });
    expect(await address(v6(), h)).toEqual({ realIp: "203.0.113.50", forwardedFor: "203.0.113.50" });
  });

  test("X-Real-IP when there is no X-Forwarded-For; the proxy itself when there is neither", async () => {
    expect((await get(v6(), "/echo/client", { "x-real-ip": "2001:db8::7" })).realIp).toBe("2001:db8::7");
    expect((await get(v6(), "/echo/client")).realIp).toBe("::1");
  });
});
