// The platform's data as intelligence reads it, through service calls only: campaigns' metrics,
// monitoring's mentions, sentiment, crises and configs, alerting's open alerts. The assistant's
// tools (ToolDeps), the threat assessment's signals and the competitor view are built on these.
import { APIError } from "encore.dev/api";
import { alerting, campaigns, monitoring } from "~encore/clients";
import type { Caller } from "../../shared/permissions";
import { canSee, requireCampaign, visibilityOf } from "../access";
import { competitorFigures } from "../domain/competitor";
import { assessThreat, type CompetitorSignal, type HostileAuthor, type ThreatSignals } from "../domain/threat";
import type { IncidentBrief } from "../domain/analyst";
import type { CampaignBrief, ToolDeps } from "../domain/tools";
import type { CompetitorIntelligence } from "../model";
import { matchingSentences } from "../domain/search";
import * as store from "../store";

const HOUR = 3_600_000;
const SEVERITY_RANK: Record<string, number> = { LOW: 1, MEDIUM: 2, HIGH: 3, CRITICAL: 4 };
const notFound = (err: unknown) => (err as { code?: string }).code === "not_found";

type CrisisRecord = Awaited<ReturnType<typeof monitoring.getCrisesForService>>["crises"][number];

/** Monitoring's crisis record as the analyst explains it. */
function incidentBrief(c: CrisisRecord, alerted: boolean): IncidentBrief {
  const e = c.explanation;
  return {
    title: c.title,
    severity: c.severity,
    status: c.status,
    summary: c.summary,
    crisisScore: c.crisisScore,
    openedAt: c.openedAt.toISOString(),
    alerted,
    mentions: e.mentions,
    estimatedReach: e.estimatedReach,
    sentimentImpact: e.sentimentImpact,
    terms: e.topTerms.map((t) => ({ term: t.term, share: t.share, mentions: t.mentions })),
    platforms: e.platformBreakdown.map((p) => ({
      platform: p.platform,
      mentions: p.mentions,
      negativeMentions: p.negativeMentions,
      reach: p.reach,
      share: p.share,
    })),
    topPosts: e.topMentions.map((m) => ({
      author: m.author ?? "",
      platform: m.platform,
      text: m.text,
      sentiment: m.sentiment,
      reach: m.reach,
      url: m.url ?? "",
    })),
    recommendedActions: e.recommendedActions,
  };
}
const NEGATIVE = -0.05;

