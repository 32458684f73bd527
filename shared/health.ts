// Health of one service: whether its database answers and its migrations are applied.
// Every service exposes this through an internal `health` endpoint; monitoring's /api/v1/status
// gathers them.
import type { SQLDatabase } from "encore.dev/storage/sqldb";

/** The state of a service's database. */
export interface DatabaseHealth {
  reachable: boolean;
  /** The newest applied migration, as recorded in schema_migrations. */
  migrationVersion: number | null;
  /** True when the recorded migration is clean (not dirty). */
  migrationsApplied: boolean;
  latencyMs: number;
  error?: string;
}

/** A third-party provider as the service calling it sees it (integrations fills these). */
export interface ProviderHealth {
  name: string;
  /** False when its credentials are missing: its endpoints answer 503. */
  configured: boolean;
  /** The circuit breaker: open means calls fail fast until a trial succeeds. */
  circuit: "closed" | "open" | "half_open";
  consecutiveFailures: number;
  lastError: string | null;
  /** Attempts in the last hour and how many failed (from the call log). */
  callsLastHour: number;
  failuresLastHour: number;
}

/** The health of one service. */
export interface ServiceHealth {
  name: string;
  healthy: boolean;
  /** null for a service that owns no database. */
  database: DatabaseHealth | null;
  error?: string;
  /** Third-party providers this service depends on (integrations only). */
  providers?: ProviderHealth[];
}

/** Checks a service's database (null: the service owns none). Never throws. */
export async function serviceHealth(name: string, db: SQLDatabase | null): Promise<ServiceHealth> {
  if (!db) return { name, healthy: true, database: null };
  const started = performance.now();
  try {
    const row = await db.queryRow<{ version: number; dirty: boolean }>`SELECT version, dirty FROM schema_migrations LIMIT 1`;
    const database: DatabaseHealth = {
      reachable: true,
      migrationVersion: row?.version ?? null,
      migrationsApplied: row !== null && !row.dirty,
      latencyMs: Math.round(performance.now() - started),
    };
    return { name, healthy: database.migrationsApplied, database };
  } catch (err) {
    const database: DatabaseHealth = {
      reachable: false,
      migrationVersion: null,
      migrationsApplied: false,
      latencyMs: Math.round(performance.now() - started),
      error: err instanceof Error ? err.message : String(err),
    };
    return { name, healthy: false, database };
  }
}

/** Overall status: healthy only when every service is. */
export function overallStatus(services: ServiceHealth[]): "healthy" | "degraded" {
  return services.every((s) => s.healthy) ? "healthy" : "degraded";
}
