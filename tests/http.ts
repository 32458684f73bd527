// HTTP helpers for the end-to-end tests that drive the started app.
import type { UsedFixture } from "../host/testing/use-fixture.ts";

/** A status and the parsed JSON body (null when empty). */
export interface Reply {
  status: number;
  json: any;
}

/** `call(method, path, token?, body?)` against the fixture's server; a string body is sent as is. */
export function caller(app: UsedFixture): (method: string, p: string, token?: string, body?: unknown) => Promise<Reply> {
  return async (method, p, token, body) => {
    const res = await fetch(app.server.url + p, {
      method,
      headers: {
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  };
}

/**
 * Waits until the app has created its first admin (at start, beside serving) without spending
 * sign-in attempts. For hooks, where expect.poll does not work.
 */
export async function waitForFirstAdmin(app: UsedFixture, email: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!app.server.logs().includes(`created the first admin ${email}`)) {
    if (Date.now() > deadline) throw new Error(`the first admin was not created within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
