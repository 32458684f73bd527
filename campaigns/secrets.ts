// campaigns' configuration: the secrets it reads and the configured objects built from them.
import { secret } from "encore.dev/config";
import { readSecret } from "../shared/secrets";
import log from "encore.dev/log";
import { createCache, type Cache } from "../shared/cache";
import { databaseName } from "./store";

// Redis for the hot reads (a campaign, the lists, memberships); empty: an in-process cache.
const redisUrl = secret("REDIS_URL");

let cacheP: Promise<Cache> | undefined;

/**
 * campaigns' cache, namespaced by the database's name so that deployments (and test files) sharing
 * one Redis never see each other's keys. A cache failure is logged and read as a miss.
 */
export function campaignsCache(): Promise<Cache> {
  cacheP ??= (async () =>
    createCache({
      redisUrl: readSecret(redisUrl),
      namespace: `warroom:${await databaseName()}`,
      onError: (err) => log.warn("campaigns cache failure: reading from the database", { error: err.message }),
    }))();
  cacheP.catch(() => (cacheP = undefined));
  return cacheP;
}
