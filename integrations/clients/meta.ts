// Meta Marketing API (Graph): an ad account's campaigns and their insights.
//   GET {base}/{version}/act_{id}/campaigns?fields=…&limit=N[&after=cursor]
//   GET {base}/{version}/act_{id}/insights?level=campaign&fields=…&date_preset=…
// → {data: [...], paging: {cursors: {before, after}, next?}}; errors {error: {message, type, code,
// error_subcode, fbtrace_id}} (throttling often arrives as 400/403 with codes 4/17/80000+). The usage
// headers pause the provider's rate limiter before Meta has to refuse us.
import { ProviderError, type ProviderPolicy } from "../../shared/resilience";
import { graphErrorKind, metaPauseMs, num, type GraphError } from "../domain/meta";
import type { AdDay, MetaCampaign } from "../model";
import { send, type CallObserver, type ErrorReader, type ProviderResponse } from "./http";

/** Meta credentials and where to reach it. */
export interface MetaConfig {
  accessToken: string;
  /** https://graph.facebook.com in production. */
  baseUrl: string;
  apiVersion: string;
  adAccountId: string;
}

interface GraphPage<T> {
  data: T[];
  paging?: { cursors?: { before?: string; after?: string }; next?: string };
}

interface RawCampaign {
  id: string;
  name?: string;
  status?: string;
  effective_status?: string;
  objective?: string;
  daily_budget?: string;
  lifetime_budget?: string;
}

interface RawInsight {
  campaign_id?: string;
  impressions?: string;
  clicks?: string;
  spend?: string;
  reach?: string;
  ctr?: string;
  cpc?: string;
}

interface RawDailyInsight {
  date_start?: string;
  impressions?: string;
  clicks?: string;
  spend?: string;
  conversions?: { action_type?: string; value?: string }[];
}

/** An ad account as Meta answers for it. */
export interface MetaAdAccount {
  /** act_<id>. */
  id: string;
  name: string;
  currency: string;
  /** 1 active, 2 disabled, 3 unsettled, … (Meta's account_status). */
  status: number;
}

function decodeAccount(body: unknown): MetaAdAccount | { malformed: string } {
  const b = body as { id?: unknown; name?: unknown; currency?: unknown; account_status?: unknown } | null;
  if (!b || typeof b !== "object" || typeof b.id !== "string") return { malformed: "an ad account without an id" };
  return { id: actId(b.id), name: typeof b.name === "string" ? b.name : "", currency: typeof b.currency === "string" ? b.currency : "", status: num(b.account_status) };
}

export const readGraphError: ErrorReader = (status, body, headers) => {
  const e = (body as { error?: GraphError } | null)?.error;
  if (!e || typeof e.message !== "string") return null;
  const kind = graphErrorKind(status, e);
  const pause = kind === "rate_limited" ? metaPauseMs(headers) : 0;
  return {
    message: `${e.message} (${e.type ?? "GraphError"} code ${e.code ?? "?"}${e.error_subcode ? `/${e.error_subcode}` : ""}, fbtrace_id ${e.fbtrace_id ?? "-"})`,
    code: e.code,
    kind,
    retryAfterMs: kind === "rate_limited" ? pause || 60_000 : undefined,
  };
};

function decodePage<T>(body: unknown): GraphPage<T> | { malformed: string } {
  const b = body as GraphPage<T> | null;
  if (!b || typeof b !== "object" || !Array.isArray(b.data)) return { malformed: "a Graph page without a data array" };
  return b;
}

/** The act_ form of an ad account id. */
export function actId(id: string): string {
  return id.startsWith("act_") ? id : `act_${id}`;
}

export class MetaClient {
  constructor(
    private readonly config: MetaConfig,
    private readonly policy: ProviderPolicy,
    private readonly observe?: CallObserver,
  ) {}

  get apiVersion(): string {
    return this.config.apiVersion;
  }
  get adAccountId(): string {
    return actId(this.config.adAccountId);
  }

  /** One Graph GET of `{account}/{edge}` (edge "" : the account node itself). */
  private async request<B>(account: string, edge: string, params: Record<string, string>, decode: (body: unknown) => B | { malformed: string }, signal?: AbortSignal): Promise<ProviderResponse<B>> {
    const path = edge ? `${actId(account)}/${edge}` : actId(account);
    const url = `${this.config.baseUrl.replace(/\/$/, "")}/${this.config.apiVersion}/${path}?${new URLSearchParams(params)}`;
    const res = await send<B>(
      this.policy,
      { method: "GET", url, headers: { authorization: `Bearer ${this.config.accessToken}`, accept: "application/json" } },
      { readError: readGraphError, decode, observe: this.observe, signal },
    );
    const pause = metaPauseMs(res.headers);
    if (pause > 0) this.policy.bucket.pause(pause);
    return res;
  }

