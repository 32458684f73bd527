import { Service } from "encore.dev/service";

// campaigns: campaigns, their members, keywords, alert contacts and ad-account links.
export default new Service("campaigns");
