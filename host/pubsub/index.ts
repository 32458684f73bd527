// Durable Pub/Sub on Postgres (see host/pubsub/README.md for the design).
export type { SubscriptionStats } from "./messagestore.ts";
export { PubSub, type PubSubOptions, type DeadLetter, type Delivery, type Handler, type Logger, type SubscriptionConfig } from "./engine.ts";
export { backoffMs, isExhausted, type RetryPolicy } from "./policy.ts";
