import { Service } from "encore.dev/service";

// analytics: hourly/daily rollups kept live from the stream, reports and PDF export.
export default new Service("analytics");
