import { secret } from "encore.dev/config";

export const stripeKey = secret("StripeKey");
const slack = secret("SlackWebhook");
void slack;
