// Durable Pub/Sub on Postgres (see host/pubsub/README.md for the design).
export { PubSub, type Delivery, type SubscriptionConfig } from "./engine.ts";
