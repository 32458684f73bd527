// Durable Pub/Sub on Postgres (see README.md for the design).
export type { SubscriptionStats } from "./store.ts";
export { PubSub, type PubSubOptions, type DeadLetter, type Delivery, type Handler, type Logger, type SubscriptionConfig } from "./pubsub.ts";
export { backoffMs, isExhausted, type RetryPolicy } from "./policy.ts";
