// Meta Marketing API (Graph): an ad account's campaigns and their insights.
//   GET {base}/{version}/act_{id}/campaigns?fields=…&limit=N[&after=cursor]
//   GET {base}/{version}/act_{id}/insights?level=campaign&fields=…&date_preset=…
// → {data: [...], paging: {cursors: {before, after}, next?}}; errors {error: {message, type, code,
// error_subcode, fbtrace_id}} (throttling often arrives as 400/403 with codes 4/17/80000+). The usage
// headers pause the provider's rate limiter before Meta has to refuse us.
import { ProviderError, type ProviderPolicy } from "../../shared/resilience";
import { graphErrorKind, metaPauseMs, num, type GraphError } from "../domain/meta";
import type { MetaCampaign } from "../model";
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

  private async get<T>(edge: string, params: Record<string, string>, signal?: AbortSignal): Promise<ProviderResponse<GraphPage<T>>> {
    const url = `${this.config.baseUrl.replace(/\/$/, "")}/${this.config.apiVersion}/${this.adAccountId}/${edge}?${new URLSearchParams(params)}`;
    const res = await send<GraphPage<T>>(
      this.policy,
      { method: "GET", url, headers: { authorization: `Bearer ${this.config.accessToken}`, accept: "application/json" } },
      { readError: readGraphError, decode: decodePage<T>, observe: this.observe, signal },
    );
    const pause = metaPauseMs(res.headers);
    if (pause > 0) this.policy.bucket.pause(pause);
    return res;
  }

  /** Every page of an edge, following paging.cursors.after while paging.next is present. */
  private async all<T>(edge: string, params: Record<string, string>, maxPages: number, signal?: AbortSignal): Promise<T[]> {
    const out: T[] = [];
    let after: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const res = await this.get<T>(edge, after ? { ...params, after } : params, signal);
      out.push(...res.body.data);
      after = res.body.paging?.cursors?.after;
      if (!res.body.paging?.next || !after) return out;
    }
    return out;
  }

  /** The ad account's campaigns with their insights over `datePreset` (e.g. last_30d). */
  async campaigns(opts: { datePreset?: string; pageSize?: number; maxPages?: number } = {}, signal?: AbortSignal): Promise<MetaCampaign[]> {
    const limit = String(opts.pageSize ?? 100);
    const maxPages = opts.maxPages ?? 20;
    const campaigns = await this.all<RawCampaign>("campaigns", { fields: "id,name,status,effective_status,objective,daily_budget,lifetime_budget", limit }, maxPages, signal);
    const insights = await this.all<RawInsight>(
      "insights",
      { level: "campaign", fields: "campaign_id,impressions,clicks,spend,reach,ctr,cpc", date_preset: opts.datePreset ?? "last_30d", limit },
      maxPages,
      signal,
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
