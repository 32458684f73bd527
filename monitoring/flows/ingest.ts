// The ingest pipeline, the one path every mention takes (public ingest, pollers, the demo feed):
// check and clean the batch, score sentiment the source did not give, store it in one statement
// (duplicates skipped by the database), then publish the accepted mentions as ONE data-stream
// message. If that publish fails the batch's rows are taken back and the caller told to retry, so
// a stored mention is always one the stream and the detector will see.
import { APIError } from "encore.dev/api";
import log from "encore.dev/log";
import { checkBatch, type IncomingMention } from "../domain/mentions";
import { uuidv7 } from "../../shared/ids";
import { dataStream, type MentionBatchData, type StreamMention, type StreamPriority } from "../events";
import type { IngestResponse, SentimentPolicy } from "../model";
import * as store from "../store";
import { mentionsDuplicate, mentionsIngested } from "../metrics";

/** A negative mention reaching this many people makes its batch "medium" priority. */
const LOUD_REACH = 100_000;
const NEGATIVE = -0.5;

function toStreamMention(m: store.NewMention): StreamMention {
  const s: StreamMention = {
    mentionId: m.mentionId,
    id: m.sourceId,
    text: m.text,
    author: m.author,
    platform: m.platform,
    url: m.url,
    sentiment: m.sentiment,
    sentimentSource: m.sentimentScored ? "lexicon" : "source",
    reach: m.reach,
    engagement: m.engagement,
    timestamp: m.timestamp.toISOString(),
  };
  if (m.location !== null) s.location = m.location;
  if (m.language !== null) s.language = m.language;
  return s;
}

function batchPriority(mentions: StreamMention[]): StreamPriority {
  return mentions.some((m) => m.sentiment <= NEGATIVE && m.reach >= LOUD_REACH) ? "medium" : "low";
}

/** Ingests a batch for a campaign the caller has already been checked against. */
export async function ingestMentions(campaignId: string, batch: readonly IncomingMention[], policy: SentimentPolicy): Promise<IngestResponse> {
  const now = Date.now();
  const checked = checkBatch(batch, now, policy);
  if (!checked.ok) throw APIError.invalidArgument(checked.message);
  const batchId = uuidv7(now);
  // Each cleaned mention gets its id in place (a batch is 1000 objects: no copies).
  const rows = checked.mentions as store.NewMention[];
  for (const m of rows) m.mentionId = uuidv7(now);
  const inserted = await store.insertMentions(campaignId, batchId, rows);
  const duplicates = batch.length - inserted.accepted;
  if (duplicates > 0) mentionsDuplicate.increment(duplicates);
  if (inserted.accepted === 0) return { accepted: 0, duplicates };

  let accepted = rows;
  if (inserted.acceptedIds !== null) {
    const fresh = new Set(inserted.acceptedIds);
    accepted = rows.filter((r) => fresh.has(r.mentionId));
  }
  const mentions = accepted.map(toStreamMention);
  mentions.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
  const data: MentionBatchData = { kind: "mentions", batchId, mentions };
  try {
    await dataStream.publish({ type: "MENTION", campaignId, timestamp: inserted.ingestedAt, data, priority: batchPriority(mentions) });
  } catch (err) {
    log.error("a mention batch could not be published: taking it back", { campaignId, batchId, error: err instanceof Error ? err.message : String(err) });
    await store.deleteBatch(batchId).catch((e: unknown) =>
      log.error("a mention batch that was not published could not be taken back: its mentions will be missing from streams and detection", {
        campaignId,
        batchId,
        error: e instanceof Error ? e.message : String(e),
      }),
    );
    throw APIError.unavailable("the batch could not be handed to the data stream; nothing was kept, send it again");
  }
  mentionsIngested.increment(inserted.accepted);
  return { accepted: inserted.accepted, duplicates };
}
