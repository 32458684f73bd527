import { api } from "encore.dev/api";
import { CronJob } from "encore.dev/cron";

// cleanup removes expired sessions.
export const cleanup = api({ method: "POST", path: "/internal/cleanup" }, async (): Promise<void> => {});

const _every = new CronJob("cleanup-sessions", { title: "Clean up sessions", every: "2h", endpoint: cleanup });

new CronJob("nightly-report", { schedule: "0 2 * * 1-5", endpoint: cleanup });
