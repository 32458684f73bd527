// What operators watch on integrations (exported at /metrics): provider errors and circuit states.
import { CounterGroup, GaugeGroup } from "encore.dev/metrics";

/** Failed provider calls, by provider and kind ("timeout", "network", "http_4xx", "http_5xx", "http_429"). */
export const providerErrors = new CounterGroup<{ provider: string; kind: string }>("integrations_provider_errors");
/** Each provider's circuit in this process: 0 closed, 1 half-open, 2 open. */
export const circuitState = new GaugeGroup<{ provider: string }>("integrations_circuit_state");

export const CIRCUIT_VALUE = { closed: 0, half_open: 1, open: 2 } as const;

/** The error kind of a failed call (null when the call succeeded). */
export function errorKind(status: number | null, error: string | null): string | null {
  if (status === null) return error === null ? null : /timed? ?out|timeout/i.test(error) ? "timeout" : "network";
  if (status === 429) return "http_429";
  if (status >= 500) return "http_5xx";
  if (status >= 400) return "http_4xx";
  return null;
}
