import { api } from "encore.dev/api";
import { benchEvents } from "./events";

interface PublishRequest {
  // seq is the event's number in the benchmark run.
  seq: number;
}

interface Published {
  messageId: string;
  // sentAt is the timestamp the event carries (ms since the epoch).
  sentAt: number;
}

// publishEvent publishes one bench event, stamped with the time it is published.
export const publishEvent = api({ expose: true, method: "POST", path: "/events" }, async ({ seq }: PublishRequest): Promise<Published> => {
  const sentAt = Date.now();
  const messageId = await benchEvents.publish({ seq, sentAt });
  return { messageId, sentAt };
});
