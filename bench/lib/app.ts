// What the app benchmarks share: the War Room app started as `npm start` starts it with a first
// admin, signed in as that admin; JSON calls; a campaign. Percentiles and the results file are the
// runtime's (host/bench/results.ts).
import { randomBytes } from "node:crypto";
import { dropFixtureDatabases, fixturePrefix, startFixture, type FixtureServer } from "../../host/testing/fixture-server.ts";

export const BENCH_ADMIN_EMAIL = "bench-admin@example.org";

/** A JSON call: GET without a body, POST with one; a non-2xx answer throws. */
export async function call(url: string, token: string | null, body?: unknown): Promise<any> {
  const res = await fetch(url, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

export interface BenchApp {
  server: FixtureServer;
  url: string;
  /** The database-name prefix of this run (for direct SQL into a service's database). */
  prefix: string;
  /** The first admin's access token. */
  token: string;
  /** Stops the app and drops its databases (unless kept). */
  close(keepDatabases?: boolean): Promise<void>;
}

/**
 * Starts the app with a first admin (bcrypt cost 4, cron off, plus `env`), waits until that admin
 * can sign in (it is created at start) and signs in.
 */
export async function startBenchApp(root: string, env: Record<string, string> = {}): Promise<BenchApp> {
  const prefix = fixturePrefix();
  const password = randomBytes(12).toString("base64url");
  const server = await startFixture(root, prefix, {
    JWT_SECRET: randomBytes(32).toString("base64url"),
    BCRYPT_COST: "4",
    WARROOM_ADMIN_EMAIL: BENCH_ADMIN_EMAIL,
    WARROOM_ADMIN_PASSWORD: password,
    WARROOM_CRON: "off",
    ...env,
  });
  const close = async (keepDatabases = false) => {
    await server.stop();
    if (!keepDatabases) await dropFixtureDatabases(prefix);
  };
  try {
    let token = "";
    for (const deadline = Date.now() + 15_000; !token; await new Promise((r) => setTimeout(r, 100))) {
      token = (
        await call(`${server.url}/api/v1/auth/login`, null, { email: BENCH_ADMIN_EMAIL, password }).catch((err) => {
          if (Date.now() > deadline) throw err;
          return { accessToken: "" };
        })
      ).accessToken;
    }
    return { server, url: server.url, prefix, token, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** A target audience of all genders aged `min`..`max`, no other targeting. */
export function audience(min = 18, max = 65) {
  return { demographics: { ageRange: { min, max }, gender: ["all"], income: "", education: "" }, interests: [], locations: [], platforms: [] };
}

/** Creates a campaign (2026-01-01 to 2027-01-01, budget 1000, `audience()`, overridable) and returns its id. */
export async function createCampaign(app: BenchApp, name: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const body = {
    name,
    description: "",
    startDate: "2026-01-01T00:00:00Z",
    endDate: "2027-01-01T00:00:00Z",
    budget: 1000,
    targetAudience: audience(),
    ...overrides,
  };
  return (await call(`${app.url}/api/v1/campaigns`, app.token, body)).id;
}
