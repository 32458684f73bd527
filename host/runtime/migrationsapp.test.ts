// Migration sources (host/testdata/migrationsapp): a database migrated from prisma's layout
// (timestamped folders, applied in timestamp order) and one from drizzle-kit's, then queried.
import path from "node:path";
import { expect, test } from "vitest";
import { useFixture } from "../testing/use-fixture.ts";

const fixture = useFixture(path.resolve(import.meta.dirname, "../testdata/migrationsapp"));

test("prisma and drizzle migrations are applied before serving", async () => {
  const res = await fetch(`${fixture.server.url}/summary`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ emails: ["ada@example.com"], titles: ["hello", "again"] });
});
