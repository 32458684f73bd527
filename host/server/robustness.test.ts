// The HTTP server under hostile or unlucky traffic, observed from outside a real serving process
// (the fixture app started as `npm start` starts it): many keep-alive connections, slow and stalled
// clients, aborted requests, and graceful shutdown by signal. Leaks are read from /proc/<pid>/fd.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import type { ChildProcess } from "node:child_process";
import { dropFixtureDatabases, fixturePrefix, startFixture, type FixtureServer } from "../testing/fixture-server.ts";

const APP = path.resolve(import.meta.dirname, "../testdata/app");
const HEADERS_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 2_500;
const prefix = fixturePrefix();
let srv: FixtureServer;

// Short HTTP timeouts so that stalled clients are cut off within the test's time.
const FIXTURE_ENV = {
  WARROOM_HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
  WARROOM_HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
  WARROOM_SHUTDOWN_TIMEOUT_MS: "10000",
  WARROOM_CRON: "off",
};

beforeAll(async () => {
  srv = await startFixture(APP, prefix, FIXTURE_ENV);
});

afterAll(async () => {
  if (srv && srv.proc.exitCode === null) srv.proc.kill("SIGKILL");
  await dropFixtureDatabases(prefix);
});

// --- observing the serving process from outside ---

function fds(pid: number): string[] {
  const out: string[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      out.push(readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      // closed between the listing and the read
    }
  }
  return out;
}

const fdCount = (pid: number) => fds(pid).length;
const socketCount = (pid: number) => fds(pid).filter((l) => l.startsWith("socket:")).length;

/**
 * True once the server has read everything the client at `clientPort` sent: the server side of
 * that connection exists and its receive queue is empty (node parses what it reads in the same tick,
 * so the request is in the handler by then).
 */
function serverHasRead(serverPort: number, clientPort: number): boolean {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, "0");
  for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    if (f[1].endsWith(":" + hex(serverPort)) && f[2].endsWith(":" + hex(clientPort))) {
      return f[3] === "01" && parseInt(f[4].split(":")[1], 16) === 0; // ESTABLISHED, rx_queue empty
    }
  }
  return false;
}

async function untilServerHasRead(serverPort: number, sockets: net.Socket[]) {
  await expect.poll(() => sockets.every((s) => serverHasRead(serverPort, s.localPort!)), { timeout: 5_000, interval: 10 }).toBe(true);
}

function exitOf(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((r) => proc.once("exit", (code) => r(code)));
}

// --- clients ---

interface Reply {
  status: number;
  body: string;
}

function get(port: number, p: string, agent: http.Agent | false = false, onSocket?: (s: net.Socket, reused: boolean) => void): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: p, agent }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, body }));
      res.on("error", reject);
    });
    req.on("error", reject);
    if (onSocket) req.on("socket", (s) => onSocket(s, req.reusedSocket));
  });
}

function connect(port: number, opts: { allowHalfOpen?: boolean } = {}): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: "127.0.0.1", port, allowHalfOpen: opts.allowHalfOpen ?? false });
    s.once("connect", () => resolve(s));
    s.once("error", reject);
  });
}

