// Mentionlytics mentions API: GET {base}/api/mentions?token=…&startDate=YYYYMMDD&endDate=YYYYMMDD
// &page_no=N&per_page=M → {"mentions": [...]}; pages start at 0, a short page is the last one.
// (The documented, token-in-query API; the token never reaches the call log, which keeps paths only.)
import type { ProviderPolicy } from "../../shared/resilience";
import { toMention, type RawMention, type TrackedMention } from "../domain/mentions";
import { send, type CallObserver, type ErrorReader } from "./http";

/** Mentionlytics credentials and where to reach it. */
export interface MentionlyticsConfig {
  token: string;
  /** https://app.mentionlytics.com in production. */
  baseUrl: string;
}

/** A window of mentions to fetch. */
export interface MentionsQuery {
  since: Date;
  until: Date;
  perPage?: number;
  /** Safety stop: never more than this many pages in one call. */
  maxPages?: number;
}

/** Mentions of a window, mapped, and how the fetch went. */
export interface MentionsResult {
  mentions: TrackedMention[];
  pages: number;
  /** Entries without an id or a valid date, dropped. */
  skipped: number;
  /** True when maxPages stopped the fetch before the last page. */
  truncated: boolean;
}

interface MentionsPage {
  mentions: RawMention[];
}

export const readMentionlyticsError: ErrorReader = (_status, body) => {
  const b = body as { error?: unknown; message?: unknown } | null;
  const message = typeof b?.error === "string" ? b.error : typeof b?.message === "string" ? b.message : null;
  return message ? { message } : null;
};

function decodePage(body: unknown): MentionsPage | { malformed: string } {
  const b = body as { mentions?: unknown } | null;
  if (!b || typeof b !== "object" || !Array.isArray(b.mentions)) return { malformed: "no mentions array" };
  return { mentions: b.mentions as RawMention[] };
}

/** YYYYMMDD in UTC, as Mentionlytics takes dates. */
export function ymd(d: Date): string {
  return d.toISOString().slice(0, 10).replace(/-/g, "");
}

export class MentionlyticsClient {
  constructor(
    private readonly config: MentionlyticsConfig,
    private readonly policy: ProviderPolicy,
    private readonly observe?: CallObserver,
  ) {}

  /** One page of the account's mentions between two dates (inclusive, by day). */
  async page(since: Date, until: Date, pageNo: number, perPage: number, signal?: AbortSignal): Promise<RawMention[]> {
    const q = new URLSearchParams({ token: this.config.token, startDate: ymd(since), endDate: ymd(until), page_no: String(pageNo), per_page: String(perPage) });
    const res = await send<MentionsPage>(
      this.policy,
      { method: "GET", url: `${this.config.baseUrl.replace(/\/$/, "")}/api/mentions?${q}`, headers: { accept: "application/json" } },
      { readError: readMentionlyticsError, decode: decodePage, observe: this.observe, signal },
    );
    return res.body.mentions;
  }

  /** Every mention of the window, following pages until a short one. */
  async mentions(q: MentionsQuery, signal?: AbortSignal): Promise<MentionsResult> {
    const perPage = q.perPage ?? 100;
    const maxPages = q.maxPages ?? 50;
    const out = new Map<string, TrackedMention>();
    let skipped = 0;
    let pages = 0;
    for (;;) {
      const raw = await this.page(q.since, q.until, pages, perPage, signal);
      pages++;
      for (const r of raw) {
        const m = toMention(r);
        if (m) out.set(m.id, m);
        else skipped++;
      }
      if (raw.length < perPage) return { mentions: [...out.values()], pages, skipped, truncated: false };
      if (pages >= maxPages) return { mentions: [...out.values()], pages, skipped, truncated: true };
    }
  }
}
