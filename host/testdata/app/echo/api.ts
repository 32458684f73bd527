import { api, APIError, Cookie, ErrCode, Header, HttpStatus, Query } from "encore.dev/api";
import { currentRequest } from "encore.dev";
import { secret } from "encore.dev/config";
import type { IsEmail, IsURL, Max, MaxLen, Min, MinLen } from "encore.dev/validate";
import { getAuthData } from "~encore/auth";
import { store } from "~encore/clients";

interface Nested {
  n: number & Min<1> & Max<5>;
}

interface FieldsRequest {
  id: string;
  count: number;
  flag?: Query<boolean>;
  requestId?: Header<"X-Request-Id">;
  session?: Cookie<"session">;
  name: string & MinLen<3> & MaxLen<10>;
  email: string & IsEmail;
  when: Date;
  tags: string[];
  level: "low" | "high";
  nested: Nested;
  scores?: Record<string, number>;
  site?: string & IsURL;
}

interface FieldsResponse {
  id: string;
  count: number;
  countType: string;
  flag: boolean | null;
  requestId: string | null;
  session: string | null;
  name: string;
  email: string;
  when: Date;
  whenIsDate: boolean;
  tags: string[];
  level: "low" | "high";
  n: number;
  scores: Record<string, number> | null;
}

// fields echoes one field of every kind and location, with the JS types the handler saw.
export const fields = api(
  { expose: true, method: "POST", path: "/echo/fields/:id/:count" },
  async (req: FieldsRequest): Promise<FieldsResponse> => ({
    id: req.id,
    count: req.count,
    countType: typeof req.count,
    flag: req.flag ?? null,
    requestId: req.requestId ?? null,
    session: req.session ? String((req.session as unknown as { value?: string }).value ?? req.session) : null,
    name: req.name,
    email: req.email,
    when: req.when,
    whenIsDate: req.when instanceof Date,
    tags: req.tags,
    level: req.level,
    n: req.nested.n,
    scores: req.scores ?? null,
  }),
);

interface SearchRequest {
  page: number;
  active?: boolean;
  since?: Date;
  ids?: number[];
  status?: "open" | "closed";
}

interface SearchResponse {
  page: number;
  pageType: string;
  active: boolean | null;
  since: Date | null;
  ids: number[];
  status: string | null;
}

// search takes its fields from the query string (a GET).
export const search = api(
  { expose: true, method: "GET", path: "/echo/search" },
  async (q: SearchRequest): Promise<SearchResponse> => ({
    page: q.page,
    pageType: typeof q.page,
    active: q.active ?? null,
    since: q.since ?? null,
    ids: q.ids ?? [],
    status: q.status ?? null,
  }),
);

// fail throws the APIError named by its code, or a plain Error for "boom".
export const fail = api({ expose: true, method: "GET", path: "/echo/fail/:code" }, async ({ code }: { code: string }): Promise<void> => {
  if (code === "boom") throw new Error("secret database detail");
  throw new APIError(code as ErrCode, `failed with ${code}`);
});

interface Who {
  userID: string | null;
  role: string | null;
}

// whoami requires auth and returns the auth data.
export const whoami = api({ expose: true, method: "GET", path: "/echo/whoami", auth: true }, async (): Promise<Who> => {
  const a = getAuthData()!;
  return { userID: a.userID, role: a.role };
});

// maybe works with or without auth.
export const maybe = api({ expose: true, method: "GET", path: "/echo/maybe" }, async (): Promise<Who> => {
  const a = getAuthData();
  return { userID: a?.userID ?? null, role: a?.role ?? null };
});

interface Created {
  status: HttpStatus;
  location: Header<"Location">;
  id: string;
  createdAt: Date;
}

// created sets the status and a header from response fields.
export const created = api(
  { expose: true, method: "POST", path: "/echo/created" },
  async (): Promise<Created> => ({
    status: HttpStatus.Created,
    location: "/echo/items/42",
    id: "42",
    createdAt: new Date("2024-05-01T12:00:00Z"),
  }),
);

