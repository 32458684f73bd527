// monitoring's configuration: the secrets it reads (read only here) and the objects built from them.
import { appMeta } from "encore.dev";
import { secret } from "encore.dev/config";
import log from "encore.dev/log";
import { MemoryBus, RedisBus, type LiveBus } from "./live";
import { databaseName } from "./store";

// Redis for the live bus between processes; empty: one process, an in-process bus.
const redisUrl = secret("REDIS_URL");
// "off" disables the demo feed.
const demoSetting = secret("WARROOM_DEMO");
// With Mentionlytics credentials the real poller feeds campaigns and the demo feed stays off.
const mentionlyticsToken = secret("MENTIONLYTICS_TOKEN");
// Milliseconds between the live stream's heartbeats (default 30000).
const heartbeatSetting = secret("WARROOM_STREAM_HEARTBEAT_MS");

export const DEFAULT_HEARTBEAT_MS = 30_000;

function read(s: () => string): string {
  try {
    return s().trim();
  } catch {
    return "";
  }
}

/** True in a test process (tests arrange their own data; no demo feed). */
export function isTest(): boolean {
  return appMeta().environment.type === "test";
}

let heartbeat: number | undefined;

/** The live stream's heartbeat interval: WARROOM_STREAM_HEARTBEAT_MS, 100 ms to 5 min, default 30 s. */
export function heartbeatIntervalMs(): number {
  if (heartbeat === undefined) {
    const text = read(heartbeatSetting);
    const value = Number(text);
    if (text === "") heartbeat = DEFAULT_HEARTBEAT_MS;
    else if (Number.isInteger(value) && value >= 100 && value <= 300_000) heartbeat = value;
    else {
      log.warn(`WARROOM_STREAM_HEARTBEAT_MS must be whole milliseconds from 100 to 300000 (got "${text}"): using ${DEFAULT_HEARTBEAT_MS}`);
      heartbeat = DEFAULT_HEARTBEAT_MS;
    }
  }
  return heartbeat;
}

/** Whether the demo feed should run here, and if not, why. */
export function demoFeedSetting(): { enabled: boolean; reason?: string } {
  if (read(demoSetting).toLowerCase() === "off") return { enabled: false, reason: "disabled by WARROOM_DEMO=off" };
  if (read(mentionlyticsToken) !== "") return { enabled: false, reason: "Mentionlytics credentials are configured: the real feed runs instead" };
  return { enabled: true };
}

let busP: Promise<LiveBus> | undefined;

/**
 * The live bus: Redis pub/sub when REDIS_URL is set (channels namespaced by monitoring's database
 * name, so deployments and test runs sharing a Redis never mix), else in-process.
 */
export function liveBus(): Promise<LiveBus> {
  busP ??= (async () => {
    const url = read(redisUrl);
    if (url === "") return new MemoryBus();
    let lastReport = 0;
    return new RedisBus(url, `warroom:${await databaseName()}`, (err) => {
      // At most one report every 10 s: a Redis outage must not flood the log.
      if (Date.now() - lastReport < 10_000) return;
      lastReport = Date.now();
      log.warn("live bus (Redis) failure", { error: err.message });
    });
  })();
  busP.catch(() => (busP = undefined));
  return busP;
}
