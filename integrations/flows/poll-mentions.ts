// The pollers: for each active campaign, fetch what is new from Mentionlytics and hand it to
// monitoring's ingest. Exactly-once per mention: the cursor (domain/mentions advance) moves only
// after monitoring accepted the batch, and monitoring dedups by (platform, id), so a crash between
// ingest and cursor update re-sends at most one batch that monitoring then ignores. A lease per
// (provider, campaign) keeps two processes from polling one feed at the same time.
import log from "encore.dev/log";
import { advance, matchesKeywords, type MentionCursor, type TrackedMention } from "../domain/mentions";
import { batches, pollWindow } from "../domain/poll";
import type { Mention } from "../model";
import type { MentionlyticsClient } from "../clients/mentionlytics";
import * as store from "../store";

/** An active campaign as the pollers need it. */
export interface PollCampaign {
  id: string;
  keywords: string[];
  /** Seconds between polls (monitoring's refreshInterval). */
  refreshSeconds: number;
}

/** Where new mentions go (monitoring's internal ingest); returns how many were new. */
export type MentionSink = (campaignId: string, mentions: Mention[]) => Promise<{ accepted: number; duplicates: number }>;

/** What one poll of one campaign did. */
export interface PollResult {
  campaignId: string;
  polled: boolean;
  fetched: number;
  delivered: number;
  error?: string;
}

/** How long a poller may hold a feed before another process may take it over. */
const LEASE_MS = 2 * 60_000;

/** Polls Mentionlytics for one campaign if it is due; never throws (a failure leaves the cursor where it was). */
export async function pollMentionlytics(client: MentionlyticsClient, campaign: PollCampaign, sink: MentionSink, now = new Date()): Promise<PollResult> {
  const result: PollResult = { campaignId: campaign.id, polled: false, fetched: 0, delivered: 0 };
  // A little under the interval, so a poll scheduled exactly on time is not skipped by clock jitter.
  if (!(await store.leaseFeed("mentionlytics", campaign.id, campaign.refreshSeconds * 1000 - 500, LEASE_MS))) return result;
  result.polled = true;
  try {
    let cursor = await store.getCursor<MentionCursor>("mentionlytics", campaign.id);
    const { mentions } = await client.mentions(pollWindow(cursor?.at ?? null, now));
    result.fetched = mentions.length;
    const relevant = mentions.filter((m) => m.text.trim() !== "" && matchesKeywords(m, campaign.keywords));
    const { fresh } = advance(cursor, relevant);
    // Deliver oldest first, one batch at a time, moving the cursor after each accepted batch.
    for (const batch of batches(fresh)) {
      await sink(campaign.id, batch.map(toIngest));
      cursor = advance(cursor, batch).cursor;
      await store.moveCursor("mentionlytics", campaign.id, cursor);
      result.delivered += batch.length;
    }
    await store.finishPoll("mentionlytics", campaign.id, cursor);
    return result;
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
    log.warn("integrations: Mentionlytics poll failed; the next run retries the same window", { campaignId: campaign.id, error: result.error });
    await store.abandonPoll("mentionlytics", campaign.id).catch(() => undefined);
    return result;
  }
}

/** A mention within monitoring's ingest limits (text ≤ 5000, names ≤ 255, http(s) URLs only). */
export function toIngest(m: TrackedMention): Mention {
  const { tracker: _tracker, ...mention } = m;
  const out: Mention = {
    ...mention,
    id: mention.id.slice(0, 255),
    text: mention.text.slice(0, 5000),
    author: mention.author.slice(0, 255),
    platform: mention.platform.slice(0, 100),
    url: /^https?:\/\//i.test(mention.url) && mention.url.length <= 2048 ? mention.url : "",
    language: mention.language.slice(0, 10),
  };
  if (mention.location !== undefined) out.location = mention.location.slice(0, 255);
  return out;
}
