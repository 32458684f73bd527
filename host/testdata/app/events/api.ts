import { api } from "encore.dev/api";
import { greetings } from "./topics";

interface GreetRequest {
  name: string;
  failTimes?: number;
}

interface GreetResponse {
  messageId: string;
}

// greet publishes a Greeting; it resolves once the message is stored.
export const greet = api(
  { expose: true, method: "POST", path: "/events/greet" },
  async (req: GreetRequest): Promise<GreetResponse> => ({
    messageId: await greetings.publish({ name: req.name, at: new Date("2024-05-01T10:00:00Z"), failTimes: req.failTimes ?? 0 }),
  }),
);
