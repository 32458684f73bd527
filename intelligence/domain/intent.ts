// The offline assistant: without the model (no key, or its circuit open) a question is matched to
// the same tools by keywords, they run against the real data, and the reply is put together from
// their figures, clearly marked as offline.
import type { ToolArgs, ToolName, ToolOutcome } from "./tools";

/** A tool the offline assistant will call for a question. */
export interface Intent {
  tool: ToolName;
  args: ToolArgs;
}

const RULES: { tool: ToolName; re: RegExp }[] = [
  { tool: "list_campaigns", re: /\b(which|what|list|my|our|all)\s+campaigns?\b|\bcampaigns\b/i },
  { tool: "get_campaign_metrics", re: /\b(metrics?|impressions?|clicks?|conversions?|ctr|cpc|roi|budget|performance|perform(ing)?|kpis?)\b/i },
  { tool: "get_sentiment", re: /\b(sentiment|mood|tone|feel(ing)?s?|opinion|perception|how (are|is) (we|it|the campaign) doing|positive|favou?rab)/i },
  { tool: "get_top_negative_mentions", re: /\b(negative|attacks?|attacking|critici[sz]\w*|complain\w*|hostile|worst|damaging|haters?|trolls?|backlash)\b/i },
  { tool: "get_open_crises_and_alerts", re: /\b(crisis|crises|alerts?|emergenc\w*|threats?|urgent|fire|incidents?)\b/i },
  { tool: "search_knowledge_base", re: /\b(documents?|docs?|reports?|files?|uploads?|knowledge|search|find|brief(ing)?s?|memo|research|what do we know|says? about|position on)\b/i },
];

const STOP = new Set(
  "a an the of to in on at for with by from and or is are was were be what which who how do does did we our us you your i me my about any there this that it its can could would should please tell show give find search look up documents document docs doc knowledge base files file reports report says say know".split(" "),
);

/** The window a question asks about, in hours (default 24): "last 3 days", "past week", "today", "48 hours". */
export function windowHours(text: string): number {
  const t = text.toLowerCase();
  const m = /(\d{1,3})\s*(hours?|hrs?|h|days?|d|weeks?|w)\b/.exec(t);
  if (m) {
    const n = Number(m[1]);
    const unit = m[2]!;
    const hours = unit.startsWith("w") ? n * 168 : unit.startsWith("d") ? n * 24 : n;
    return Math.max(1, Math.min(720, hours));
  }
  if (/\b(this|past|last)\s+week\b|\bweekly\b/.test(t)) return 168;
  if (/\b(this|past|last)\s+month\b/.test(t)) return 720;
  if (/\byesterday\b/.test(t)) return 48;
  if (/\b(last|past)\s+hour\b/.test(t)) return 1;
  return 24;
}

/** The search words of a question (stop words dropped), for the knowledge base. */
export function searchTerms(text: string): string {
  const quoted = /["“]([^"”]{2,100})["”]/.exec(text);
  if (quoted) return quoted[1]!.trim();
  const words = (text.toLowerCase().match(/[a-z0-9][a-z0-9'-]*/g) ?? []).filter((w) => !STOP.has(w) && w.length > 1);
  return words.slice(0, 8).join(" ");
}

/** The tools a question calls for; an overview (sentiment, crises and alerts) when nothing matches. */
export function matchIntents(text: string): Intent[] {
  const hours = windowHours(text);
  const intents: Intent[] = [];
  for (const rule of RULES) {
    if (!rule.re.test(text)) continue;
    const args: ToolArgs = {};
    if (rule.tool === "get_sentiment" || rule.tool === "get_top_negative_mentions") args.hours = hours;
    if (rule.tool === "search_knowledge_base") {
      const q = searchTerms(text);
      if (!q) continue;
      args.query = q;
    }
    intents.push({ tool: rule.tool, args });
  }
  // "campaigns" alone lists them; with another subject it is just context.
  const rest = intents.filter((i) => i.tool !== "list_campaigns");
  if (rest.length) return rest;
  if (intents.length) return intents;
  return [
    { tool: "get_sentiment", args: { hours } },
    { tool: "get_open_crises_and_alerts", args: {} },
  ];
}

/** The offline reply: a marked header, then each tool's lines built from the figures it read. */
export function composeOfflineReply(outcomes: ToolOutcome[], reason: string): string {
  const body = outcomes.flatMap((o) => o.lines);
  return [`[Offline mode: ${reason}. This answer is assembled from the platform's own figures, without the AI model.]`, ...body].join("\n");
}
