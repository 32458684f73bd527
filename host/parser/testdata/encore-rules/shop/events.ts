import { Topic } from "encore.dev/pubsub";

interface Created {
  kind: "created";
  id: string;
}

interface Deleted {
  kind: "deleted";
  id: string;
  reason: string;
}

// A union message type, as Encore accepts.
export const changes = new Topic<(Created | Deleted) & { at: string }>("shop-changes", { deliveryGuarantee: "at-least-once" });
