// auth's housekeeping: expired refresh tokens and stale throttling rows are deleted nightly.
import { api } from "encore.dev/api";
import { CronJob } from "encore.dev/cron";
import log from "encore.dev/log";
import { deleteExpired } from "./store";

// cleanupExpired deletes refresh tokens past their expiry and throttling rows whose window and lock are over.
export const cleanupExpired = api({ expose: false, method: "POST", path: "/internal/auth/cleanup" }, async (): Promise<void> => {
  const deleted = await deleteExpired();
  log.info("auth cleanup", deleted);
});

// 'auth-cleanup' runs cleanupExpired every night at 03:17.
export const authCleanup = new CronJob("auth-cleanup", {
  title: "Delete expired refresh tokens and throttling rows",
  schedule: "17 3 * * *",
  endpoint: cleanupExpired,
});
