import { api } from "encore.dev/api";
import { secret } from "encore.dev/config";
import { Topic } from "encore.dev/pubsub";

interface Msg {
  id: string;
}

export function makeTopic() {
  return new Topic<Msg>("inside", { deliveryGuarantee: "at-least-once" });
}

export function readKey() {
  const key = secret("Inner");
  return key();
}

export function register() {
  return api({ path: "/registered" }, async (): Promise<void> => {});
}

const topicName = "dynamic";
export const dyn = new Topic<Msg>(topicName, { deliveryGuarantee: "at-least-once" });
