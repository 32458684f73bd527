// Meta Marketing API (Graph): an ad account's campaigns and their insights.
//   GET {base}/{version}/act_{id}/campaigns?fields=…&limit=N[&after=cursor]
//   GET {base}/{version}/act_{id}/insights?level=campaign&fields=…&date_preset=…
// → {data: [...], paging: {cursors: {before, after}, next?}}; errors {error: {message, type, code,
// error_subcode, fbtrace_id}} (throttling often arrives as 400/403 with codes 4/17/80000+). The usage
// headers pause the provider's rate limiter before Meta has to refuse us.
import { z } from "zod";
import type { ProviderPolicy } from "../../shared/resilience";
import { graphErrorKind, metaPauseMs, num, type GraphError } from "../domain/meta";
import type { AdDay, MetaCampaign } from "../model";
import { send, type CallObserver, type ErrorReader, type ProviderResponse } from "./http";
import { decodeWith } from "./schemas";

/** Meta credentials and where to reach it. */
export interface MetaConfig {
  accessToken: string;
  /** https://graph.facebook.com in production. */
  baseUrl: string;
  apiVersion: string;
  adAccountId: string;
}

// Meta's payloads, parsed with zod (schemas.ts): Graph numbers arrive as strings; unknown fields pass.
const numeric = z.union([z.string().regex(/^-?\d+(\.\d+)?$/, "a number as a string"), z.number()]);

const GraphPageSchema = <S extends z.ZodType>(item: S) =>
  z.looseObject({
    data: z.array(item),
    paging: z
      .looseObject({ cursors: z.looseObject({ before: z.string().optional(), after: z.string().optional() }).optional(), next: z.string().optional() })
      .optional(),
  });

const RawCampaignSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  status: z.string().optional(),
  effective_status: z.string().optional(),
  objective: z.string().optional(),
  daily_budget: numeric.optional(),
  lifetime_budget: numeric.optional(),
});

const RawInsightSchema = z.looseObject({
  campaign_id: z.string().optional(),
  impressions: numeric.optional(),
  clicks: numeric.optional(),
  spend: numeric.optional(),
  reach: numeric.optional(),
  ctr: numeric.optional(),
  cpc: numeric.optional(),
});

export const MetaDailyInsightSchema = z.looseObject({
  date_start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a YYYY-MM-DD date"),
  impressions: numeric.optional(),
  clicks: numeric.optional(),
  spend: numeric.optional(),
  conversions: z.array(z.looseObject({ action_type: z.string().optional(), value: numeric.optional() })).optional(),
});

const MetaAccountSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  currency: z.string().optional(),
  account_status: numeric.optional(),
});

/** An ad account as Meta answers for it. */
export interface MetaAdAccount {
  /** act_<id>. */
  id: string;
  name: string;
  currency: string;
  /** 1 active, 2 disabled, 3 unsettled, … (Meta's account_status). */
  status: number;
}

const decodeAccount = decodeWith(
  MetaAccountSchema.transform((a): MetaAdAccount => ({ id: actId(a.id), name: a.name ?? "", currency: a.currency ?? "", status: num(a.account_status) })),
  "Meta ad account",
);

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
  private async request<B>(
    account: string,
    edge: string,
    params: Record<string, string>,
    decode: (body: unknown) => B | { malformed: string },
    signal?: AbortSignal,
  ): Promise<ProviderResponse<B>> {
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

  /** Every page of an edge, each parsed with the item's schema, following paging.cursors.after while paging.next is present. */
  private async all<S extends z.ZodType>(
    edge: string,
    item: S,
    params: Record<string, string>,
    maxPages: number,
    signal?: AbortSignal,
    account = this.config.adAccountId,
  ): Promise<z.output<S>[]> {
    const out: z.output<S>[] = [];
    const decode = decodeWith(GraphPageSchema(item), `Meta ${edge} page`);
    let after: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const res = await this.request(account, edge, after ? { ...params, after } : params, decode, signal);
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
    const rows = await this.all(
      "insights",
      MetaDailyInsightSchema,
      {
        level: "account",
        time_increment: "1",
        fields: "impressions,clicks,spend,conversions,date_start,date_stop",
        time_range: JSON.stringify({ since, until }),
        limit: "100",
      },
      20,
      signal,
      id,
    );
    return rows.map((r) => {
      const conversions = Array.isArray(r.conversions) ? r.conversions.reduce((s, a) => s + num(a?.value), 0) : 0;
      return { date: r.date_start, impressions: num(r.impressions), clicks: num(r.clicks), conversions, spend: num(r.spend) };
    });
  }

  /** The ad account's campaigns with their insights over `datePreset` (e.g. last_30d); another account than the configured one with `account`. */
  async campaigns(opts: { datePreset?: string; pageSize?: number; maxPages?: number; account?: string } = {}, signal?: AbortSignal): Promise<MetaCampaign[]> {
    const limit = String(opts.pageSize ?? 100);
    const maxPages = opts.maxPages ?? 20;
    const account = opts.account ?? this.config.adAccountId;
    const campaigns = await this.all(
      "campaigns",
      RawCampaignSchema,
      { fields: "id,name,status,effective_status,objective,daily_budget,lifetime_budget", limit },
      maxPages,
      signal,
      account,
    );
    const insights = await this.all(
      "insights",
      RawInsightSchema,
      { level: "campaign", fields: "campaign_id,impressions,clicks,spend,reach,ctr,cpc", date_preset: opts.datePreset ?? "last_30d", limit },
      maxPages,
      signal,
      account,
    );
    const byCampaign = new Map(insights.filter((i) => i.campaign_id).map((i) => [i.campaign_id!, i]));
    return campaigns.map((c) => {
      const i: z.output<typeof RawInsightSchema> = byCampaign.get(c.id) ?? {};
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
