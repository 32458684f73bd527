// The nightly finalisation (and the admin backfill): a campaign's day is recomputed from monitoring's
// own tables through its internal endpoint and replaces the live rollups, repairing any drift (a
// missed or late event, a configuration change). Safe to run twice: the second run finds the same
// figures and changes nothing. A live batch landing during a run makes that day retry.
import log from "encore.dev/log";
import { campaigns, monitoring } from "~encore/clients";
import { allTerms, fromDayFigures, INFLUENCER_REACH, NEUTRAL_BAND_MILLI, normaliseTerms, TOP_PER_DAY } from "../domain/rollup";
import type { AggregationResult } from "../model";
import * as store from "../store";
import { targetsFor } from "./targets";

const ATTEMPTS = 3;
const DAY_MS = 86_400_000;

/** Re-computes one campaign's UTC day; "replaced" when the live figures were wrong. */
export async function finaliseDay(campaignId: string, date: string): Promise<store.ReplaceOutcome> {
  for (let attempt = 1; ; attempt++) {
    const version = await store.liveVersion(campaignId, date);
    const targets = await targetsFor(campaignId, true);
    const figures = await monitoring.getDayAggregates({
      campaignId,
      date,
      terms: allTerms(targets),
      influencers: normaliseTerms(targets.influencers),
      influencerReach: INFLUENCER_REACH,
      neutralBand: NEUTRAL_BAND_MILLI / 1000,
      topLimit: TOP_PER_DAY,
    });
    const day = fromDayFigures(figures, targets);
    const crises = figures.crises.map((c) => ({ crisisId: c.id, type: c.type, severity: c.severity, openedAt: c.openedAt }));
    const outcome = await store.replaceDay(campaignId, day, crises, figures.batchIds, version);
    if (outcome !== "moved") return outcome;
    if (attempt >= ATTEMPTS) throw new Error(`live batches kept arriving for ${date} during ${ATTEMPTS} attempts`);
  }
}

/** The days from first to last (inclusive, YYYY-MM-DD). */
export function daysBetween(first: string, last: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** Finalises each day for the campaigns (or every active campaign and every campaign with figures on those days). */
export async function finaliseDays(first: string, last: string, campaignId?: string): Promise<AggregationResult> {
  const days = daysBetween(first, last);
  let ids: string[];
  if (campaignId) ids = [campaignId];
  else {
    const [active, withData] = await Promise.all([campaigns.listActiveCampaigns(), store.campaignsWithData(first, last, 100_000)]);
    ids = [...new Set([...active.campaigns.map((c) => c.id), ...withData])].sort();
  }
  const result: AggregationResult = { campaigns: ids.length, days: days.length, repaired: 0, failed: 0 };
  for (const id of ids) {
    for (const date of days) {
      try {
        if ((await finaliseDay(id, date)) === "replaced") result.repaired++;
      } catch (err) {
        result.failed++;
        log.error("a campaign's day could not be finalised; the next run retries it", {
          campaignId: id,
          date,
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
  }
  return result;
}
