import { Service } from "encore.dev/service";

// alerting: alerts and their per-channel deliveries (SMS, WhatsApp, email, Slack).
export default new Service("alerting");
