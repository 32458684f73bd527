import { api } from "encore.dev/api";
import { CronJob } from "encore.dev/cron";

export const tick = api({}, async (): Promise<void> => {});
export const withParams = api({}, async (p: { n: number }): Promise<void> => {
  void p;
});

new CronJob("seven", { every: "7h", endpoint: tick });
new CronJob("ninety", { every: "90s", endpoint: tick });
new CronJob("both", { every: "1h", schedule: "0 * * * *", endpoint: tick });
// @ts-expect-error: neither every nor schedule
new CronJob("neither", { endpoint: tick });
new CronJob("badcron", { schedule: "61 * * * *", endpoint: tick });
new CronJob("params", { every: "1h", endpoint: withParams });
