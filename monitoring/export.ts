// The mentions CSV export: GET /api/v1/monitoring/mentions/csv?campaignId&<the list's filters>.
// The same access rule as the list (monitoring:read on the campaign, else 403/404), the same
// filters (domain/filters.ts; any other query parameter is a 400), every matching mention
// streamed newest first in pages, times in the campaign's time zone (UTC when it has none).
import { api, APIError } from "encore.dev/api";
import { campaigns } from "~encore/clients";
import { campaignTimeZone, formatInZone, safeFileName, type CsvValue } from "../shared/csv";
import { streamCsv } from "../shared/csv-stream";
import { campaignCaller } from "./access";
import { MENTION_FILTER_PARAMS, filtersFromQuery, unknownParams, type MentionFilter } from "./domain/filters";
import type { StoredMention } from "./model";
import { mentionFilter } from "./flows/reports";
import * as store from "./store";

/** Rows read per query while streaming. */
const PAGE = 1000;

const MENTIONS_CSV_HEADER = [
  "mentionId",
  "sourceId",
  "timestamp",
  "platform",
  "author",
  "text",
  "url",
  "sentiment",
  "sentimentSource",
  "language",
  "location",
  "reach",
  "engagement",
  "ingestedAt",
];

function row(m: StoredMention, zone: string): CsvValue[] {
  return [
    m.mentionId,
    m.id,
    formatInZone(m.timestamp, zone),
    m.platform,
    m.author,
    m.text,
    m.url,
    m.sentiment,
    m.sentimentSource,
    m.language ?? "",
    m.location ?? "",
    m.reach,
    m.engagement,
    formatInZone(m.ingestedAt, zone),
  ];
}

async function* pages(campaignId: string, filter: MentionFilter, zone: string): AsyncGenerator<CsvValue[][]> {
  yield [MENTIONS_CSV_HEADER];
  let after: { timestamp: Date; mentionId: string } | null = null;
  for (;;) {
    const mentions = await store.listMentions([campaignId], filter, after, PAGE);
    yield mentions.map((m) => row(m, zone));
    if (mentions.length < PAGE) return;
    const last = mentions[mentions.length - 1];
    after = { timestamp: last.timestamp, mentionId: last.mentionId };
  }
}

// exportMentionsCsv streams a campaign's mentions matching the list's filters as CSV, in the campaign's time zone (monitoring:read).
export const exportMentionsCsv = api.raw({ expose: true, auth: true, method: "GET", path: "/api/v1/monitoring/mentions/csv" }, async (req, resp) => {
  const params = new URL(req.url ?? "/", "http://localhost").searchParams;
  const unknown = unknownParams(params, ["campaignId", ...MENTION_FILTER_PARAMS]);
  if (unknown.length > 0) throw APIError.invalidArgument(`unknown query parameter ${unknown.map((u) => `"${u}"`).join(", ")}`);
  const campaignId = params.get("campaignId") ?? "";
  if (campaignId === "" || params.getAll("campaignId").length > 1) throw APIError.invalidArgument("campaignId is required, once");
  await campaignCaller(campaignId, "read");
  const raw = filtersFromQuery(params);
  if (!raw.ok) throw APIError.invalidArgument(raw.message);
  const filter = await mentionFilter([campaignId], raw.raw);
  const campaign = await campaigns.getCampaignForService({ campaignId });
  const zone = campaignTimeZone(campaign);
  const day = formatInZone(new Date(), zone).slice(0, 10);
  await streamCsv(resp, `${safeFileName(campaign.name, "campaign")}-mentions-${day}.csv`, pages(campaignId, filter, zone));
});
