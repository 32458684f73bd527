import { Subscription, Topic } from "encore.dev/pubsub";

interface Event {
  id: string;
}

const notATopic = { name: "x" } as unknown as Topic<Event>;
const handler = async (e: Event) => {
  void e;
};

export const lost = new Subscription(notATopic, "lost", { handler: handler });