/** The tools' reads for one caller: every campaign-scoped read checks that the caller may see the campaign. */
export function toolDeps(caller: Caller): ToolDeps {
  const check = async (campaignId: string) => {
    try {
      await requireCampaign(caller, campaignId, "read");
    } catch {
      throw new Error("campaign not found (or not visible to this user)");
    }
  };
  return {
    listCampaigns: () => listCampaigns(caller),
    async campaignFigures(campaignId) {
      await check(campaignId);
      const c = await campaigns.getCampaignForService({ campaignId });
      return { id: c.id, name: c.name, status: c.status, budget: c.budget, metrics: { ...c.metrics } };
    },
    async sentiment(campaignId, hours) {
      await check(campaignId);
      const end = new Date();
      const s = await monitoring.getSentimentForService({ campaignId, start: new Date(end.getTime() - hours * HOUR), end });
      return { mentions: s.mentions, average: s.average, reachWeighted: s.reachWeighted, positive: s.positive, neutral: s.neutral, negative: s.negative };
    },
    async negativeMentions(campaignId, hours, limit) {
      await check(campaignId);
      const { mentions } = await monitoring.getMentionsForService({ campaignId, hours, limit: 1000 });
      return (
        mentions
          .filter((m) => m.sentiment < NEGATIVE)
          // Most damaging first: how negative, times how many saw it.
          .sort((a, b) => -b.sentiment * (b.reach + 1) - -a.sentiment * (a.reach + 1))
          .slice(0, limit)
          .map((m) => ({
            author: m.author,
            platform: m.platform,
            text: m.text,
            sentiment: m.sentiment,
            reach: m.reach,
            url: m.url,
            timestamp: m.timestamp.toISOString(),
          }))
      );
    },
    async crisesAndAlerts(campaignId) {
      await check(campaignId);
      const [{ crises }, { alerts }] = await Promise.all([
        monitoring.getCrisesForService({ campaignId, openOnly: true }),
        alerting.listOpenAlerts({ campaignId }),
      ]);
      return {
        crises: crises.map((c) => ({ title: c.title, severity: c.severity, status: c.status, openedAt: c.openedAt.toISOString() })),
        alerts: alerts.map((a) => ({ title: a.title, severity: a.severity, createdAt: a.createdAt.toISOString() })),
      };
    },
    async searchKnowledge(query, limit) {
      const hits = await store.searchHits(await visibilityOf(caller), query, limit, 0);
      return hits.map(({ result: h, body }) => ({
        title: h.source.title,
        // Whole sentences of the passage carrying the matched words, not a cut fragment.
        snippet: matchingSentences(
          body,
          h.highlights.map((x) => h.text.slice(x.start, x.end)),
        ),
        source: h.kind === "passage" ? `document ${h.source.title}, passage ${(h.source.position ?? 0) + 1}` : `report ${h.source.title}`,
      }));
    },
    async sentimentBefore(campaignId, hours, endHoursAgo) {
      await check(campaignId);
      const end = new Date(Date.now() - endHoursAgo * HOUR);
      const s = await monitoring.getSentimentForService({ campaignId, start: new Date(end.getTime() - hours * HOUR), end });
      return { mentions: s.mentions, average: s.average, reachWeighted: s.reachWeighted, positive: s.positive, neutral: s.neutral, negative: s.negative };
    },
    async openIncidents(campaignId) {
      await check(campaignId);
      const [{ crises }, { alerts }] = await Promise.all([
        monitoring.getCrisesForService({ campaignId, openOnly: true }),
        alerting.listOpenAlerts({ campaignId }),
      ]);
      const alerted = new Set(alerts.map((a) => a.id));
      return crises
        .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.openedAt.getTime() - a.openedAt.getTime())
        .map((c) => incidentBrief(c, c.alertId !== undefined && alerted.has(c.alertId)));
    },
    async competitors(campaignId) {
      await check(campaignId);
      const config = await monitoring.getConfigForService({ campaignId }).catch((err) => (notFound(err) ? null : Promise.reject(err)));
      return config?.competitors ?? [];
    },
    async competitor(campaignId, name, days) {
      const c = await competitorIntelligence(caller, name, campaignId, days);
      return c;
    },
    async mentions(campaignId, hours) {
      await check(campaignId);
      const { mentions } = await monitoring.getMentionsForService({ campaignId, hours, limit: 2000 });
      return mentions.map((m) => ({
        author: m.author,
        platform: m.platform,
        text: m.text,
        sentiment: m.sentiment,
        reach: m.reach,
        url: m.url,
        timestamp: m.timestamp,
      }));
    },
    async threat(campaignId, hours) {
      await check(campaignId);
      return assessThreat(await threatSignals(campaignId, hours));
    },
  };
}

/** The campaigns a caller is a member of (admins: also every active one), at most 25. */
export async function listCampaigns(caller: Caller): Promise<CampaignBrief[]> {
  const { campaignIds } = await campaigns.getUserCampaigns({ userID: caller.userID });
  const ids = new Set(campaignIds);
  if (caller.role === "admin") for (const c of (await campaigns.listActiveCampaigns()).campaigns) ids.add(c.id);
  const found = await Promise.all([...ids].slice(0, 25).map((campaignId) => campaigns.getCampaignForService({ campaignId }).catch(() => null)));
  return found.filter((c) => c !== null).map((c) => ({ id: c.id, name: c.name, status: c.status }));
}

