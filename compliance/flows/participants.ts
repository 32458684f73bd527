// The services that take part in retention and erasure (the contract is shared/retention.ts): the
// ONE list compliance fans out to. A service joins with one line here once its internal.ts has
// `purgeRetention` (POST /internal/<service>/retention/purge) and/or `eraseUserData`
// (POST /internal/<service>/erasure).
import { alerting, analytics, auth, campaigns, compliance, intelligence, monitoring } from "~encore/clients";
import type { ErasureRequest, ErasureResult, PurgeRequest, PurgeResult } from "../../shared/retention";

export interface Participant {
  service: string;
  /** Purges the data classes this service owns (shared/retention.ts DATA_CLASS_OWNER). */
  purge?: (req: PurgeRequest) => Promise<PurgeResult>;
  /** Erases one person. */
  erase?: (req: ErasureRequest) => Promise<ErasureResult>;
  /** Holds the person's identity (email) that others look up while erasing: erased only after every other service is done. */
  identity?: boolean;
}

export const PARTICIPANTS: readonly Participant[] = [
  { service: "auth", erase: (r) => auth.eraseUserData(r), identity: true },
  { service: "campaigns", erase: (r) => campaigns.eraseUserData(r) },
  { service: "monitoring", purge: (r) => monitoring.purgeRetention(r), erase: (r) => monitoring.eraseUserData(r) },
  { service: "alerting", purge: (r) => alerting.purgeRetention(r), erase: (r) => alerting.eraseUserData(r) },
  { service: "compliance", purge: (r) => compliance.purgeRetention(r), erase: (r) => compliance.eraseUserData(r) },
  { service: "intelligence", purge: (r) => intelligence.purgeRetention(r), erase: (r) => intelligence.eraseUser(r) },
  { service: "analytics", purge: (r) => analytics.purgeAnalytics(r), erase: (r) => analytics.eraseAnalyticsUser(r) },
];

export function participant(service: string): Participant | undefined {
  return PARTICIPANTS.find((p) => p.service === service);
}

/** The services an erasure request fans out to. */
export const ERASURE_SERVICES: readonly string[] = PARTICIPANTS.filter((p) => p.erase).map((p) => p.service);
