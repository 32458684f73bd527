import { afterAll, describe, expect, test } from "vitest";
import { databaseExists, databaseUrl, ensureDatabase, serverUrlOf, withAdmin } from "./provision.ts";
import { dropDatabase } from "./testtemplates.ts";
import { testDatabaseName, testServerUrl } from "../testing/services.ts";

const SERVER = serverUrlOf(testServerUrl());
const NAME = testDatabaseName("prov");

afterAll(async () => {
  await dropDatabase(SERVER, NAME);
});

describe("database URLs", () => {
  test("name the database in the path and keep credentials and options", () => {
    expect(databaseUrl("postgres://u:p%40ss@db:5433?sslmode=disable", "my db")).toBe("postgres://u:p%40ss@db:5433/my%20db?sslmode=disable");
    expect(databaseUrl("postgres://postgres@127.0.0.1:5432/postgres", "alerting")).toBe("postgres://postgres@127.0.0.1:5432/alerting");
  });

  test("a server URL drops the database", () => {
    expect(serverUrlOf("postgres://postgres@127.0.0.1:5432/postgres")).toBe("postgres://postgres@127.0.0.1:5432");
  });
});

describe("ensureDatabase", () => {
  test("creates a missing database once, even when several callers race", async () => {
    await Promise.all([1, 2, 3, 4].map(() => ensureDatabase(SERVER, NAME)));
    await ensureDatabase(SERVER, NAME);
    expect(await withAdmin(SERVER, (sql) => databaseExists(sql, NAME))).toBe(true);
  });
});
