// The HTTP server under hostile or unlucky traffic, observed from outside a real serving process
// (the fixture app started as `npm start` starts it): many keep-alive connections, slow and stalled
// clients, aborted requests, and graceful shutdown by signal. Leaks are read from /proc/<pid>/fd,
// matched against /proc/net/tcp.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { execFileSync, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import { dropFixtureDatabases, fixturePrefix, serverUrl, startFixture, type FixtureServer } from "../testing/fixture-server.ts";
import { loadConfig } from "../runtime/config.ts";
import { checkingInterval } from "./http.ts";

const APP = path.resolve(import.meta.dirname, "../testdata/app");
const HEADERS_TIMEOUT_MS = 1_500;
const REQUEST_TIMEOUT_MS = 2_000;
const DB_PORT = Number(new URL(serverUrl()).port || 5432);
const prefix = fixturePrefix();
let srv: FixtureServer;

beforeAll(async () => {
  // Short HTTP timeouts so that stalled clients are cut off within the test's time.
  srv = await startFixture(APP, prefix, {
    WARROOM_HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
    WARROOM_HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    WARROOM_SHUTDOWN_TIMEOUT_MS: "10000",
    WARROOM_CRON: "off",
  });
});

afterAll(async () => {
  await kill(srv);
  await dropFixtureDatabases(prefix);
});

// --- observing the serving process from outside ---

interface TcpEntry {
  localPort: number;
  remotePort: number;
  state: string; // hex, as the kernel writes it: 01 ESTABLISHED, 0A LISTEN
  rxQueue: number;
}

const ESTABLISHED = "01";
const LISTEN = "0A";

function tcpTable(): Map<string, TcpEntry> {
  const byInode = new Map<string, TcpEntry>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(file, "utf8").split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const port = (addr: string) => parseInt(addr.slice(addr.lastIndexOf(":") + 1), 16);
      byInode.set(f[9], { localPort: port(f[1]), remotePort: port(f[2]), state: f[3], rxQueue: parseInt(f[4].split(":")[1], 16) });
    }
  }
  return byInode;
}

interface Fds {
  total: number;
  /** HTTP connections the server holds (sockets on its port, not the listener). */
  http: number;
  /** Database connections: the pool grows and shrinks on its own, so leaks are counted without them. */
  db: number;
}

