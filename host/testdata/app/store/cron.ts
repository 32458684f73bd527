import { api } from "encore.dev/api";
import { CronJob } from "encore.dev/cron";
import { db } from "./db";

// tick records that the cron job ran.
export const tick = api({ expose: false, method: "POST", path: "/store/tick" }, async (): Promise<void> => {
  await db.exec`INSERT INTO ticks DEFAULT VALUES`;
});

export const everyMinute = new CronJob("fixture-tick", { title: "Record a tick", every: "1m", endpoint: tick });

interface Ticks {
  ranAt: Date[];
}

// ticks lists when the cron job ran.
export const ticks = api({ expose: true, method: "GET", path: "/store/ticks" }, async (): Promise<Ticks> => {
  const rows = await db.queryAll<{ ran_at: Date }>`SELECT ran_at FROM ticks ORDER BY id`;
  return { ranAt: rows.map((r) => r.ran_at) };
});
