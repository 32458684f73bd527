// Secrets bound through an enclosing declaration, outside any service.
import { secret } from "encore.dev/config";

export const keys = {
  stripe: secret("StripeKey"),
  nested: { webhook: secret("WebhookSecret") },
};
