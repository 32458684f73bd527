// The offline assistant: without the model (no key, or its circuit open) a question is matched to
// the same tools by keywords, they run against the real data, and the reply is put together from
// their figures, clearly marked as offline.
import { namedCompetitor } from "./analyst";
import type { Figure, ToolArgs, ToolName, ToolOutcome } from "./tools";

/** A tool the offline assistant will call for a question. */
export interface Intent {
  tool: ToolName;
  args: ToolArgs;
}

const RULES: { tool: ToolName; re: RegExp }[] = [
  { tool: "list_campaigns", re: /\b(which|what|list|my|our|all)\s+campaigns?\b|\bcampaigns\b/i },
  { tool: "get_campaign_metrics", re: /\b(metrics?|impressions?|clicks?|conversions?|ctr|cpc|roi|budget|performance|perform(ing)?|kpis?)\b/i },
  {
    tool: "explain_sentiment",
    re: /\bwhy\b.*\b(sentiment|mood|tone|negativ\w*|numbers?|drop\w*|fall\w*|down|tank\w*|plung\w*|dip\w*|spik\w*|sour\w*|turn\w*|worse|backlash|angry|hate|blow\w*)|\bwhat(?:'s| is| are)\s+(driving|behind|causing|fueling|fuelling)|\b(driving|behind|causing|explain\w*)\b.*\b(sentiment|drop|dip|negativ\w*|backlash|spike|mood|outrage)|\bwhat(?:'s| is)? (happened|happening|going on)\b/i,
  },
  { tool: "get_sentiment", re: /\b(sentiment|mood|tone|feel(ing)?s?|opinion|perception|how (are|is) (we|it|the campaign) doing|positive|favou?rab)/i },
  {
    tool: "get_platform_breakdown",
    re: /\b(which|what) (social )?(platforms?|channels?|networks?|sites?|outlets?)\b|\bplatforms?\b.*\b(hurt\w*|worst|damag\w*|negativ\w*|problem\w*|bleed\w*)|\b(hurt\w*|damag\w*|bleed\w*)\b.*\b(platforms?|channels?|networks?)\b|\bwhere (is|are) (the )?(negativ\w*|attacks?|backlash|damage|hate)\b.*\b(coming|from)/i,
  },
  {
    tool: "get_hostile_voices",
    re: /\bwho(?:'s| is| are)?\b.*\b(attack\w*|critic\w*|hostile|negative|haters?|trolls?|against us|going after|slamm\w*|bash\w*|smear\w*|loudest)|\b(hostile|negative|loudest|top|worst|biggest|main) (voices|critics|accounts|authors|detractors|attackers|haters|trolls|posters)\b|\b(critics|detractors|attackers)\b/i,
  },
  { tool: "get_top_negative_mentions", re: /\b(negative|attacks?|attacking|critici[sz]\w*|complain\w*|hostile|worst|damaging|haters?|trolls?|backlash)\b/i },
  { tool: "get_open_crises_and_alerts", re: /\b(crisis|crises|alerts?|emergenc\w*|threats?|urgent|fire|incidents?)\b/i },
  {
    tool: "draft_holding_statement",
    re: /\b(draft|write|prepare|compose|craft|suggest)\b.*\b(statement|response|reply|rebuttal|press lines?|talking points|comment)\b|\bholding statement\b|\bhow (should|do|can) we (respond|reply|answer)\b/i,
  },
  {
    tool: "get_recommended_actions",
    re: /\bwhat (should|do|can|must|would you recommend) (we|i)\b.*\b(do|doing|focus|prioriti[sz]e)\b|\bnext steps?\b|\bwhat now\b|\brecommend\w*\b|\bwhat actions?\b|\bwhat(?:'s| is) (the|our) (plan|move)\b|\bhow should we (handle|react|deal)\b|\bpriorit(y|ies|i[sz]e)\b|\bgame ?plan\b/i,
  },
  {
    tool: "search_knowledge_base",
    re: /\b(documents?|docs?|reports?|files?|uploads?|knowledge|search|find|brief(ing)?s?|memos?|press release|transcripts?|speech|research|what do we know|(say|said|says|saying) (about|on)|position on|stance on|what did \w+( \w+)? say)\b/i,
  },
];

const COMPARE =
  /\b(compare|comparison|compared|versus|vs\.?|against|stack(s)? up|head[- ]to[- ]head|relative to|ahead of|behind|beat(ing)?|lead(ing)?|trail(ing)?)\b/i;
const COMPETITOR_WORD = /\b(competitors?|competition|opponents?|rivals?|challengers?|the other (side|campaign|candidate))\b/i;
const DOING = /\bhow(?:'s| is| are)\b.*\b(doing|polling|faring|trending|perceived)\b/i;

/** What the offline assistant knows about the campaign before matching: the competitors its monitoring names. */
export interface IntentContext {
  competitors?: string[];
}

const STOP = new Set(
  "a an the of to in on at for with by from and or is are was were be what which who how do does did we our us you your i me my about any there this that it its can could would should please tell show give find search look up documents document docs doc knowledge base files file reports report says say said saying know has have had been being will just me draft write".split(
    " ",
  ),
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

/** What a statement is to be about ("… about the leaked audio"), or null (then: the open incident). */
export function statementTopic(text: string): string | null {
  const m = /\b(?:about|on|regarding|concerning|addressing|over)\s+(.{3,120}?)[?.!]*$/i.exec(text.trim());
  if (!m) return null;
  const topic = searchTerms(m[1]!);
  // "a response to the top negative story" is about the incident, not a subject to look up.
  if (!topic || /^(it|this|that|the (top|worst|latest|main) (negative )?(story|post|mention|attack|coverage))$/i.test(m[1]!.trim())) return null;
  return topic;
}

/** The tools a question calls for; an overview (sentiment, crises and alerts) when nothing matches. */
export function matchIntents(text: string, ctx: IntentContext = {}): Intent[] {
  const hours = windowHours(text);
  const intents: Intent[] = [];
  const has = (tool: ToolName) => intents.some((i) => i.tool === tool);
  const competitor = namedCompetitor(text, ctx.competitors ?? []);
  if (
    (COMPARE.test(text) && (competitor || COMPETITOR_WORD.test(text))) ||
    /\bshare of voice\b/i.test(text) ||
    (competitor && DOING.test(text) && !/\b(we|us|our)\b/i.test(text.replace(new RegExp(competitor, "i"), "")))
  ) {
    const args: ToolArgs = { days: Math.max(1, Math.min(30, Math.ceil(hours / 24))) };
    if (competitor) args.competitor = competitor;
    intents.push({ tool: "compare_competitor", args });
  }
  for (const rule of RULES) {
    if (!rule.re.test(text)) continue;
    const args: ToolArgs = {};
    if (
      rule.tool === "get_sentiment" ||
      rule.tool === "get_top_negative_mentions" ||
      rule.tool === "explain_sentiment" ||
      rule.tool === "get_platform_breakdown" ||
      rule.tool === "get_hostile_voices" ||
      rule.tool === "get_recommended_actions"
    )
      args.hours = hours;
    if (rule.tool === "search_knowledge_base") {
      const q = searchTerms(text);
      if (!q) continue;
      args.query = q;
    }
    if (rule.tool === "draft_holding_statement") {
      const topic = statementTopic(text);
      if (topic) args.topic = topic;
    }
    intents.push({ tool: rule.tool, args });
  }
  // The richer analyses include the plainer reads: one answer, not the same figures twice.
  const covered = new Set<ToolName>();
  if (has("explain_sentiment")) covered.add("get_sentiment").add("get_open_crises_and_alerts").add("get_top_negative_mentions");
  if (has("get_hostile_voices") || has("get_platform_breakdown")) covered.add("get_top_negative_mentions");
  if (has("draft_holding_statement")) covered.add("get_top_negative_mentions").add("search_knowledge_base").add("get_open_crises_and_alerts");
  if (has("get_recommended_actions")) covered.add("get_open_crises_and_alerts");
  if (has("compare_competitor")) covered.add("get_sentiment").add("search_knowledge_base");
  if (has("get_platform_breakdown")) covered.add("get_sentiment");
  const kept = intents.filter((i) => !covered.has(i.tool));
  // "campaigns" alone lists them; with another subject it is just context.
  const rest = kept.filter((i) => i.tool !== "list_campaigns");
  if (rest.length) return rest;
  if (kept.length) return kept;
  return [
    { tool: "get_sentiment", args: { hours } },
    { tool: "get_open_crises_and_alerts", args: {} },
  ];
}

/** The offline reply: a marked header, each tool's lines built from the figures it read, then the figures and their sources. */
export function composeOfflineReply(outcomes: ToolOutcome[], reason: string): string {
  const body = outcomes.flatMap((o) => o.lines);
  const seen = new Set<string>();
  const figures: Figure[] = outcomes
    .flatMap((o) => o.figures)
    .filter((f) => {
      if (seen.has(f.label)) return false;
      seen.add(f.label);
      return true;
    });
  const sources = [...new Set(figures.map((f) => f.source))];
  const footer = figures.length
    ? [
        "",
        `Figures used: ${figures.map((f) => `${f.label} = ${f.value}${f.unit && f.unit !== "[-1, 1]" && f.unit !== "[0, 1]" ? ` ${f.unit}` : ""}`).join("; ")}.`,
        `Sources: ${sources.join("; ")}.`,
      ]
    : [];
  return [`[Offline mode: ${reason}. This answer is assembled from the platform's own figures, without the AI model.]`, ...body, ...footer].join("\n");
}
