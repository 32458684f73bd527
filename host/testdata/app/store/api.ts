import { api, APIError } from "encore.dev/api";
import { Decimal } from "encore.dev/types";
import { getAuthData } from "~encore/auth";
import { db } from "./db";
import { echo } from "~encore/clients";

interface RoundtripRequest {
  when: Date;
  note: string;
}

interface RoundtripResponse {
  userID: string;
  whenIsDate: boolean;
  when: Date;
  note: string;
}

// roundtrip is called by echo: it sees the caller's auth data and a decoded Date.
export const roundtrip = api(
  { expose: false, method: "POST", path: "/store/roundtrip", auth: true },
  async (req: RoundtripRequest): Promise<RoundtripResponse> => ({
    userID: getAuthData()!.userID,
    whenIsDate: req.when instanceof Date,
    when: req.when,
    note: req.note,
  }),
);

interface ItemRequest {
  price: string;
  big: number;
  doc: unknown[];
  day: string;
  at: Date;
  blobBase64: string;
  labels: string[];
}

interface ItemResponse {
  id: string;
  price: string;
  priceIsDecimal: boolean;
  priceTimesTwo: string;
  big: number;
  bigType: string;
  doc: unknown[];
  day: string;
  at: Date;
  atIsDate: boolean;
  blobBase64: string;
  labels: string[];
  stringIntoJsonb: unknown;
}

// item writes one row of every column type through the SDK and reads it back.
export const item = api({ expose: true, method: "POST", path: "/store/items" }, async (req: ItemRequest): Promise<ItemResponse> => {
  const row = await db.queryRow<{ id: string }>`
    INSERT INTO items (price, big, doc, day, at, blob, labels)
    VALUES (${new Decimal(req.price)}, ${req.big}, ${req.doc}, ${req.day}, ${req.at}, ${Buffer.from(req.blobBase64, "base64")}, ${req.labels})
    RETURNING id`;
  const r = await db.queryRow`SELECT * FROM items WHERE id = ${row!.id}`;
  if (!r) throw APIError.internal("row vanished");
  const json = await db.queryRow<{ j: unknown }>`SELECT ${"plain text"}::jsonb AS j`;
  const blob = r.blob as ArrayBuffer | Buffer;
  return {
    id: r.id,
    price: String(r.price),
    priceIsDecimal: r.price instanceof Decimal,
    priceTimesTwo: (r.price as Decimal).mul(2).toString(),
    big: r.big,
    bigType: typeof r.big,
    doc: r.doc,
    day: r.day,
    at: r.at,
    atIsDate: r.at instanceof Date,
    blobBase64: Buffer.from(blob as ArrayBuffer).toString("base64"),
    labels: r.labels,
    stringIntoJsonb: json!.j,
  };
});

interface TxRequest {
  fail: boolean;
}

interface TxResponse {
  rows: number;
}

// tx inserts in a transaction, then commits, or rolls back when asked to fail.
export const tx = api({ expose: true, method: "POST", path: "/store/tx" }, async (req: TxRequest): Promise<TxResponse> => {
  const t = await db.begin();
  await t.exec`INSERT INTO counter (note) VALUES (${"tx"})`;
  if (req.fail) await t.rollback();
  else await t.commit();
  const c = await db.queryRow<{ n: number }>`SELECT count(*)::int AS n FROM counter`;
  return { rows: c!.n };
});

// dup fails with a unique violation surfaced as an error.
export const dup = api({ expose: true, method: "POST", path: "/store/dup" }, async (): Promise<TxResponse> => {
  const id = "00000000-0000-0000-0000-000000000001";
  await db.exec`INSERT INTO items (id, price, big, doc, day, at, blob) VALUES (${id}, 1, 1, ${[]}, '2024-01-01', now(), ${Buffer.alloc(0)}) ON CONFLICT DO NOTHING`;
  try {
    await db.exec`INSERT INTO items (id, price, big, doc, day, at, blob) VALUES (${id}, 1, 1, ${[]}, '2024-01-01', now(), ${Buffer.alloc(0)})`;
  } catch (err) {
    throw APIError.alreadyExists(String((err as Error).message).includes("23505") ? "duplicate (23505)" : "duplicate");
  }
  return { rows: 0 };
});

interface Delivery {
  subscription: string;
  messageId: string;
  attempt: number;
  name: string;
  atIsDate: boolean;
  hadAuth: boolean;
  receivedAt: Date;
}

interface Deliveries {
  deliveries: Delivery[];
}

// received lists the deliveries the subscriptions recorded, oldest first.
export const received = api({ expose: true, method: "GET", path: "/store/received" }, async ({ name }: { name: string }): Promise<Deliveries> => {
  const rows = await db.queryAll<{
    subscription: string;
    message_id: string;
    attempt: number;
    name: string;
    at_is_date: boolean;
    had_auth: boolean;
    received_at: Date;
  }>`
    SELECT * FROM received WHERE name = ${name} ORDER BY id`;
  return {
    deliveries: rows.map((r) => ({
      subscription: r.subscription,
      messageId: r.message_id,
      attempt: r.attempt,
      name: r.name,
      atIsDate: r.at_is_date,
      hadAuth: r.had_auth,
      receivedAt: r.received_at,
    })),
  };
});

interface Relayed {
  ticks: number[];
  users: string[];
  echoed: string;
}

// relay consumes echo's streams through ~encore/clients: a streamOut with auth data, and a streamInOut.
export const relay = api({ expose: true, method: "GET", path: "/store/relay" }, async (): Promise<Relayed> => {
  const ticks: number[] = [];
  const users: string[] = [];
  const out = await echo.count({ to: 3 }, { authData: { userID: "relay-bot", role: "viewer" } });
  for await (const t of out) {
    ticks.push(t.n);
    users.push(t.user);
  }
  const chat = await echo.chat();
  await chat.send({ text: "psst", at: new Date() });
  const reply = await chat.recv();
  await chat.close();
  return { ticks, users, echoed: reply.text };
});
