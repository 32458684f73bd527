import { Topic } from "encore.dev/pubsub";

// BenchEvent is one event of the fan-out benchmark.
export interface BenchEvent {
  // seq numbers the events of one run, from 0.
  seq: number;
  // sentAt is when the event was published, in ms since the epoch (the receiver's clock is the same machine's).
  sentAt: number;
}

// 'bench-events' carries the events that every open event stream receives.
export const benchEvents = new Topic<BenchEvent>("bench-events", { deliveryGuarantee: "at-least-once" });
