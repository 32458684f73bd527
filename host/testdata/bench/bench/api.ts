import { api, APIError } from "encore.dev/api";
import { SQLDatabase } from "encore.dev/storage/sqldb";

const db = new SQLDatabase("bench", { migrations: "./migrations" });

interface Hello {
  message: string;
}

// hello is the trivial endpoint of the benchmark.
export const hello = api({ expose: true, method: "GET", path: "/hello" }, async (): Promise<Hello> => ({ message: "hello, world" }));

interface Item {
  id: number;
  name: string;
  price: number;
  createdAt: Date;
}

// item reads one row by primary key.
export const item = api({ expose: true, method: "GET", path: "/items/:id" }, async ({ id }: { id: number }): Promise<Item> => {
  const row = await db.queryRow<{ id: number; name: string; price: number; created_at: Date }>`
    SELECT id, name, price, created_at FROM items WHERE id = ${id}`;
  if (!row) throw APIError.notFound("no such item");
  return { id: row.id, name: row.name, price: row.price, createdAt: row.created_at };
});
