// An erasure request survives a service being down for a while: intelligence's database refuses
// connections (as when its server is down), so its erasure fails and is retried with backoff while
// every other service answers; the request stays pending, then completes once the database is back,
// and nothing of the person is left in intelligence's tables.
import "../../tests/fakes/auth-secrets";
import postgres from "postgres";
import { afterAll, beforeAll, expect, test } from "vitest";
import { as, type Profile } from "../../tests/inproc";

delete process.env.OPENAI_API_KEY; // the assistant answers offline: no model needed here
const { auth, compliance, intelligence, users } = await import("~encore/clients");
const { db: intelligenceDb } = await import("../../intelligence/db");
const { db } = await import("../db");
const { ERASURE_SERVICES } = await import("./participants");

const PASSWORD = "password-for-tests";

let admin: Profile;
let subject: Profile;
let server: postgres.Sql;
let intelligenceName = "";

/** What intelligence still holds of the subject. */
async function heldBySubject(): Promise<{ messages: number; documents: number; usage: number }> {
  const row = await intelligenceDb.queryRow<{ messages: number; documents: number; usage: number }>`
    SELECT (SELECT count(*)::int FROM chat_messages WHERE user_id = ${subject.id}) AS messages,
           (SELECT count(*)::int FROM documents WHERE uploaded_by = ${subject.id}) AS documents,
           (SELECT count(*)::int FROM token_usage WHERE user_id = ${subject.id}) AS usage`;
  return row!;
}

/** Makes the request's pending tasks due now (the retry backoff moved forward rather than waited out). */
async function retryNow(requestId: string): Promise<void> {
  await db.exec`UPDATE erasure_tasks SET next_attempt_at = now() WHERE request_id = ${requestId} AND status = 'pending'`;
}

/** Takes intelligence's database down (no new connections, the open ones ended) or brings it back. */
async function intelligenceDatabase(up: boolean): Promise<void> {
  await server.unsafe(`ALTER DATABASE "${intelligenceName}" ALLOW_CONNECTIONS ${up ? "true" : "false"}`);
  if (!up) await server`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${intelligenceName} AND pid <> pg_backend_pid()`;
}

beforeAll(async () => {
  admin = (await auth.register({ email: "admin@example.org", password: PASSWORD, name: "Admin" })).user;
  subject = (await users.createUser({ email: "outage.subject@example.org", password: PASSWORD, name: "Sam Subject", role: "analyst" }, as(admin))).user;
  const url = new URL(intelligenceDb.connectionString);
  intelligenceName = decodeURIComponent(url.pathname.slice(1));
  url.pathname = "/postgres";
  server = postgres(url.toString(), { max: 1, onnotice: () => {} });
});

afterAll(async () => {
  await intelligenceDatabase(true).catch(() => undefined);
  await server.end();
});

test("a service that is down keeps the request pending and is retried until it answers; then nothing is left", { timeout: 90_000 }, async () => {
  await intelligence.sendChatMessage({ message: "How is sentiment today?" }, as(subject));
  await intelligence.uploadDocument({ filename: "notes.md", content: "# Notes\nSam's private briefing notes." }, as(subject));
  expect(await heldBySubject()).toMatchObject({ messages: 2, documents: 1 });

  // Down before the request: the request starts erasing at once.
  await intelligenceDatabase(false);
  let requestId = "";
  try {
    ({ requestId } = await compliance.requestDataDeletion({ userId: subject.id, reason: "leaving" }, as(admin)));
    // Every other service answers (auth, which holds the identity the others look up, waits for them);
    // intelligence fails (its database refuses connections) and waits for its retry.
    const intelTask = async () => (await compliance.getDataDeletion({ requestId }, as(admin))).services.find((t) => t.service === "intelligence")!;
    await expect
      .poll(
        async () => {
          await retryNow(requestId);
          await compliance.processErasures();
          const s = await compliance.getDataDeletion({ requestId }, as(admin));
          const others = s.services.filter((t) => t.service !== "intelligence" && t.service !== "auth");
          return (
            others.length === ERASURE_SERVICES.length - 2 &&
            others.every((t) => t.status === "done") &&
            Boolean(s.services.find((t) => t.service === "intelligence")?.lastError)
          );
        },
        { timeout: 30_000, interval: 50 },
      )
      .toBe(true);
    const pending = await compliance.getDataDeletion({ requestId }, as(admin));
    expect(pending.status).toBe("pending");
    expect(pending.completedAt).toBeUndefined();
    expect(pending.services.find((t) => t.service === "auth")).toMatchObject({ status: "pending", attempts: 0 });
    const failed = await intelTask();
    expect(failed).toMatchObject({ status: "pending", lastError: expect.stringMatching(/not currently accepting connections|internal/) });
    // A retry while it is still down fails again, and the request still waits.
    await retryNow(requestId);
    await compliance.processErasures();
    expect(await intelTask()).toMatchObject({ status: "pending", attempts: failed.attempts + 1 });
    expect((await compliance.getDataDeletion({ requestId }, as(admin))).status).toBe("pending");
  } finally {
    await intelligenceDatabase(true);
  }

  // Back up (once intelligence's pool connects again): the next retry erases, and the request completes.
  await expect
    .poll(
      () =>
        intelligenceDb.queryRow`SELECT 1 AS ok`.then(
          () => true,
          () => false,
        ),
      { timeout: 10_000, interval: 50 },
    )
    .toBe(true);
  await expect
    .poll(
      async () => {
        await retryNow(requestId);
        await compliance.processErasures();
        return (await compliance.getDataDeletion({ requestId }, as(admin))).status;
      },
      { timeout: 30_000, interval: 50 },
    )
    .toBe("completed");
  const done = await compliance.getDataDeletion({ requestId }, as(admin));
  expect(done.services.find((t) => t.service === "intelligence")).toMatchObject({ status: "done", erased: { chat_messages: 2, documents: 1 } });
  expect(done.services.every((t) => t.status === "done")).toBe(true);
  expect(await heldBySubject()).toEqual({ messages: 0, documents: 0, usage: 0 });
});