  private get<T>(edge: string, params: Record<string, string>, signal?: AbortSignal, account = this.config.adAccountId): Promise<ProviderResponse<GraphPage<T>>> {
    return this.request(account, edge, params, decodePage<T>, signal);
  }

  /** Every page of an edge, following paging.cursors.after while paging.next is present. */
  private async all<T>(edge: string, params: Record<string, string>, maxPages: number, signal?: AbortSignal, account = this.config.adAccountId): Promise<T[]> {
    const out: T[] = [];
    let after: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const res = await this.get<T>(edge, after ? { ...params, after } : params, signal, account);
      out.push(...res.body.data);
      after = res.body.paging?.cursors?.after;
      if (!res.body.paging?.next || !after) return out;
    }
    return out;
  }

  /** An ad account as Meta describes it: reachable with our token, or a ProviderError (code 100: no such account or no access). */
  async adAccount(id: string, signal?: AbortSignal): Promise<MetaAdAccount> {
    const res = await this.request(id, "", { fields: "id,account_id,name,currency,account_status" }, decodeAccount, signal);
    return res.body;
  }

  /**
   * The account's figures per day over [since, until] (YYYY-MM-DD, the account's time zone):
   * `GET act_{id}/insights?level=account&time_increment=1&time_range={since,until}`. Conversions are
   * the sum of the `conversions` action stats (the conversion events the ads are measured on).
   */
  async dailyInsights(id: string, since: string, until: string, signal?: AbortSignal): Promise<AdDay[]> {
    const rows = await this.all<RawDailyInsight>(
      "insights",
      { level: "account", time_increment: "1", fields: "impressions,clicks,spend,conversions,date_start,date_stop", time_range: JSON.stringify({ since, until }), limit: "100" },
      20,
      signal,
      id,
    );
    return rows.map((r) => {
      if (typeof r.date_start !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(r.date_start)) throw new ProviderError("meta", "malformed", "unexpected answer: a daily insight without date_start");
      const conversions = Array.isArray(r.conversions) ? r.conversions.reduce((s, a) => s + num(a?.value), 0) : 0;
      return { date: r.date_start, impressions: num(r.impressions), clicks: num(r.clicks), conversions, spend: num(r.spend) };
    });
  }

  /** The ad account's campaigns with their insights over `datePreset` (e.g. last_30d); another account than the configured one with `account`. */
  async campaigns(opts: { datePreset?: string; pageSize?: number; maxPages?: number; account?: string } = {}, signal?: AbortSignal): Promise<MetaCampaign[]> {
    const limit = String(opts.pageSize ?? 100);
    const maxPages = opts.maxPages ?? 20;
    const account = opts.account ?? this.config.adAccountId;
    const campaigns = await this.all<RawCampaign>("campaigns", { fields: "id,name,status,effective_status,objective,daily_budget,lifetime_budget", limit }, maxPages, signal, account);
    const insights = await this.all<RawInsight>(
      "insights",
      { level: "campaign", fields: "campaign_id,impressions,clicks,spend,reach,ctr,cpc", date_preset: opts.datePreset ?? "last_30d", limit },
      maxPages,
      signal,
      account,
    );
    const byCampaign = new Map(insights.filter((i) => i.campaign_id).map((i) => [i.campaign_id!, i]));
    return campaigns.map((c) => {
      if (typeof c.id !== "string") throw new ProviderError("meta", "malformed", "unexpected answer: a campaign without an id");
      const i = byCampaign.get(c.id) ?? {};
      return {
        id: c.id,
        name: c.name ?? "",
        status: c.effective_status ?? c.status ?? "UNKNOWN",
        objective: c.objective ?? "",
        // Budgets are in the account currency's minor units (cents).
        dailyBudget: c.daily_budget ? num(c.daily_budget) / 100 : null,
        lifetimeBudget: c.lifetime_budget ? num(c.lifetime_budget) / 100 : null,
        impressions: num(i.impressions),
        clicks: num(i.clicks),
        spend: num(i.spend),
        reach: num(i.reach),
        ctr: num(i.ctr),
        cpc: num(i.cpc),
      };
    });
  }
}
