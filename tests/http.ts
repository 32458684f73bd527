// HTTP helpers for the end-to-end tests that drive the started app.
import { expect, vi } from "vitest";
import type { UsedFixture } from "../host/testing/use-fixture.ts";

/**
 * A status, the parsed JSON body (null when empty) and the headers. `headers` is not enumerable, so
 * `expect(reply).toEqual({ status, json })` compares what a test states.
 */
export interface Reply {
  status: number;
  json: any;
  readonly headers: Headers;
}

/** A Reply (see there: the headers ride along, not enumerable). */
export function reply(status: number, json: unknown, headers: Headers): Reply {
  return Object.defineProperty({ status, json }, "headers", { value: headers, enumerable: false }) as Reply;
}

/** `call(method, path, token?, body?)` against the fixture's server (or a base URL); a string body is sent as is. */
export function caller(app: UsedFixture | string): (method: string, p: string, token?: string, body?: unknown) => Promise<Reply> {
  return async (method, p, token, body) => {
    const res = await fetch((typeof app === "string" ? app : app.server.url) + p, {
      method,
      headers: {
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return reply(res.status, text ? JSON.parse(text) : null, res.headers);
  };
}

/**
 * Waits until the app has created its first admin (at start, beside serving) without spending
 * sign-in attempts. vi.waitFor rather than expect.poll: this runs in hooks, where expect.poll does not.
 */
export async function waitForFirstAdmin(app: UsedFixture, email: string, timeoutMs = 15_000): Promise<void> {
  await vi.waitFor(() => expect(app.server.logs(), "the first admin created").toContain(`created the first admin ${email}`), {
    timeout: timeoutMs,
    interval: 50,
  });
}

/** A first admin the app creates at start (WARROOM_ADMIN_EMAIL / _PASSWORD). */
export interface Admin {
  email: string;
  password: string;
}

/** The environment of an end-to-end app: its token secret, bcrypt cost 4, the first admin, cron off, plus `extra`. */
export function appEnv(jwtSecret: string, admin: Admin, extra: Record<string, string> = {}): Record<string, string> {
  return { JWT_SECRET: jwtSecret, BCRYPT_COST: "4", WARROOM_ADMIN_EMAIL: admin.email, WARROOM_ADMIN_PASSWORD: admin.password, WARROOM_CRON: "off", ...extra };
}

/** Waits for the first admin (see waitForFirstAdmin), signs in as it and returns its access token. */
export async function signInFirstAdmin(app: UsedFixture, admin: Admin): Promise<string> {
  await waitForFirstAdmin(app, admin.email);
  const r = await caller(app)("POST", "/api/v1/auth/login", undefined, admin);
  if (r.status !== 200) throw new Error(`the first admin could not sign in: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.accessToken;
}

/**
 * Creates a campaign over HTTP (a valid CreateCampaignRequest: "Rivera", 2026-01-01 to 2027-01-01,
 * budget 1000, ages 18-65; `overrides` replace top-level fields) and returns its id; any other
 * answer than 200 throws.
 */
export async function createCampaign(call: ReturnType<typeof caller>, token: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const r = await call("POST", "/api/v1/campaigns", token, {
    name: "Rivera",
    description: "x",
    startDate: "2026-01-01T00:00:00Z",
    endDate: "2027-01-01T00:00:00Z",
    budget: 1000,
    targetAudience: {
      demographics: { ageRange: { min: 18, max: 65 }, gender: ["all"], income: "", education: "" },
      interests: [],
      locations: [],
      platforms: [],
    },
    ...overrides,
  });
  if (r.status !== 200) throw new Error(`creating a campaign answered ${r.status}: ${JSON.stringify(r.json)}`);
  return r.json.id;
}

let batches = 0;

/**
 * A batch of `count` ordinary mentions for POST /api/v1/monitoring/ingest: ids `<prefix>-<batch>-<i>`
 * (a new batch number on every call), "Rivera visits Columbus", twitter, mildly positive, 30 s old;
 * `over(i)` replaces fields of the i-th.
 */
export function mentionBatch(prefix: string, count: number, over: (i: number) => Record<string, unknown> = () => ({})): Record<string, unknown>[] {
  const batch = ++batches;
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${batch}-${i}`,
    text: `Rivera visits Columbus (${batch}/${i})`,
    author: "Maria",
    platform: "twitter",
    url: "",
    sentiment: 0.2,
    reach: 800,
    engagement: 12,
    timestamp: new Date(Date.now() - 30_000).toISOString(),
    ...over(i),
  }));
}
