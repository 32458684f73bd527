import { api } from "encore.dev/api";
import { db } from "./db";

interface Count {
  n: number;
}

// count would read the table the first migration creates.
export const count = api({ expose: true, method: "GET", path: "/count" }, async (): Promise<Count> => {
  const r = await db.queryRow<{ n: number }>`SELECT count(*)::int AS n FROM things`;
  return { n: r!.n };
});
