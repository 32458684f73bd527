// An analytics report as CSV rows: the report's tables one after the other (a title row, a header
// row, the rows, a blank row), as spreadsheet exports of analytics usually are. Times in the
// campaign's time zone (the buckets themselves are UTC hours or days: the rollups are). Pure.
import { formatInZone, type CsvValue } from "../../shared/csv";
import type { AnalyticsReport } from "../model";

export function reportCsvRows(r: AnalyticsReport, zone: string): CsvValue[][] {
  const t = (d: Date) => formatInZone(d, zone);
  const s = r.summary;
  const rows: CsvValue[][] = [
    ["War Room analytics report", r.campaignName],
    ["campaignId", r.campaignId],
    ["start", t(r.dateRange.start)],
    ["end", t(r.dateRange.end)],
    ["granularity", `${r.granularity} (UTC ${r.granularity === "hour" ? "hours" : "days"})`],
    ["timeZone", zone],
    ["generatedAt", t(r.generatedAt)],
    [],
    ["Summary"],
    ["metric", "value"],
    ["totalMentions", s.totalMentions],
    ["averageSentiment", s.averageSentiment],
    ["positiveMentions", s.positiveMentions],
    ["neutralMentions", s.neutralMentions],
    ["negativeMentions", s.negativeMentions],
    ["totalReach", s.totalReach],
    ["totalEngagement", s.totalEngagement],
    ["engagementRate", s.engagementRate],
    ["crisisEvents", s.crisisEvents],
    ["growthRate", s.growthRate],
    ["previousPeriodMentions", s.previousPeriodMentions],
    ["topKeywords", s.topKeywords.join(", ")],
    [],
    ["Trend"],
    ["date", "mentions", "reach", "engagement", "averageSentiment", "positive", "neutral", "negative"],
  ];
  const sentimentAt = new Map(r.sentimentAnalysis.map((p) => [p.date.getTime(), p]));
  for (const p of r.mentionTrends) {
    const q = sentimentAt.get(p.date.getTime());
    rows.push([t(p.date), p.mentions, p.reach, p.engagement, q?.averageSentiment ?? null, q?.positive ?? null, q?.neutral ?? null, q?.negative ?? null]);
  }
  rows.push([], ["Platforms"], ["platform", "mentions", "share", "averageSentiment", "reach", "engagement"]);
  for (const p of r.platformBreakdown) rows.push([p.platform, p.mentions, p.share, p.averageSentiment, p.reach, p.engagement]);
  rows.push([], ["Keywords"], ["keyword", "mentions", "averageSentiment", "reach"]);
  for (const k of r.keywordPerformance) rows.push([k.keyword, k.mentions, k.averageSentiment, k.reach]);
  if (r.competitorComparison.length > 0) {
    rows.push([], ["Competitors"], ["competitor", "mentions", "shareOfVoice", "averageSentiment", "reach", "engagement", "positive", "negative"]);
    for (const c of r.competitorComparison)
      rows.push([c.competitor, c.mentions, c.shareOfVoice, c.averageSentiment, c.reach, c.engagement, c.positive, c.negative]);
  }
  if (r.influencerPerformance.length > 0) {
    rows.push([], ["Influencers"], ["author", "platform", "mentions", "reach", "engagement", "averageSentiment"]);
    for (const i of r.influencerPerformance) rows.push([i.author, i.platform, i.mentions, i.reach, i.engagement, i.averageSentiment]);
  }
  rows.push([], ["Top mentions"], ["timestamp", "platform", "author", "text", "url", "sentiment", "reach", "engagement", "mentionId"]);
  for (const m of r.topMentions) rows.push([t(m.timestamp), m.platform, m.author, m.text, m.url, m.sentiment, m.reach, m.engagement, m.mentionId]);
  rows.push([], ["Recommendations"], ["priority", "rule", "figure", "subject", "value", "threshold", "message"]);
  for (const d of r.recommendationDetails) rows.push([d.priority, d.rule, d.figure, d.subject ?? "", d.value, d.threshold, d.message]);
  return rows;
}
