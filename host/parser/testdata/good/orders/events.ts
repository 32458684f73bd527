import { Topic, type Attribute } from "encore.dev/pubsub";
import type { Decimal } from "encore.dev/types";

export interface OrderPlaced {
  orderId: string;
  customerId: Attribute<string>;
  total: Decimal;
  placedAt: Date;
}

// 'order-placed' is published when an order is placed.
export const orderPlaced = new Topic<OrderPlaced>("order-placed", {
  deliveryGuarantee: "at-least-once",
  orderingAttribute: "customerId",
});
