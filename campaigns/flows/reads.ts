// campaigns' hot reads through the shared cache: a campaign by id, each user's lists, each
// membership (other services ask for it on every campaign-scoped call).
//
// Invalidation is by generation: every cached key carries the current value of one counter, and
// every write bumps it (writes are people editing campaigns: rare; reads are dashboards: hot). A
// reader that loaded a row just before a write stores it under the old generation, which nobody
// reads any more, so no process can see a value older than the last committed write.
import { isUuid } from "../../shared/ids";
import type { Cache } from "../../shared/cache";
import type { CampaignStatus } from "../domain/campaign";
import type { AdDayRow } from "../domain/metrics";
import type { Campaign, CampaignAccessResponse } from "../model";
import { campaignsCache } from "../secrets";
import * as store from "../store";

const GENERATION_KEY = "generation";
// The counter outlives every entry by far, so when it expires (and restarts at 1) no entry of an
// earlier generation 1 can still be alive.
const GENERATION_TTL_SECONDS = 24 * 3600;
const ENTRY_TTL_SECONDS = 60;

async function generation(cache: Cache): Promise<number | undefined> {
  const current = await cache.get<number>(GENERATION_KEY);
  if (typeof current === "number") return current;
  // Absent (first use, expired) or unreadable: start a generation rather than trust any older key.
  // undefined again means the cache is down: read the database directly.
  return cache.incr(GENERATION_KEY, GENERATION_TTL_SECONDS);
}

async function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  const cache = await campaignsCache();
  const gen = await generation(cache);
  if (gen === undefined) return load();
  return cache.getOrLoad(`g${gen}:${key}`, ENTRY_TTL_SECONDS, load);
}

/** Makes every cached read stale. Call after each committed write. */
export async function invalidate(): Promise<void> {
  const cache = await campaignsCache();
  await cache.incr(GENERATION_KEY, GENERATION_TTL_SECONDS);
}

/** One campaign, or null (also for an id that is not a UUID: no such campaign can exist). */
export function campaign(id: string): Promise<Campaign | null> {
  if (!isUuid(id)) return Promise.resolve(null);
  return cached(`campaign:${id}`, () => store.getCampaign(id));
}

/** Whether the campaign exists and the user's membership role on it. */
export function access(campaignId: string, userId: string): Promise<CampaignAccessResponse> {
  if (!isUuid(campaignId)) return Promise.resolve({ exists: false, memberRole: null });
  return cached(`access:${campaignId}:${userId}`, () => store.accessOf(campaignId, userId));
}

/** One page of the campaigns `memberId` sees (null: every campaign, for admins). */
export function campaigns(
  memberId: string | null,
  status: CampaignStatus | undefined,
  limit: number,
  offset: number,
): Promise<{ campaigns: Campaign[]; total: number }> {
  return cached(`list:${memberId ?? "*"}:${status ?? "*"}:${limit}:${offset}`, () => store.listCampaigns({ memberId, status }, limit, offset));
}

/** A campaign's linked accounts and their stored days within [first, last] (insights). */
export function adFigures(campaignId: string, first: string, last: string): Promise<{ accounts: store.AdAccountRow[]; rows: AdDayRow[] }> {
  return cached(`ads:${campaignId}:${first}:${last}`, async () => {
    const [accounts, rows] = await Promise.all([store.listAdAccounts(campaignId), store.adDays(campaignId, first, last)]);
    return { accounts, rows };
  });
}
