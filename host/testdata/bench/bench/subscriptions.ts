import { Subscription } from "encore.dev/pubsub";
import { benchEvents } from "./events";
import { broadcast } from "./hub";

// relay-bench-events hands each published event to the streams open in this process. One
// process holds every stream here; several processes would need a bus between them (Redis).
export const relayBenchEvents = new Subscription(benchEvents, "relay-bench-events", {
  handler: async (event) => broadcast(event),
});
