import { api } from "encore.dev/api";
import { readFileSync } from "node:fs";
import { client, earlyCount } from "./db";

// Read relative to the working directory, as apps do (graphql reads ./schema.graphql).
const greeting = readFileSync("./greeting.txt", "utf8").trim();

export const add = api({ expose: true, method: "POST", path: "/notes" }, async ({ text }: { text: string }): Promise<{ id: number }> => {
  const [row] = await client`INSERT INTO note (text) VALUES (${text}) RETURNING id`;
  return { id: Number(row.id) };
});

export const count = api({ expose: true, method: "GET", path: "/notes/count" }, async (): Promise<{ n: number; greeting: string }> => {
  const [row] = await client`SELECT count(*)::int AS n FROM note`;
  return { n: row.n, greeting };
});

export const early = api({ expose: true, method: "GET", path: "/notes/early" }, async (): Promise<{ n: number }> => {
  return { n: await earlyCount };
});