/** Everything the server sends until it closes the connection (or the client's side ends). */
function received(s: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    s.setEncoding("utf8");
    s.on("data", (c: string) => (text += c));
    s.on("error", () => {});
    s.once("end", () => resolve(text));
    s.once("close", () => resolve(text));
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A slow client: writes `text` one byte at a time, `gapMs` apart. */
async function trickle(s: net.Socket, text: string, gapMs: number) {
  for (const ch of text) {
    s.write(ch);
    await pause(gapMs);
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

// --- the tests ---

describe("many connections, slow and stalled clients, aborted requests", () => {
  test("1,000 concurrent keep-alive connections, two requests each, are all answered; their sockets are released when the clients close", async () => {
    const pid = srv.proc.pid!;
    const baseline = socketCount(pid);
    for (let round = 0; round < 2; round++) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1000, maxFreeSockets: 1000 });
      const sockets = new Set<net.Socket>();
      let reused = 0;
      const t0 = performance.now();
      const first = await Promise.all(range(1000).map((i) => get(srv.port, `/echo/search?page=${i + 1}`, agent, (s) => sockets.add(s))));
      const firstMs = performance.now() - t0;
      // All 1,000 connections are open at the server at once (idle, kept alive).
      const open = socketCount(pid) - baseline;
      const t1 = performance.now();
      const second = await Promise.all(range(1000).map((i) => get(srv.port, `/echo/search?page=${i + 1001}`, agent, (s, r) => (reused += r ? 1 : 0))));
      const secondMs = performance.now() - t1;
      console.log(`round ${round}: 1,000 new connections served in ${firstMs.toFixed(0)} ms, 1,000 reused in ${secondMs.toFixed(0)} ms; server sockets +${open}`);

      expect(first.every((r, i) => r.status === 200 && JSON.parse(r.body).page === i + 1)).toBe(true);
      expect(second.every((r, i) => r.status === 200 && JSON.parse(r.body).page === i + 1001)).toBe(true);
      expect(sockets.size).toBe(1000);
      expect(reused).toBe(1000);
      expect(open).toBeGreaterThanOrEqual(1000);

      agent.destroy();
      await expect.poll(() => socketCount(pid), { timeout: 5_000, interval: 20 }).toBeLessThanOrEqual(baseline);
    }
  });

  test("slow clients (headers byte by byte, body byte by byte) do not hold up others, and are served when they finish", async () => {
    const headSock = await connect(srv.port);
    const headReply = received(headSock);
    const slowHead = trickle(headSock, "GET /echo/search?page=7 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 8);

    const body = "slowly but surely";
    const bodyReq = http.request({ host: "127.0.0.1", port: srv.port, method: "POST", path: "/echo/shout", agent: false, headers: { "content-length": body.length } });
    const bodyReply = new Promise<Reply>((resolve, reject) => {
      bodyReq.on("response", (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode!, body: text }));
      });
      bodyReq.on("error", reject);
    });
    const slowBody = (async () => {
      for (const ch of body) {
        bodyReq.write(ch);
        await pause(30);
      }
      bodyReq.end();
    })();

    let slowDone = false;
    const slow = Promise.all([slowHead, slowBody]).then(() => (slowDone = true));
    const latencies: number[] = [];
    while (!slowDone) {
      const t0 = performance.now();
      const r = await get(srv.port, "/echo/search?page=3");
      latencies.push(performance.now() - t0);
      expect(r.status).toBe(200);
    }
    await slow;
    console.log(`while 2 slow clients trickled: ${latencies.length} other requests, slowest ${Math.max(...latencies).toFixed(1)} ms`);
    expect(latencies.length).toBeGreaterThan(10);
    expect(Math.max(...latencies)).toBeLessThan(250);

    const head = await headReply;
    expect(head).toMatch(/^HTTP\/1.1 200/);
    expect(JSON.parse(head.slice(head.indexOf("\r\n\r\n") + 4)).page).toBe(7);
    expect(await bodyReply).toEqual({ status: 200, body: body.toUpperCase() });
  });

  test("stalled clients are cut off: unfinished headers after the headers timeout (408), an unfinished body after the request timeout", async () => {
    const pid = srv.proc.pid!;
    const baseline = socketCount(pid);
    // Half-open clients: they never close their side, so only the server can free these sockets.
    const silent = await connect(srv.port, { allowHalfOpen: true });
    const partialHead = await connect(srv.port, { allowHalfOpen: true });
    const partialBody = await connect(srv.port, { allowHalfOpen: true });
    const t0 = performance.now();
    const cut = (s: net.Socket) => received(s).then((text) => ({ text, ms: performance.now() - t0 }));
    const [a, b, c] = [cut(silent), cut(partialHead), cut(partialBody)];
    partialHead.write("GET /echo/search?page=1 HTTP/1.1\r\nHost: x\r\n");
    partialBody.write("POST /echo/fields/a/1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":");
    const [silentCut, headCut, bodyCut] = await Promise.all([a, b, c]);
    console.log(`cut off after: silent ${silentCut.ms.toFixed(0)} ms, partial headers ${headCut.ms.toFixed(0)} ms, partial body ${bodyCut.ms.toFixed(0)} ms`);

    expect(headCut.text).toMatch(/^HTTP\/1.1 408/);
    expect(headCut.ms).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    expect(headCut.ms).toBeLessThan(HEADERS_TIMEOUT_MS * 2 + 500);
    expect(silentCut.ms).toBeLessThan(HEADERS_TIMEOUT_MS * 2 + 500);
    expect(bodyCut.ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(bodyCut.ms).toBeLessThan(REQUEST_TIMEOUT_MS * 1.5 + 500);
    // The server closed these sockets for good, not just its half of them.
    await expect.poll(() => socketCount(pid), { timeout: 2_000, interval: 20 }).toBeLessThanOrEqual(baseline);
    for (const s of [silent, partialHead, partialBody]) s.destroy();
  });

  test("requests aborted mid-body and mid-response leave nothing behind: fds return to baseline and a graceful SIGTERM completes at once", async () => {
    const pid = srv.proc.pid!;
    const baseline = fdCount(pid);
    const N = 50;
    const midJsonBody = await Promise.all(range(N).map(() => connect(srv.port)));
    for (const s of midJsonBody) s.write("POST /echo/fields/a/1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"name\":\"al");
    const midRawBody = await Promise.all(range(N).map(() => connect(srv.port)));
    for (const s of midRawBody) s.write("POST /echo/shout HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nhalf a body");
    const midResponse = await Promise.all(range(N).map(() => connect(srv.port)));
    for (const s of midResponse) s.write("GET /echo/slow?ms=300 HTTP/1.1\r\nHost: x\r\n\r\n");
    const all = [...midJsonBody, ...midRawBody, ...midResponse];
    await untilServerHasRead(srv.port, all);
    for (const s of all) s.destroy();

    await expect.poll(() => fdCount(pid), { timeout: 3_000, interval: 20 }).toBeLessThanOrEqual(baseline);
    // Still serving normally, and a client going away is not logged as a server error.
    expect((await get(srv.port, "/echo/search?page=5")).status).toBe(200);
    expect(srv.logs()).not.toContain('"level":"error"');

    const t0 = performance.now();
    srv.proc.kill("SIGTERM");
    expect(await exitOf(srv.proc)).toBe(0);
    const ms = performance.now() - t0;
    console.log(`graceful SIGTERM after ${3 * N} aborted requests: exited in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(2_000); // the deadline is 10 s: nothing was left hanging
    expect(srv.logs()).toContain("shutdown complete");
  });
});

describe("graceful shutdown by signal", () => {
  let drain: FixtureServer; // default deadline
  let bounded: FixtureServer; // 500 ms deadline
  let twice: FixtureServer;

  beforeAll(async () => {
    [drain, bounded, twice] = await Promise.all([
      startFixture(APP, prefix, { WARROOM_CRON: "off" }),
      startFixture(APP, prefix, { WARROOM_CRON: "off", WARROOM_SHUTDOWN_TIMEOUT_MS: "500" }),
      startFixture(APP, prefix, { WARROOM_CRON: "off" }),
    ]);
  });

  afterAll(() => {
    for (const s of [drain, bounded, twice]) if (s && s.proc.exitCode === null) s.proc.kill("SIGKILL");
  });

  /** Starts GET /echo/slow?ms=… on its own connection and resolves once the server is handling it. */
  async function slowRequest(s: FixtureServer, ms: number) {
    const sock = await connect(s.port);
    const reply = received(sock);
    sock.write(`GET /echo/slow?ms=${ms} HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n`);
    await untilServerHasRead(s.port, [sock]);
    return { sock, reply };
  }

  test("SIGTERM during a request lets it finish; new connections are refused meanwhile; exit code 0", async () => {
    const idle = await connect(drain.port); // an idle keep-alive connection is closed at once
    const idleClosed = received(idle).then(() => true);
    const t0 = performance.now();
    const pending = get(drain.port, "/echo/slow?ms=1500");
    await pause(200);
    drain.proc.kill("SIGTERM");
    await expect.poll(() => canConnect(drain.port), { timeout: 1_000, interval: 20 }).toBe(false);
    expect(await idleClosed).toBe(true);

    const r = await pending;
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ sleptMs: 1500 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1500);
    expect(await exitOf(drain.proc)).toBe(0);
    expect(drain.logs()).toContain("SIGTERM received");
    expect(drain.logs()).toContain("shutdown complete");
  });

  test("a request that outlives the shutdown deadline does not hold the process", async () => {
    const { reply } = await slowRequest(bounded, 5_000);
    const t0 = performance.now();
    bounded.proc.kill("SIGTERM");
    await exitOf(bounded.proc);
    const ms = performance.now() - t0;
    console.log(`shutdown with a 5 s request and a 500 ms deadline: exited in ${ms.toFixed(0)} ms`);
    expect(ms).toBeGreaterThanOrEqual(450);
    expect(ms).toBeLessThan(1_500);
    expect(await reply).not.toMatch(/^HTTP\/1.1 200/); // cut off, not answered
    expect(bounded.logs()).toContain("shutdown complete");
  });

  test("a second signal during a slow drain exits at once with a non-zero code", async () => {
    await slowRequest(twice, 10_000);
    twice.proc.kill("SIGTERM");
    await expect.poll(() => twice.logs(), { timeout: 2_000, interval: 10 }).toContain("SIGTERM received");
    const t0 = performance.now();
    twice.proc.kill("SIGINT");
    const code = await exitOf(twice.proc);
    const ms = performance.now() - t0;
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(ms).toBeLessThan(500);
    expect(twice.logs()).toContain("second SIGINT: exiting at once");
    expect(twice.logs()).not.toContain("shutdown complete");
  });
});