function fdsOf(s: FixtureServer): Fds {
  const tcp = tcpTable();
  const out: Fds = { total: 0, http: 0, db: 0 };
  for (const fd of readdirSync(`/proc/${s.proc.pid}/fd`)) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${s.proc.pid}/fd/${fd}`);
    } catch {
      continue; // closed between the listing and the read
    }
    out.total++;
    const entry = tcp.get(/^socket:\[(\d+)\]$/.exec(target)?.[1] ?? "");
    if (entry?.localPort === s.port && entry.state !== LISTEN) out.http++;
    else if (entry?.remotePort === DB_PORT) out.db++;
  }
  return out;
}

/** Every fd but database connections: what a leak would grow. */
const nonDbFds = (s: FixtureServer) => {
  const f = fdsOf(s);
  return f.total - f.db;
};

/**
 * Resolves once the server has read everything these clients sent: each one's server-side
 * connection is established and its receive queue empty. Node parses what it reads in the same
 * tick, so each request is in its handler by then.
 */
async function untilServerHasRead(serverPort: number, sockets: net.Socket[]) {
  const allRead = () => {
    const queues = new Map<number, number>();
    for (const e of tcpTable().values()) if (e.localPort === serverPort && e.state === ESTABLISHED) queues.set(e.remotePort, e.rxQueue);
    return sockets.every((s) => queues.get(s.localPort!) === 0);
  };
  await expect.poll(allRead, { timeout: 5_000, interval: 10 }).toBe(true);
}

/** The listening socket's accept queue size, as `ss` reports it. */
function listenBacklog(port: number): number {
  const out = execFileSync("ss", ["-ltnH", `sport = :${port}`], { encoding: "utf8" }).trim();
  return Number(out.split(/\s+/)[2]);
}

function exitOf(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((r) => proc.once("exit", (code) => r(code)));
}

async function kill(s: FixtureServer | undefined) {
  if (!s) return;
  if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill("SIGKILL");
  await exitOf(s.proc);
}

// --- clients ---

interface Reply {
  status: number;
  body: string;
}

function replyOf(req: http.ClientRequest): Promise<Reply> {
  return new Promise((resolve, reject) => {
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, body }));
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

function get(port: number, p: string, agent: http.Agent | false = false, onSocket?: (s: net.Socket, reused: boolean) => void): Promise<Reply> {
  const req = http.get({ host: "127.0.0.1", port, path: p, agent });
  if (onSocket) req.on("socket", (s) => onSocket(s, req.reusedSocket));
  return replyOf(req);
}

function connect(port: number, opts: { allowHalfOpen?: boolean } = {}): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: "127.0.0.1", port, allowHalfOpen: opts.allowHalfOpen ?? false });
    s.once("connect", () => resolve(s));
    s.once("error", reject);
  });
}

/** Everything the server sends until the connection ends. */
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

// A slow client's pace between bytes (not a wait for the server).
const pace = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

describe("HTTP timeouts", () => {
  test("come from the environment, and a headers timeout above the request timeout is refused", () => {
    expect(loadConfig({ WARROOM_APP_ROOT: APP })).toMatchObject({ httpHeadersTimeoutMs: 60_000, httpRequestTimeoutMs: 300_000 });
    expect(loadConfig({ WARROOM_APP_ROOT: APP, WARROOM_HTTP_HEADERS_TIMEOUT_MS: "900", WARROOM_HTTP_REQUEST_TIMEOUT_MS: "0" })).toMatchObject({
      httpHeadersTimeoutMs: 900,
      httpRequestTimeoutMs: 0,
    });
    expect(() => loadConfig({ WARROOM_APP_ROOT: APP, WARROOM_HTTP_HEADERS_TIMEOUT_MS: "5000", WARROOM_HTTP_REQUEST_TIMEOUT_MS: "4000" })).toThrow(
      /must not exceed/,
    );
  });

  test("are checked at a quarter of the shortest one, between 50 ms and node's 30 s", () => {
    expect(checkingInterval(60_000, 300_000)).toBe(15_000);
    expect(checkingInterval(1_500, 2_000)).toBe(375);
    expect(checkingInterval(150_000, 0)).toBe(30_000);
    expect(checkingInterval(100, 0)).toBe(50);
    expect(checkingInterval(0, 0)).toBe(30_000);
  });
});

describe("many connections, slow and stalled clients, aborted requests", () => {
  test("1,000 concurrent keep-alive connections, two requests each, are all answered; the server lets go of them when the clients close", async () => {
    // A burst of 1,000 connects fits the accept queue (else the overflow retries its SYN a second later).
    expect(listenBacklog(srv.port)).toBeGreaterThanOrEqual(1000);
    const baseline = nonDbFds(srv);
    for (let round = 0; round < 2; round++) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1000, maxFreeSockets: 1000 });
      const sockets = new Set<net.Socket>();
      let reused = 0;
      const t0 = performance.now();
      const first = await Promise.all(range(1000).map((i) => get(srv.port, `/echo/search?page=${i + 1}`, agent, (s) => sockets.add(s))));
      const firstMs = performance.now() - t0;
      const open = fdsOf(srv).http; // all 1,000, idle and kept alive
      const t1 = performance.now();
      const second = await Promise.all(range(1000).map((i) => get(srv.port, `/echo/search?page=${i + 1001}`, agent, (_s, r) => (reused += r ? 1 : 0))));
      const secondMs = performance.now() - t1;
      console.log(
        `round ${round}: 1,000 new connections answered in ${firstMs.toFixed(0)} ms, 1,000 more requests on them in ${secondMs.toFixed(0)} ms; ` +
          `server held ${open} connections, ${baseline} other fds`,
      );

      expect(first.every((r, i) => r.status === 200 && JSON.parse(r.body).page === i + 1)).toBe(true);
      expect(second.every((r, i) => r.status === 200 && JSON.parse(r.body).page === i + 1001)).toBe(true);
      expect(sockets.size).toBe(1000);
      expect(reused).toBe(1000);
      expect(open).toBe(1000);

      agent.destroy();
      await expect.poll(() => fdsOf(srv).http, { timeout: 5_000, interval: 20 }).toBe(0);
      await expect.poll(() => nonDbFds(srv), { timeout: 2_000, interval: 20 }).toBeLessThanOrEqual(baseline);
    }
  });

  test("slow clients (headers byte by byte, body byte by byte) do not hold up others, and are served when they finish", async () => {
    const headSock = await connect(srv.port);
    const headReply = received(headSock);
    const head = "GET /echo/search?page=7 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    const slowHead = (async () => {
      for (const ch of head) {
        headSock.write(ch);
        await pace(12);
      }
    })();

    const body = "slowly but surely";
    const bodyReq = http.request({
      host: "127.0.0.1",
      port: srv.port,
      method: "POST",
      path: "/echo/shout",
      agent: false,
      headers: { "content-length": body.length },
    });
    const bodyReply = replyOf(bodyReq);
    const slowBody = (async () => {
      for (const ch of body) {
        bodyReq.write(ch);
        await pace(45);
      }
      bodyReq.end();
    })();

    const t0 = performance.now();
    let slowDone = false;
    const slow = Promise.all([slowHead, slowBody]).then(() => (slowDone = true));
    const latencies: number[] = [];
    while (!slowDone) {
      const t = performance.now();
      const r = await get(srv.port, "/echo/search?page=3"); // a new connection each time
      latencies.push(performance.now() - t);
      expect(r.status).toBe(200);
      await pace(10);
    }
    await slow;
    const slowMs = performance.now() - t0;
    const slowest = Math.max(...latencies);
    console.log(`while 2 clients trickled for ${slowMs.toFixed(0)} ms: ${latencies.length} other requests answered, slowest in ${slowest.toFixed(1)} ms`);
    expect(latencies.length).toBeGreaterThan(10);
    expect(slowest).toBeLessThan(slowMs / 2);

    const headText = await headReply;
    expect(headText).toMatch(/^HTTP\/1.1 200/);
    expect(JSON.parse(headText.slice(headText.indexOf("\r\n\r\n") + 4)).page).toBe(7);
    expect(await bodyReply).toEqual({ status: 200, body: body.toUpperCase() });
  });

  test("stalled clients are cut off and their sockets closed: no headers or unfinished ones after the headers timeout (408), an unfinished body after the request timeout", async () => {
    // Half-open clients: they never close their side, so only the server can free these sockets.
    const clients = await Promise.all(range(3).map(() => connect(srv.port, { allowHalfOpen: true })));
    try {
      const [, partialHead, partialBody] = clients; // the first stays silent
      const t0 = performance.now();
      const cut = (s: net.Socket) => received(s).then((text) => ({ text, ms: performance.now() - t0 }));
      const cuts = Promise.all(clients.map(cut));
      partialHead.write("GET /echo/search?page=1 HTTP/1.1\r\nHost: x\r\n");
      partialBody.write('POST /echo/fields/a/1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":');
      await untilServerHasRead(srv.port, [partialBody]);
      expect(fdsOf(srv).http).toBe(3);

      const [silentCut, headCut, bodyCut] = await cuts;
      console.log(`cut off after: silent ${silentCut.ms.toFixed(0)} ms, partial headers ${headCut.ms.toFixed(0)} ms, partial body ${bodyCut.ms.toFixed(0)} ms`);
      for (const c of [silentCut, headCut]) {
        expect(c.text).toMatch(/^HTTP\/1.1 408 /);
        expect(c.ms).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
        expect(c.ms).toBeLessThan(HEADERS_TIMEOUT_MS * 1.5 + 500);
      }
      expect(bodyCut.ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
      expect(bodyCut.ms).toBeLessThan(REQUEST_TIMEOUT_MS * 1.5 + 500);
      // Closed for good by the server, not just its half; the unfinished request is over too.
      await expect.poll(() => fdsOf(srv).http, { timeout: 2_000, interval: 20 }).toBe(0);
    } finally {
      for (const s of clients) s.destroy();
    }
  });

  test("requests aborted mid-body and mid-response leave nothing behind: fds back to baseline, nothing logged as an error, a graceful SIGTERM completes at once", async () => {
    const baseline = nonDbFds(srv);
    const N = 50;
    const open = () => Promise.all(range(N).map(() => connect(srv.port)));
    const [midJsonBody, midRawBody, midResponse] = [await open(), await open(), await open()];
    for (const s of midJsonBody)
      s.write('POST /echo/fields/a/1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":"al');
    for (const s of midRawBody) s.write("POST /echo/shout HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nhalf a body");
    for (const s of midResponse) s.write("GET /echo/slow?ms=300 HTTP/1.1\r\nHost: x\r\n\r\n");
    const all = [...midJsonBody, ...midRawBody, ...midResponse];
    await untilServerHasRead(srv.port, all); // every request is in its handler
    for (const s of all) s.destroy();

    await expect.poll(() => fdsOf(srv).http, { timeout: 3_000, interval: 20 }).toBe(0);
    await expect.poll(() => nonDbFds(srv), { timeout: 2_000, interval: 20 }).toBeLessThanOrEqual(baseline);
    expect((await get(srv.port, "/echo/search?page=5")).status).toBe(200);
    // A client going away is not a server error.
    expect(srv.logs()).not.toContain('"level":"error"');

    const t0 = performance.now();
    srv.proc.kill("SIGTERM");
    expect(await exitOf(srv.proc)).toBe(0);
    const ms = performance.now() - t0;
    console.log(`graceful SIGTERM after ${3 * N} aborted requests: exited in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(2_000); // the deadline is 10 s: only the aborted slow handlers' last few ms were left
    expect(srv.logs()).toContain("shutdown complete");
  });
});

