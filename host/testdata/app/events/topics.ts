import { Topic } from "encore.dev/pubsub";

export interface Greeting {
  name: string;
  at: Date;
  /** How many deliveries the store's handler fails before succeeding. */
  failTimes: number;
}

// 'greetings' carries a Greeting to the store's two subscriptions.
export const greetings = new Topic<Greeting>("greetings", { deliveryGuarantee: "at-least-once" });
