import { api } from "encore.dev/api";
import { serviceHealth, type ProviderHealth, type ServiceHealth } from "../shared/health";
import { db } from "./db";
import { configured, localCircuit, PROVIDERS } from "./flows/providers";
import * as store from "./store";

// health reports integrations's database and each provider's configuration, circuit and recent calls (for /api/v1/status).
// A provider's open circuit does not make the service unhealthy: its endpoints degrade to 503 on their own.
export const health = api({ expose: false, method: "GET", path: "/internal/integrations/health" }, async (): Promise<ServiceHealth> => {
  const base = await serviceHealth("integrations", db);
  if (!base.database?.reachable) return base;
  try {
    const [saved, stats] = await Promise.all([store.loadCircuits(), store.callStats(new Date(Date.now() - 3600_000))]);
    const isConfigured = configured();
    const providers: ProviderHealth[] = PROVIDERS.map((name) => {
      const circuit = localCircuit(name) ?? saved.get(name) ?? null;
      const s = stats.get(name);
      return {
        name,
        configured: isConfigured[name],
        circuit: circuit?.state ?? "closed",
        consecutiveFailures: circuit?.consecutiveFailures ?? 0,
        lastError: circuit?.lastError ?? null,
        callsLastHour: s?.calls ?? 0,
        failuresLastHour: s?.failures ?? 0,
      };
    });
    return { ...base, providers };
  } catch (err) {
    return { ...base, error: err instanceof Error ? err.message : String(err) };
  }
});
