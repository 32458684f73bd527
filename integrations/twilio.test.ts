// The Twilio client (the official twilio SDK over our resilience policy, through the SDK's pluggable
// HTTP client) against the fake Twilio over real HTTP: sends, Twilio's errors, 429 with
// Retry-After, 5xx retried, timeouts, the circuit opening and recovering, malformed and drifted bodies.
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { TwilioClient } from "../integrations/clients/twilio";
import type { CallRecord } from "../integrations/clients/http";
import { DEFAULT_POLICY, ProviderPolicy } from "../shared/resilience";
import { FastClock } from "../tests/fakes/provider-faults";
import { startFakeTwilio, type FakeTwilio } from "../tests/fakes/twilio";

let fake: FakeTwilio;
let clock: FastClock;
let calls: CallRecord[];
let client: TwilioClient;
let policy: ProviderPolicy;

beforeAll(async () => {
  fake = await startFakeTwilio();
});
afterAll(() => fake.close());
beforeEach(() => {
  clock = new FastClock();
  calls = [];
  policy = new ProviderPolicy({ ...DEFAULT_POLICY, provider: "twilio", clock, timeoutMs: 3000, maxAttempts: 3, failureThreshold: 3, resetTimeoutMs: 10_000 });
  client = new TwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url }, policy, (c) => calls.push(c));
});

const sms = { to: "+14155550100", from: "+14155550199", body: "Crisis: volume spike on 'Rivera'" };

test("a send reaches Twilio form-encoded with basic auth and returns the message sid", async () => {
  const msg = await client.sendMessage({ ...sms, statusCallback: "http://127.0.0.1:9/cb" });
  expect(msg.sid).toMatch(/^SM[0-9a-f]{32}$/);
  expect(msg.status).toBe("queued");
  const got = fake.messages.find((m) => m.sid === msg.sid)!;
  expect(got).toMatchObject({ to: sms.to, from: sms.from, body: sms.body, statusCallback: "http://127.0.0.1:9/cb" });
  const req = fake.requests.at(-1)!;
  expect(req.path).toBe(`/2010-04-01/Accounts/${fake.accountSid}/Messages.json`);
  expect(req.headers["content-type"]).toBe("application/x-www-form-urlencoded");
  expect(req.headers["user-agent"]).toMatch(/^twilio-node\/6\./); // sent by the official SDK
  expect(calls).toEqual([expect.objectContaining({ provider: "twilio", method: "POST", status: 201, error: null })]);
});

test("Twilio's message list for a recipient comes back newest first with text and creation time", async () => {
  const to = "+14155550177";
  const a = await client.sendMessage({ ...sms, to, body: "first" });
  const b = await client.sendMessage({ ...sms, to, body: "second" });
  await client.sendMessage({ ...sms, to: "+14155550178", body: "someone else" });
  const listed = await client.recentMessages({ to, from: sms.from });
  expect(listed.map((m) => [m.sid, m.body])).toEqual([
    [b.sid, "second"],
    [a.sid, "first"],
  ]);
  expect(listed[0]!.dateCreated).toBeInstanceOf(Date);
  expect(Math.abs(listed[0]!.dateCreated!.getTime() - Date.now())).toBeLessThan(5000);
  expect(fake.requests.at(-1)!.query.get("To")).toBe(to);
  expect(fake.requests.at(-1)!.method).toBe("GET");
});

test("a WhatsApp send uses the whatsapp: addresses", async () => {
  const msg = await client.sendMessage({ to: "whatsapp:+14155550100", from: "whatsapp:+14155238886", body: "hi" });
  expect(fake.messages.find((m) => m.sid === msg.sid)?.to).toBe("whatsapp:+14155550100");
});

test("Twilio's error body becomes a clear, non-retried client error", async () => {
  const before = fake.requests.length;
  await expect(client.sendMessage({ ...sms, to: "+1" })).rejects.toMatchObject({
    kind: "client",
    status: 400,
    code: 21211,
    message: expect.stringContaining("not a valid phone number"),
  });
  expect(fake.requests.length - before).toBe(1);
});

test("wrong credentials are an auth error, not retried, and do not open the circuit", async () => {
  const bad = new TwilioClient({ accountSid: fake.accountSid, authToken: "wrong", baseUrl: fake.url }, policy);
  for (let i = 0; i < 4; i++) await expect(bad.sendMessage(sms)).rejects.toMatchObject({ kind: "auth", status: 401 });
  expect(policy.breaker.state).toBe("closed");
});

test("429 with Retry-After is waited out exactly, then the send succeeds", async () => {
  fake.inject({ kind: "rate_limit", retryAfterSeconds: 2, body: { code: 20429, message: "Too Many Requests", status: 429 } });
  const msg = await client.sendMessage(sms);
  expect(msg.sid).toMatch(/^SM/);
  expect(clock.sleeps).toEqual([2000]);
});

test("5xx is retried with backoff", async () => {
  fake.inject({ kind: "status", status: 503 }, 2);
  const msg = await client.sendMessage(sms);
  expect(msg.sid).toMatch(/^SM/);
  expect(clock.sleeps).toHaveLength(2);
  expect(calls.map((c) => c.status)).toEqual([503, 503, 201]);
});

test("a hanging Twilio times out and the send is not repeated (it may have landed)", async () => {
  fake.inject({ kind: "hang" });
  const before = fake.requests.length;
  const quick = new TwilioClient(
    { accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url },
    new ProviderPolicy({ ...policy.o, timeoutMs: 200 }),
  );
  await expect(quick.sendMessage(sms)).rejects.toMatchObject({ kind: "timeout" });
  expect(fake.requests.length - before).toBe(1);
});

test("malformed JSON in a success answer is a clear error", async () => {
  fake.inject({ kind: "malformed" });
  await expect(client.sendMessage(sms)).rejects.toMatchObject({ kind: "malformed", message: expect.stringContaining("malformed JSON") });
});

test("the circuit opens after repeated failures, fails fast, and recovers after the reset timeout", async () => {
  fake.inject({ kind: "status", status: 500 }, 3);
  await expect(client.sendMessage(sms)).rejects.toMatchObject({ kind: "server" });
  expect(policy.breaker.state).toBe("open");
  const before = fake.requests.length;
  await expect(client.sendMessage(sms)).rejects.toMatchObject({ kind: "circuit_open" });
  expect(fake.requests.length).toBe(before); // failed fast, nothing sent
  clock.offset += 10_000;
  expect(policy.breaker.state).toBe("half_open");
  expect((await client.sendMessage(sms)).sid).toMatch(/^SM/);
  expect(policy.breaker.state).toBe("closed");
});

test("a drifted Message (sid renamed, status unknown) is rejected by its zod schema with a clear error, and logged", async () => {
  fake.inject({ kind: "status", status: 201, body: { message_sid: "SM0123456789abcdef0123456789abcdef", status: "teleported", to: sms.to, from: sms.from } });
  const err = await client.sendMessage(sms).catch((e: unknown) => e);
  expect(err).toMatchObject({ kind: "malformed", status: 201 });
  expect((err as Error).message).toMatch(/Twilio Message does not match its schema: sid: .*; status: /);
});
