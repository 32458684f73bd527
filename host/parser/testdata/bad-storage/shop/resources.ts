import { Bucket } from "encore.dev/storage/objects";
import { CacheCluster } from "encore.dev/storage/cache";
import { Counter, Gauge } from "encore.dev/metrics";

export const files = new Bucket("files", { public: true });
export const Bad = new Bucket("Bad_Name");
export const ghost = Bucket.named("ghost");
export const cache = new CacheCluster("main");
export const orders = new Counter("orders");
export const ordersAgain = new Gauge("orders");
export const badMetric = new Counter("orders-total");
export const files2 = new Bucket("files");