interface Order {
  order: string[];
}

// order reports the middlewares that ran, in order; tagged so the second middleware sets 202.
export const order = api({ expose: true, method: "GET", path: "/echo/order", tags: ["accepted"] }, async (): Promise<Order> => {
  const meta = currentRequest();
  const order = meta?.type === "api-call" ? ((meta.middlewareData?.order as string[]) ?? []) : [];
  return { order };
});

interface CallRequest {
  when: Date;
  note: string;
}

interface CallResponse {
  userID: string;
  whenIsDate: boolean;
  when: Date;
  note: string;
}

// call reaches store.roundtrip through ~encore/clients; the auth data travels with it.
export const call = api({ expose: true, method: "POST", path: "/echo/call", auth: true }, async (req: CallRequest): Promise<CallResponse> => {
  return store.roundtrip({ when: req.when, note: req.note });
});

// callAs calls store.roundtrip with explicit auth data.
export const callAs = api({ expose: true, method: "POST", path: "/echo/call-as" }, async (req: CallRequest): Promise<CallResponse> => {
  return store.roundtrip({ when: req.when, note: req.note }, { authData: { userID: "service-bot", role: "admin" } });
});

// callFail relays the callee's APIError.
export const callFail = api({ expose: true, method: "GET", path: "/echo/call-fail" }, async (): Promise<void> => {
  await store.roundtrip({ when: new Date(), note: "no auth" });
});

interface SecretValue {
  value: string;
  missing: string;
}

// secretValue returns a secret from .secrets.local.cue and one that is not set.
export const secretValue = api(
  { expose: true, method: "GET", path: "/echo/secret" },
  async (): Promise<SecretValue> => ({
    value: fixtureSecret(),
    missing: missingSecret(),
  }),
);
const fixtureSecret = secret("FixtureSecret");
const missingSecret = secret("NotSetAnywhere");

// hidden is private: 404 from outside, callable by other services.
export const hidden = api({ expose: false, method: "GET", path: "/echo/hidden" }, async (): Promise<Order> => ({ order: ["hidden"] }));

// shout is a raw endpoint: it answers with the body upper-cased.
export const shout = api.raw({ expose: true, method: "POST", path: "/echo/shout" }, async (req, resp) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  resp.setHeader("Content-Type", "text/plain");
  resp.setHeader("X-Raw", "yes");
  resp.writeHead(200);
  resp.end(Buffer.concat(chunks).toString("utf8").toUpperCase());
});

interface SlowRequest {
  ms: number;
}

interface SlowResponse {
  sleptMs: number;
}

// slow answers after `ms` milliseconds (graceful shutdown and slow-request tests).
export const slow = api({ expose: true, method: "GET", path: "/echo/slow" }, async ({ ms }: SlowRequest): Promise<SlowResponse> => {
  await new Promise((r) => setTimeout(r, ms));
  return { sleptMs: ms };
});

interface ClientRequest {
  realIp?: Header<"X-Real-IP">;
  forwardedFor?: Header<"X-Forwarded-For">;
}

interface ClientResponse {
  realIp: string;
  forwardedFor: string;
  fromMeta: string;
}

// client reports the client address as the runtime hands it over: header parameters and currentRequest().
export const client = api({ expose: true, method: "GET", path: "/echo/client" }, async (p: ClientRequest): Promise<ClientResponse> => {
  const meta = currentRequest();
  const h = meta?.type === "api-call" ? meta.headers : {};
  return { realIp: p.realIp ?? "", forwardedFor: p.forwardedFor ?? "", fromMeta: String(h["x-real-ip"] ?? "") };
});

// clientRaw: the same from a raw endpoint's request.
export const clientRaw = api.raw({ expose: true, method: "GET", path: "/echo/client-raw" }, async (req, resp) => {
  resp.setHeader("Content-Type", "application/json");
  resp.writeHead(200);
  resp.end(JSON.stringify({ realIp: req.headers["x-real-ip"], forwardedFor: req.headers["x-forwarded-for"] }));
});
