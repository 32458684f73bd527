import { Service } from "encore.dev/service";

// integrations: clients for Mentionlytics, Meta, Google Ads and Twilio, with their call log and circuit state.
export default new Service("integrations");
