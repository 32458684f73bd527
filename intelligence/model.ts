// intelligence's request and response types: the seed's ChatMessage, ChatRequest, ChatResponse and
// DocumentUpload, the typed analysis results, reports, threat assessments, knowledge-base search and
// the competitor view, and the internal compliance shapes (shared/retention.ts).
import type { Max, MaxLen, Min, MinLen } from "encore.dev/validate";
import type { Int } from "../shared/int";
import type { AnalysisType, ClaimsResult, EntitiesResult, RiskResult, SentimentResult, SummaryResult } from "./domain/analysis";
import type { ContentFactor, ContentKind } from "./domain/content";
import type { ThreatFactor, ThreatLevel } from "./domain/threat";
import type { Figure } from "./domain/tools";

export type { AnalysisType, Figure, ThreatFactor, ThreatLevel };

/** One message of a conversation (seed shape, plus how an answer was produced and the figures it used). */
export interface ChatMessage {
  id: string;
  content: string;
  role: "user" | "assistant";
  timestamp: Date;
  sessionId: string;
  /** Assistant messages: "model" (the AI model with tools) or "offline" (intent matching over the same tools). */
  mode?: "model" | "offline";
  /** Assistant messages: the figures the answer was built on. */
  figures?: Figure[];
}

/** POST /api/v1/intelligence/chat/message (seed shape): a question, in a new or an existing session. */
export interface ChatRequest {
  message: string & MinLen<1> & MaxLen<4000>;
  /** Continue this session (yours only); omit to start one. */
  sessionId?: string;
  /** The campaign the conversation is about (tools default to it); a session keeps the first one given. */
  campaignId?: string;
}

/** The tokens one answer cost. */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/** The stored question, the answer, and the session (seed shape), with how it was answered. */
export interface ChatResponse {
  message: ChatMessage;
  response: string;
  sessionId: string;
  mode: "model" | "offline";
  /** The figures the answer was built on (from the tools that ran). */
  figures: Figure[];
  /** The tools that ran, in order. */
  toolsUsed: string[];
  usage: TokenUsage;
}

/** GET /api/v1/intelligence/chat/history/:sessionId: a page of a session's messages, oldest first. */
export interface ChatHistoryRequest {
  sessionId: string;
  /** Default 50, at most 200. */
  limit?: Int & Min<1> & Max<200>;
  /** The previous page's nextCursor. */
  cursor?: string & MaxLen<40>;
}

/** A page of messages, oldest first; nextCursor is absent on the last page. */
export interface ChatHistoryResponse {
  messages: ChatMessage[];
  nextCursor?: string;
}

/** POST /api/v1/intelligence/documents/upload (seed shape): text or Markdown as is; PDF and DOCX base64-encoded. */
export interface UploadRequest {
  /** Its extension says the format: .txt, .md/.markdown, .pdf, .docx. */
  filename: string & MinLen<1> & MaxLen<255>;
  content: string & MinLen<1>;
  /** The campaign it belongs to (its members see it); omit to keep it private to you. */
  campaignId?: string;
}

/** An uploaded document (seed shape), with its processing state. */
export interface DocumentUpload {
  id: string;
  filename: string;
  content: string;
  uploadedBy: string;
  uploadedAt: Date;
  processed: boolean;
  format: "text" | "markdown" | "pdf" | "docx";
  status: "pending" | "processed" | "failed";
  campaignId?: string;
  /** Once processed: how many passages it was split into, and its summary. */
  passages: number;
  summary?: string;
  error?: string;
}

/** GET /api/v1/intelligence/documents/:id. */
export interface DocumentRef {
  id: string;
}

/** POST /api/v1/intelligence/documents/analyze. */
export interface AnalyzeRequest {
  documentId: string;
  analysisType: AnalysisType;
}

/** One analysis's result: exactly the field named by analysisType is set. */
export interface AnalysisResults {
  analysisType: AnalysisType;
  documentId: string;
  /**
   * "model": the AI model produced it (summary: its text; other analyses: its structured answer,
   * validated against the document); "heuristic": computed from the text alone.
   */
  engine: "model" | "heuristic";
  /** Why the heuristic engine answered although a model was asked (or is configured): absent otherwise. */
  fallbackReason?: string;
  /** Model answers only: quotes, claims, findings or entities it gave that are not in the document, left out. */
  droppedUngrounded?: number;
  summary?: SummaryResult;
  sentiment?: SentimentResult;
  entities?: EntitiesResult;
  claims?: ClaimsResult;
  risk?: RiskResult;
}

/** The analysis (seed shape `{results}`), and the report it was stored as. */
export interface AnalyzeResponse {
  results: AnalysisResults;
  reportId: string;
}

/** POST /api/v1/intelligence/threat-assessment: a campaign's current threat, or (the seed's `{data}`) a piece of content's. */
export interface ThreatAssessmentRequest {
  /** The campaign to assess; with `data`, the campaign the content is assessed for (context). */
  campaignId?: string;
  /** Content to assess (seed: `{data}`): free text, or a post, an article or a page's text with what is known of it. */
  data?: string | ThreatContent;
  /** Campaign assessment: the window looked at, in hours (default 24, at most 168); compared with the window before it. */
  hours?: Int & Min<1> & Max<168>;
}

