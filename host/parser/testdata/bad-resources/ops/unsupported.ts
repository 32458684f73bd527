import { api } from "encore.dev/api";
import { Counter, Gauge } from "encore.dev/metrics";
import { Bucket } from "encore.dev/storage/objects";
import { CacheCluster } from "encore.dev/storage/cache";

export const hits = new Counter("hits");
export const hitsAgain = new Gauge("hits");

export const files = new Bucket("files");
export const cache = new CacheCluster("cache");

export const noDir = api.static({ expose: true, path: "/files/*path", dir: "./nowhere" });
export const midWildcard = api.static({ expose: true, path: "/a/:x/b", dir: "./public" });
export const badNotFound = api.static({ expose: true, path: "/c/*path", dir: "./public", notFound: "./missing.html" });
