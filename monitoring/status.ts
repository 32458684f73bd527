import { api } from "encore.dev/api";
import { alerting, analytics, auth, campaigns, compliance, integrations, intelligence, monitoring, users } from "~encore/clients";
import { overallStatus, type ServiceHealth } from "../shared/health";
import type { StatusResponse } from "./model";

const CHECK_TIMEOUT_MS = 2000;

// Each service's internal health endpoint, by name.
const checks: Record<string, () => Promise<ServiceHealth>> = {
  auth: () => auth.health(),
  users: () => users.health(),
  campaigns: () => campaigns.health(),
  monitoring: () => monitoring.health(),
  intelligence: () => intelligence.health(),
  alerting: () => alerting.health(),
  integrations: () => integrations.health(),
  analytics: () => analytics.health(),
  compliance: () => compliance.health(),
};

// A service that does not answer in time, or fails, is reported unhealthy rather than failing the status.
async function check(name: string, probe: () => Promise<ServiceHealth>): Promise<ServiceHealth> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([probe(), timeout]);
  } catch (err) {
    return { name, healthy: false, database: null, error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

// getSystemStatus reports each service's health (database reachable, migrations applied). Public.
export const getSystemStatus = api({ expose: true, method: "GET", path: "/api/v1/status" }, async (): Promise<StatusResponse> => {
  const services = await Promise.all(Object.entries(checks).map(([name, probe]) => check(name, probe)));
  return { status: overallStatus(services), services, checkedAt: new Date() };
});
