// `npm run bench -- audit`: the compliance audit log's hash chain, on the War Room app started as
// `npm start` starts it.
//   0. Baseline: as many authenticated GET /api/v1/auth/me (the app's per-request cost, no write).
//   1. Append throughput through the app: POST /api/v1/compliance/audit-logs at --concurrency
//      (default 32) for --appends requests (default 20000); appends queue for the process's one
//      writer, which chains each batch under the advisory lock in one transaction (one commit).
//   2. The log is then filled to --entries (default 1,000,000) by a bulk loader that computes the
//      same hashes with the same pure code (compliance/domain/chain.ts) and inserts 5,000 rows per
//      statement (the figure is reported, but it is a loader, not the app's path).
//   3. GET /api/v1/compliance/audit-logs/verify walks the whole chain: its wall time is the figure.
//   4. One row in the middle is edited in SQL; verification must report that row.
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { databaseUrl } from "../host/db/provision.ts";
import { serverUrl } from "../host/testing/fixture-server.ts";
import { detailsHash, entryHash } from "../compliance/domain/chain.ts";
import { call, startBenchApp } from "./lib/app.ts";
import { writeResults } from "../host/bench/results.ts";
import { option } from "../host/bench/options.ts";

export default async function runAuditBench(root: string, args: string[]): Promise<number> {
  const appends = Math.floor(option(args, "--appends", 20_000, 1));
  const concurrency = Math.floor(option(args, "--concurrency", 32, 1));
  const entries = Math.floor(option(args, "--entries", 1_000_000, 1));
  const app = await startBenchApp(root, { WARROOM_DB_POOL_SIZE: "10" });
  const token = app.token;
  const sql = postgres(databaseUrl(serverUrl(), `${app.prefix}compliance`), { max: 2, onnotice: () => {} });
  const figures: Record<string, unknown> = { appends, concurrency, entries };
  let ok = true;
  try {
    // 0. Baseline: the same number of authenticated requests that append nothing (GET /api/v1/auth/me).
    let calls = 0;
    const baseStarted = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (calls < appends) {
          calls++;
          await call(`${app.url}/api/v1/auth/me`, token);
        }
      }),
    );
    figures.baselinePerSecond = Math.round(appends / ((performance.now() - baseStarted) / 1000));
    process.stdout.write(`baseline GET /api/v1/auth/me: ${figures.baselinePerSecond}/s at concurrency ${concurrency}\n`);

    // 1. Appends through the app.
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < appends) {
          const i = next++;
          await call(`${app.url}/api/v1/compliance/audit-logs`, token, { action: "bench.append", details: { i, note: "a benchmark entry" } });
        }
      }),
    );
    const appendSeconds = (performance.now() - started) / 1000;
    figures.appendPerSecond = Math.round(appends / appendSeconds);
    process.stdout.write(
      `appends through POST /api/v1/compliance/audit-logs: ${appends} in ${appendSeconds.toFixed(1)} s = ${figures.appendPerSecond}/s at concurrency ${concurrency}\n`,
    );

    // 2. Bulk-fill the chain to `entries` with the same hashing, continuing from the head.
    const [{ count }] = await sql<{ count: string }[]>`SELECT count(*)::text AS count FROM audit_log`;
    const [head] = await sql<{ seq: string; hash: string }[]>`SELECT seq::text AS seq, hash FROM audit_chain_head`;
    let seq = Number(head!.seq);
    let prev = head!.hash;
    const toLoad = Math.max(0, entries - Number(count));
    const loadStarted = performance.now();
    const BATCH = 5000;
    for (let done = 0; done < toLoad; ) {
      const n = Math.min(BATCH, toLoad - done);
      const rows: Record<string, unknown>[] = [];
      const details: Record<string, unknown>[] = [];
      for (let i = 0; i < n; i++) {
        seq++;
        const d = { i: done + i, note: "a bulk-loaded entry" };
        const e = {
          seq,
          id: randomUUID(),
          occurredAt: new Date(),
          actorId: "bench",
          action: "bench.bulk",
          targetType: "bench",
          targetId: String(seq),
          requestId: "",
          service: "bench",
          campaignId: null,
          detailsHash: detailsHash(d),
        };
        const hash = entryHash(e, prev);
        rows.push({
          chain_seq: seq,
          id: e.id,
          occurred_at: e.occurredAt,
          actor_id: e.actorId,
          action: e.action,
          target_type: e.targetType,
          target_id: e.targetId,
          request_id: "",
          service: e.service,
          campaign_id: null,
          details_hash: e.detailsHash,
          prev_hash: prev,
          hash,
        });
        details.push({ log_id: e.id, chain_seq: seq, details: sql.json(d) });
        prev = hash;
      }
      await sql.begin(async (tx) => {
        await tx`INSERT INTO audit_log ${tx(rows as never)}`;
        await tx`INSERT INTO audit_details ${tx(details as never)}`;
        await tx`UPDATE audit_chain_head SET seq = ${seq}, hash = ${prev}`;
      });
      done += n;
    }
    await sql`ANALYZE audit_log`;
    await sql`ANALYZE audit_details`;
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    figures.bulkLoadPerSecond = Math.round(toLoad / Math.max(loadSeconds, 0.001));
    process.stdout.write(`bulk loader (same hashing, 5000 rows per INSERT): ${toLoad} in ${loadSeconds.toFixed(1)} s = ${figures.bulkLoadPerSecond}/s\n`);

    // 3. Verification of the whole chain.
    const vStarted = performance.now();
    const v = await call(`${app.url}/api/v1/compliance/audit-logs/verify`, token);
    const vSeconds = (performance.now() - vStarted) / 1000;
    figures.verify = { valid: v.valid, checked: v.checked, seconds: Number(vSeconds.toFixed(2)), perSecond: Math.round(v.checked / vSeconds) };
    process.stdout.write(`verify: ${JSON.stringify(v)} in ${vSeconds.toFixed(1)} s (${Math.round(v.checked / vSeconds)} entries/s)\n`);
    if (!v.valid || v.checked < entries) ok = false;

    // 4. Tamper with one row in the middle: verification must point at it.
    const middle = Math.floor(seq / 2);
    await sql`UPDATE audit_log SET action = 'bench.tampered' WHERE chain_seq = ${middle}`;
    const t = await call(`${app.url}/api/v1/compliance/audit-logs/verify`, token);
    figures.tamperDetectedAt = t.firstBroken?.seq ?? null;
    process.stdout.write(`after editing entry ${middle}: valid=${t.valid}, first broken ${JSON.stringify(t.firstBroken)}\n`);
    if (t.valid || t.firstBroken?.seq !== middle) ok = false;
  } finally {
    await sql.end();
    await app.close();
  }
  process.stdout.write(`node ${process.version}\n`);
  writeResults(root, "audit", figures);
  return ok ? 0 : 1;
}
