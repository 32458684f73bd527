// `npm run bench -- auth`: sign-in and token-verification throughput of the War Room app itself,
// started as `npm start` starts it (real Postgres, Redis when REDIS_URL is set):
//   - POST /api/v1/auth/login with the right password (bcrypt compare at the configured cost, a
//     new session stored, an audit event published);
//   - GET /api/v1/auth/me with a bearer token (the gateway's auth handler: JWT verify with jose +
//     the account's live state, cached; then the profile read);
//   - the JWT verification alone, in this process, with the same jose options as auth's gateway.
// Options: --cost N (bcrypt cost, default 12), --duration S (10), --connections N (32),
// --login-connections N (8: logins are CPU-bound, more only queue).
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import { jwtVerify } from "jose";
import { passwordProblem } from "../auth/domain/passwords.ts";
import { dropFixtureDatabases, fixturePrefix, startFixture } from "../host/testing/fixture-server.ts";
import { writeResults } from "../host/bench/results.ts";
import { option } from "../host/bench/options.ts";

interface Figure {
  what: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

function load(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => autocannon(opts, (err, res) => (err ? reject(err) : resolve(res))));
}

async function post(url: string, body: unknown): Promise<any> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

export default async function runAuthBench(root: string, args: string[]): Promise<number> {
  const cost = Math.floor(option(args, "--cost", 12, 4));
  const duration = option(args, "--duration", 10, 1);
  const connections = Math.floor(option(args, "--connections", 32, 1));
  const loginConnections = Math.floor(option(args, "--login-connections", 8, 1));
  const secret = randomBytes(32).toString("base64url");
  const prefix = fixturePrefix();
  const app = await startFixture(root, prefix, {
    JWT_SECRET: secret,
    BCRYPT_COST: String(cost),
    WARROOM_ADMIN_EMAIL: "bench-admin@example.org",
    WARROOM_ADMIN_PASSWORD: randomBytes(12).toString("base64url"),
    WARROOM_CRON: "off",
    // The bench registers its accounts from one address.
    REGISTRATIONS_PER_ADDRESS_PER_HOUR: "100000",
  });
  const figures: Figure[] = [];
  const report = (what: string, r: autocannon.Result) => {
    const f = { what, rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
    figures.push(f);
    process.stdout.write(`${what.padEnd(44)} ${String(f.rps).padStart(8)} req/s  p50 ${f.p50} ms  p99 ${f.p99} ms  errors ${f.errors}\n`);
  };
  try {
    // Several accounts, taken in turn: auth throttles more than 5 sign-ins in flight for one account.
    const password = "bench-password-1";
    const emails = Array.from({ length: loginConnections * 4 }, (_, i) => `bench-user-${i}@example.org`);
    const sessions = await Promise.all(emails.map((email) => post(`${app.url}/api/v1/auth/register`, { email, password, name: "Bench" })));
    const session = sessions[0];
    let turn = 0;
    const loginRequest = {
      method: "POST" as const,
      headers: { "content-type": "application/json" },
      requests: [{ setupRequest: (req: any) => ({ ...req, body: JSON.stringify({ email: emails[turn++ % emails.length], password }) }) }],
    };
    const meRequest = { headers: { authorization: `Bearer ${session.accessToken}` } };

    await load({ url: `${app.url}/api/v1/auth/login`, connections: loginConnections, duration: 2, ...loginRequest }); // warm-up
    report(
      `POST /auth/login (bcrypt cost ${cost}, ${loginConnections} conns)`,
      await load({ url: `${app.url}/api/v1/auth/login`, connections: loginConnections, duration, ...loginRequest }),
    );

    // Logins above outdated nothing: the token from registration is still valid.
    await load({ url: `${app.url}/api/v1/auth/me`, connections, duration: 2, ...meRequest });
    report(`GET /auth/me (verify + profile, ${connections} conns)`, await load({ url: `${app.url}/api/v1/auth/me`, connections, duration, ...meRequest }));

    // The signature and claims check alone, as the gateway does it (same options as auth/domain/tokens.ts).
    const key = new TextEncoder().encode(secret);
    const verify = () =>
      jwtVerify(session.accessToken, key, {
        algorithms: ["HS256"],
        typ: "at+jwt",
        issuer: "war-room",
        audience: "war-room-api",
        requiredClaims: ["sub", "iat", "exp"],
        clockTolerance: 30,
        maxTokenAge: 3600,
      });
    for (let i = 0; i < 2000; i++) await verify();
    let count = 0;
    const started = performance.now();
    while (performance.now() - started < Math.min(duration, 5) * 1000) {
      await verify();
      count++;
    }
    const perSecond = Math.round(count / ((performance.now() - started) / 1000));
    figures.push({ what: "jose jwtVerify HS256 (in-process, 1 core)", rps: perSecond, p50: 0, p99: 0, errors: 0 });
    process.stdout.write(`${"jose jwtVerify HS256 (in-process, 1 core)".padEnd(44)} ${String(perSecond).padStart(8)} verifications/s\n`);

    // The password rules (zxcvbn-ts) that registration, password change and user creation run on
    // the event loop: typical passwords, and the worst inputs found (long l33t-heavy and random ones).
    const context = { email: "someone@example.org", name: "Some One" };
    const typical = ["password1234", "a-good-password", "Steady-Harbor-Lantern-42", "correct horse battery staple", "xK9#mQ2$vL7!"];
    const worst = ["4@1!3$0|7+5(8".repeat(9).slice(0, 128), `${"!@#$%^&*()".repeat(12)}abcdefgh`, randomBytes(96).toString("base64").slice(0, 128)];
    const timed = (list: string[], rounds: number) => {
      const ms: number[] = [];
      for (let r = 0; r < rounds; r++) {
        for (const pw of list) {
          const t = performance.now();
          passwordProblem(pw, context);
          ms.push(performance.now() - t);
        }
      }
      ms.sort((a, b) => a - b);
      return {
        p50: Math.round(ms[Math.floor(ms.length / 2)]! * 10) / 10,
        p99: Math.round(ms[Math.floor(ms.length * 0.99)]! * 10) / 10,
        perSecond: Math.round(ms.length / (ms.reduce((a, b) => a + b, 0) / 1000)),
      };
    };
    timed(typical, 2); // builds the estimator (ranked dictionaries) and warms up
    for (const [what, list, rounds] of [
      ["password rules, typical (in-process)", typical, 40],
      ["password rules, worst inputs (in-process)", worst, 10],
    ] as const) {
      const t = timed([...list], rounds);
      figures.push({ what, rps: t.perSecond, p50: t.p50, p99: t.p99, errors: 0 });
      process.stdout.write(`${what.padEnd(44)} ${String(t.perSecond).padStart(8)} checks/s  p50 ${t.p50} ms  p99 ${t.p99} ms\n`);
    }
  } finally {
    await app.stop();
    await dropFixtureDatabases(prefix);
  }
  process.stdout.write(`\n${duration} s per run, bcrypt cost ${cost}, node ${process.version}, Redis ${process.env.REDIS_URL ? "on" : "off"}\n`);
  writeResults(root, "auth", { cost, duration, figures });
  return figures.some((f) => f.errors > 0) ? 1 : 0;
}
