// What each campaign's rollups track, from monitoring's configuration: keywords and competitors
// (term rollups) and named influencers (author rollups). The live path reads a copy refreshed every
// TARGETS_TTL_MS; the nightly finalisation reads it fresh (a change is picked up, drift repaired).
import { monitoring } from "~encore/clients";
import type { Targets } from "../domain/rollup";

const TARGETS_TTL_MS = 30_000;
const NONE: Targets = { keywords: [], competitors: [], influencers: [] };

let memo: { at: number; byCampaign: Promise<Map<string, Targets>> } | undefined;

function load(): Promise<Map<string, Targets>> {
  return monitoring
    .listMonitoringConfigs()
    .then(({ configs }) => new Map(configs.map((c) => [c.campaignId, { keywords: c.keywords, competitors: c.competitors, influencers: c.influencers }])));
}

/** The campaign's targets (none when it has no monitoring configuration). */
export async function targetsFor(campaignId: string, fresh = false): Promise<Targets> {
  const now = Date.now();
  if (fresh || !memo || now - memo.at > TARGETS_TTL_MS) {
    const byCampaign = load();
    memo = { at: now, byCampaign };
    byCampaign.catch(() => (memo = undefined));
  }
  return (await memo.byCampaign).get(campaignId) ?? NONE;
}