/** A piece of content to assess (`text` is what is read; a URL is not fetched: send its text). */
export interface ThreatContent {
  /** Default "text" ("url" when `url` is given). */
  kind?: ContentKind;
  text: string;
  title?: string & MaxLen<500>;
  url?: string & MaxLen<2000>;
  author?: string & MaxLen<200>;
  platform?: string & MaxLen<50>;
  /** Known audience (followers, views, circulation). */
  reach?: Int & Min<0>;
  /** The campaign it is assessed for (as the top-level campaignId). */
  campaignId?: string;
}

/** What a content assessment looked at. */
export interface AssessedContent {
  kind: ContentKind;
  title?: string;
  url?: string;
  author?: string;
  platform?: string;
  characters: number;
}

/** A threat assessment: a campaign's (from monitoring and alerting), or a piece of content's. */
export interface ThreatAssessment {
  /** The campaign assessed, or the one content was assessed for. */
  campaignId?: string;
  /** Set when content was assessed. */
  content?: AssessedContent;
  threatLevel: ThreatLevel;
  /** In [0, 1]. */
  score: number;
  factors: (ThreatFactor | ContentFactor)[];
  recommendedActions: string[];
  /** Campaign assessments: the window looked at. */
  windowHours?: number;
  assessedAt: Date;
}

/** The assessment (seed shape `{assessment}`) and the report it was stored as. */
export interface ThreatAssessmentResponse {
  assessment: ThreatAssessment;
  reportId: string;
}

/** What a report holds: an analysis or a threat assessment. */
export interface ReportContent {
  analysis?: AnalysisResults;
  threat?: ThreatAssessment;
}

/** A stored report. */
export interface Report {
  id: string;
  kind: "analysis" | "threat_assessment" | "briefing";
  analysisType?: AnalysisType;
  title: string;
  summary: string;
  campaignId?: string;
  documentId?: string;
  createdBy: string;
  createdAt: Date;
  content: ReportContent;
}

/** GET /api/v1/intelligence/reports: newest first. */
export interface ReportsRequest {
  kind?: "analysis" | "threat_assessment" | "briefing";
  campaignId?: string;
  /** Default 20, at most 100. */
  limit?: Int & Min<1> & Max<100>;
  offset?: Int & Min<0>;
}

/** A page of reports and how many there are in all. */
export interface ReportsResponse {
  reports: Report[];
  total: number;
}

/** GET /api/v1/intelligence/knowledge-base/search. */
export interface SearchRequest {
  q: string & MinLen<1> & MaxLen<200>;
  /** Default 10, at most 50. */
  limit?: Int & Min<1> & Max<50>;
  offset?: Int & Min<0> & Max<1000>;
}

/** Where a search result comes from. */
export interface SearchSource {
  type: "document" | "report";
  id: string;
  /** The document's filename or the report's title. */
  title: string;
  /** A document passage's position (0-based). */
  position?: number;
  campaignId?: string;
}

/** One ranked result: the fragment as plain text with the matches' offsets, and as escaped HTML. */
export interface SearchResult {
  kind: "passage" | "report";
  id: string;
  rank: number;
  heading: string;
  /** The fragment HTML-escaped, matches wrapped in <mark>…</mark> (the only markup): safe to render as HTML. */
  snippet: string;
  /** The fragment as plain text (not escaped). */
  text: string;
  /** The matches in `text`: [start, end) offsets in UTF-16 code units. */
  highlights: { start: number; end: number }[];
  source: SearchSource;
}

/** Ranked results (seed shape `{results}`). */
export interface SearchResponse {
  results: SearchResult[];
}

/** GET /api/v1/intelligence/competitors/:competitor. */
export interface CompetitorRequest {
  competitor: string;
  /** The campaign whose monitoring config names the competitor (default: the first you can see that does). */
  campaignId?: string;
  /** Default 7, at most 30. */
  days?: Int & Min<1> & Max<30>;
}

/** Mentions per day. */
export interface TrendPoint {
  date: string;
  competitorMentions: number;
  campaignMentions: number;
}

/** A mention quoted as evidence. */
export interface CompetitorMention {
  author: string;
  platform: string;
  text: string;
  sentiment: number;
  reach: number;
  url: string;
  timestamp: Date;
}

/** The competitor against the campaign over the window. */
export interface CompetitorIntelligence {
  competitor: string;
  campaignId: string;
  days: number;
  competitorMentions: number;
  campaignMentions: number;
  /** The competitor's share of all mentions in the window, in [0, 1]. */
  shareOfVoice: number;
  competitorSentiment: number;
  campaignSentiment: number;
  /** competitorSentiment - campaignSentiment. */
  sentimentGap: number;
  competitorReach: number;
  trend: TrendPoint[];
  topMentions: CompetitorMention[];
  /** True when the window held more mentions than were read (figures from the newest ones). */
  sampled: boolean;
}

/** The competitor view (seed shape `{data}`). */
export interface CompetitorResponse {
  data: CompetitorIntelligence;
}

/** What a run of the move job did. */
export interface MoveResult {
  /** Documents whose file moved from the row into the bucket. */
  moved: number;
  /** Files of deleted documents removed from the bucket. */
  removed: number;
}
