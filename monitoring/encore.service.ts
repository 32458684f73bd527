import { Service } from "encore.dev/service";
import "./startup";

// monitoring: monitoring configs, the mention pipeline, live streams, crisis detection and /api/v1/status.
export default new Service("monitoring");
