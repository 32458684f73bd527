// integrations' internal endpoints (expose: false), for other services and cron jobs.
import { api } from "encore.dev/api";
import { sendOnce } from "./messages";
import type { SendMessageRequest, SendMessageResponse } from "./model";

// sendMessage sends an SMS or WhatsApp message once per idempotencyKey (for alerting's deliveries); a repeat returns the first send's sid.
export const sendMessage = api(
  { expose: false, method: "POST", path: "/internal/integrations/messages" },
  (req: SendMessageRequest): Promise<SendMessageResponse> => sendOnce(req),
);