/** What the threat assessment reads about a campaign over the last `hours` and the window before. */
export async function threatSignals(campaignId: string, hours: number): Promise<ThreatSignals> {
  const now = Date.now();
  const start = new Date(now - hours * HOUR);
  const [window, current, previous, crises, alerts, config] = await Promise.all([
    monitoring.getMentionsForService({ campaignId, hours, limit: 2000 }),
    monitoring.getPlatformTotalsForService({ campaignId, start, end: new Date(now) }),
    monitoring.getPlatformTotalsForService({ campaignId, start: new Date(now - 2 * hours * HOUR), end: start }),
    monitoring.getCrisesForService({ campaignId, openOnly: true }),
    alerting.listOpenAlerts({ campaignId }),
    monitoring.getConfigForService({ campaignId }).catch((err) => (notFound(err) ? null : Promise.reject(err))),
  ]);
  const byAuthor = new Map<string, HostileAuthor>();
  for (const m of window.mentions) {
    if (m.sentiment >= NEGATIVE) continue;
    const key = `${m.author.toLowerCase()}|${m.platform}`;
    const a = byAuthor.get(key) ?? { author: m.author, platform: m.platform, reach: 0, mentions: 0 };
    // An author's reach is their audience: the largest one seen, not a sum over posts.
    a.reach = Math.max(a.reach, m.reach);
    a.mentions++;
    byAuthor.set(key, a);
  }
  const hostileAuthors = [...byAuthor.values()].sort((a, b) => b.reach - a.reach);
  const handle = (s: string) => s.trim().replace(/^@/, "").toLowerCase();
  const influencers = new Set((config?.influencers ?? []).map(handle));
  const competitors: CompetitorSignal[] = await Promise.all(
    (config?.competitors ?? []).slice(0, 10).map(async (name) => {
      const [now_, before] = await Promise.all([
        monitoring.getMentionsForService({ campaignId, hours, keyword: name, limit: 200 }),
        monitoring.getMentionsForService({ campaignId, hours, keyword: name, limit: 1, offsetHours: hours }),
      ]);
      const sentiments = now_.mentions.map((m) => m.sentiment);
      return {
        name,
        mentions: now_.total,
        previousMentions: before.total,
        averageSentiment: sentiments.length ? sentiments.reduce((s, x) => s + x, 0) / sentiments.length : 0,
      };
    }),
  );
  const sum = (rows: { mentions: number; negative: number; reach: number }[], f: "mentions" | "negative" | "reach") => rows.reduce((s, r) => s + r[f], 0);
  return {
    windowHours: hours,
    openCrises: crises.crises.map((c) => ({ id: c.id, title: c.title, severity: c.severity, status: c.status })),
    openAlerts: alerts.alerts.map((a) => ({ title: a.title, severity: a.severity })),
    mentions: sum(current.platforms, "mentions"),
    negative: sum(current.platforms, "negative"),
    previousNegative: sum(previous.platforms, "negative"),
    totalReach: sum(current.platforms, "reach"),
    hostileAuthors,
    hostileInfluencers: hostileAuthors.filter((a) => influencers.has(handle(a.author))),
    competitors,
  };
}

/** The competitor view: the campaign (given, or the first visible one whose monitoring names the competitor) against it. */
export async function competitorIntelligence(
  caller: Caller,
  competitor: string,
  campaignId: string | undefined,
  days: number,
): Promise<CompetitorIntelligence> {
  const wanted = competitor.trim().toLowerCase();
  let match: { campaignId: string; name: string } | null = null;
  if (campaignId) {
    await requireCampaign(caller, campaignId, "read");
    const config = await monitoring.getConfigForService({ campaignId }).catch((err) => (notFound(err) ? null : Promise.reject(err)));
    const name = config?.competitors.find((c) => c.trim().toLowerCase() === wanted);
    if (name) match = { campaignId, name };
  } else {
    const visibility = await visibilityOf(caller);
    const { configs } = await monitoring.listMonitoringConfigs();
    for (const config of configs) {
      if (!canSee(visibility, config.campaignId, "")) continue;
      const name = config.competitors.find((c) => c.trim().toLowerCase() === wanted);
      if (name) {
        match = { campaignId: config.campaignId, name };
        break;
      }
    }
  }
  if (!match) throw APIError.notFound(`no monitoring configuration you can see names the competitor "${competitor}"`);
  const hours = days * 24;
  const [all, theirs] = await Promise.all([
    monitoring.getMentionsForService({ campaignId: match.campaignId, hours, limit: 2000 }),
    monitoring.getMentionsForService({ campaignId: match.campaignId, hours, keyword: match.name, limit: 2000 }),
  ]);
  // The competitor's own mentions come in full (up to 2000) even when the window is busier than the sample.
  const seen = new Set(all.mentions.map((m) => m.mentionId));
  const sample = [...all.mentions, ...theirs.mentions.filter((m) => !seen.has(m.mentionId))].map((m) => ({
    author: m.author,
    platform: m.platform,
    text: m.text,
    sentiment: m.sentiment,
    reach: m.reach,
    url: m.url,
    timestamp: m.timestamp,
  }));
  const figures = competitorFigures(match.name, sample, all.total, theirs.total, days, new Date());
  return {
    competitor: match.name,
    campaignId: match.campaignId,
    days,
    ...figures,
    sampled: all.total > all.mentions.length || theirs.total > theirs.mentions.length,
  };
}
