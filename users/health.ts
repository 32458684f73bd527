import { api } from "encore.dev/api";
import { serviceHealth, type ServiceHealth } from "../shared/health";

// health reports whether users's database answers and its migrations are applied (for /api/v1/status).
export const health = api({ expose: false, method: "GET", path: "/internal/users/health" }, (): Promise<ServiceHealth> => serviceHealth("users", null));
