import { api } from "encore.dev/api";
import { serviceHealth, type ServiceHealth } from "../shared/health";
import { db } from "./db";

// health reports whether campaigns's database answers and its migrations are applied (for /api/v1/status).
export const health = api({ expose: false, method: "GET", path: "/internal/campaigns/health" }, (): Promise<ServiceHealth> => serviceHealth("campaigns", db));