describe("graceful shutdown by signal", () => {
  let drain: FixtureServer; // default deadline (30 s)
  let bounded: FixtureServer; // 500 ms deadline
  let twice: FixtureServer;

  beforeAll(async () => {
    // The first fixture has migrated the databases; these share them, as replicas would.
    [drain, bounded, twice] = await Promise.all([
      startFixture(APP, prefix, { WARROOM_CRON: "off" }),
      startFixture(APP, prefix, { WARROOM_CRON: "off", WARROOM_SHUTDOWN_TIMEOUT_MS: "500" }),
      startFixture(APP, prefix, { WARROOM_CRON: "off" }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([drain, bounded, twice].map(kill));
  });

  /**
   * Sends GET /echo/slow?ms=… on a connection of its own; resolves once the handler has it, with
   * the reply or the client's error (a server that exits first cuts the request off).
   */
  async function slowRequest(s: FixtureServer, ms: number): Promise<{ reply: Promise<Reply | Error> }> {
    let socket!: net.Socket;
    const reply = get(s.port, `/echo/slow?ms=${ms}`, false, (sock) => (socket = sock)).catch((err: Error) => err);
    // Connected, and the whole request handed to the kernel (else an empty receive queue on the
    // server's side would only mean the request had not been sent yet), then read by the server.
    await expect.poll(() => socket?.localPort !== undefined && socket.bytesWritten > 0 && socket.writableLength === 0, { interval: 5 }).toBe(true);
    await untilServerHasRead(s.port, [socket]);
    return { reply };
  }

  test("SIGTERM during a request lets it finish, closes idle connections, refuses new ones; exit code 0", async () => {
    const agent = new http.Agent({ keepAlive: true });
    let idle!: net.Socket;
    await get(drain.port, "/echo/search?page=1", agent, (s) => (idle = s));
    const idleClosed = new Promise<number>((r) => idle.once("close", () => r(performance.now())));

    const t0 = performance.now();
    const { reply } = await slowRequest(drain, 1500);
    drain.proc.kill("SIGTERM");
    await expect.poll(() => canConnect(drain.port), { timeout: 1_000, interval: 20 }).toBe(false);

    const r = await reply;
    const answeredAt = performance.now();
    expect(r).toMatchObject({ status: 200 });
    expect(JSON.parse((r as Reply).body)).toEqual({ sleptMs: 1500 });
    expect(answeredAt - t0).toBeGreaterThanOrEqual(1500);
    expect(await idleClosed).toBeLessThan(answeredAt); // not kept until the drain ends
    expect(await exitOf(drain.proc)).toBe(0);
    expect(drain.logs()).toContain("SIGTERM received");
    expect(drain.logs()).toContain("shutdown complete");
    agent.destroy();
  });

  test("a request that outlives the shutdown deadline does not hold the process past it", async () => {
    const { reply } = await slowRequest(bounded, 5_000);
    const t0 = performance.now();
    bounded.proc.kill("SIGTERM");
    const code = await exitOf(bounded.proc);
    const ms = performance.now() - t0;
    console.log(`SIGTERM with a 5 s request in flight and a 500 ms deadline: exited with ${code} in ${ms.toFixed(0)} ms`);
    expect(ms).toBeGreaterThanOrEqual(450);
    expect(ms).toBeLessThan(1_500);
    expect(await reply).toBeInstanceOf(Error); // cut off, not answered
    expect(bounded.logs()).toContain("shutdown complete");
  });

  test("a second signal during a slow drain exits at once with a non-zero code", async () => {
    const { reply } = await slowRequest(twice, 10_000);
    twice.proc.kill("SIGTERM");
    await expect.poll(() => twice.logs(), { timeout: 2_000, interval: 10 }).toContain("SIGTERM received");
    const t0 = performance.now();
    twice.proc.kill("SIGINT");
    const code = await exitOf(twice.proc);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(code).not.toBeNull();
    expect(code).not.toBe(0);
    expect(twice.logs()).toContain("second SIGINT: exiting at once");
    expect(twice.logs()).not.toContain("shutdown complete");
    expect(await reply).toBeInstanceOf(Error);
  });
});
