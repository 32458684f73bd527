import { api } from "encore.dev/api";
import type { BenchEvent } from "./events";
import { listen, listenerCount } from "./hub";

// eventStream sends every bench event to the client for as long as it stays connected.
export const eventStream = api.streamOut<BenchEvent>(
  { expose: true, auth: false, path: "/events/stream" },
  (stream) =>
    // A streamOut handler learns that its client left only from a send that throws: then it stops listening and ends.
    new Promise<void>((resolve) => {
      const stop = listen(async (event) => {
        try {
          await stream.send(event);
        } catch {
          stop();
          resolve();
        }
      });
    }),
);

interface SubscriberCount {
  // count is the number of event streams listening in this process.
  count: number;
}

// subscriberCount tells the benchmark when every client's stream is listening.
export const subscriberCount = api(
  { expose: true, method: "GET", path: "/events/subscribers" },
  async (): Promise<SubscriberCount> => ({ count: listenerCount() }),
);
