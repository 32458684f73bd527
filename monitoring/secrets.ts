// monitoring's configuration: the secrets it reads, read only here (the live stream's own two,
// REDIS_URL and WARROOM_STREAM_HEARTBEAT_MS, are read beside it in live/stream.ts).
import { appMeta } from "encore.dev";
import { secret } from "encore.dev/config";
import { readSecret } from "../shared/secrets";

// "off" disables the demo feed.
const demoSetting = secret("WARROOM_DEMO");
// With Mentionlytics credentials the real poller feeds campaigns and the demo feed stays off.
const mentionlyticsToken = secret("MENTIONLYTICS_TOKEN");

/** True in a test process (tests arrange their own data; no demo feed). */
export function isTest(): boolean {
  return appMeta().environment.type === "test";
}

/** Whether the demo feed should run here, and if not, why. */
export function demoFeedSetting(): { enabled: boolean; reason?: string } {
  if (readSecret(demoSetting).toLowerCase() === "off") return { enabled: false, reason: "disabled by WARROOM_DEMO=off" };
  if (readSecret(mentionlyticsToken) !== "") return { enabled: false, reason: "Mentionlytics credentials are configured: the real feed runs instead" };
  return { enabled: true };
}
