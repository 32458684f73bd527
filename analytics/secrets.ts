// analytics' configuration: the secrets it reads (read only here) and the objects built from them.
import { secret } from "encore.dev/config";
import { readSecret } from "../shared/secrets";
import log from "encore.dev/log";
import { createCache, type Cache } from "../shared/cache";
import { databaseName } from "./store";

// Redis for the summary and sentiment reads; empty: an in-process cache.
const redisUrl = secret("REDIS_URL");

let cacheP: Promise<Cache> | undefined;

/** analytics' cache, namespaced by the database's name (deployments and test files sharing one Redis never mix). */
export function analyticsCache(): Promise<Cache> {
  cacheP ??= (async () =>
    createCache({
      redisUrl: readSecret(redisUrl),
      namespace: `warroom:${await databaseName()}`,
      onError: (err) => log.warn("analytics cache failure: reading from the database", { error: err.message }),
    }))();
  cacheP.catch(() => (cacheP = undefined));
  return cacheP;
}
