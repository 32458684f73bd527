// intelligence's endpoints (the seed's paths): the assistant, documents and their analyses,
// reports, threat assessments, knowledge-base search and the competitor view. Permissions:
// viewers read (chat, history, reports, search, competitors); analysts and up upload and analyse.
import { api, APIError } from "encore.dev/api";
import { requirePermission } from "../shared/permissions";
import { campaignCaller, canSee, requireCampaign, requireUuid, visibilityOf } from "./access";
import { analyzeDocument as analyze, CONTENT_MAX_CHARS, contentThreatAssessment, threatAssessment as assess } from "./flows/analyses";
import { readContent } from "./domain/content";
import { history, sendMessage } from "./flows/assistant";
import { competitorIntelligence } from "./flows/data";
import { documentView, uploadDocument as upload } from "./flows/documents";
import type {
  AnalyzeRequest,
  AnalyzeResponse,
  ChatHistoryRequest,
  ChatHistoryResponse,
  ChatRequest,
  ChatResponse,
  CompetitorRequest,
  CompetitorResponse,
  DocumentRef,
  DocumentUpload,
  ReportsRequest,
  ReportsResponse,
  SearchRequest,
  SearchResponse,
  ThreatAssessmentRequest,
  ThreatAssessmentResponse,
  UploadRequest,
} from "./model";
import * as store from "./store";

// sendChatMessage asks the assistant a question in a new or an existing session of the caller's.
export const sendChatMessage = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/intelligence/chat/message" },
  (req: ChatRequest): Promise<ChatResponse> => sendMessage(requirePermission("intelligence", "read"), req),
);

// getChatHistory returns a page of one of the caller's sessions, oldest first (anyone else's: 404).
export const getChatHistory = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/intelligence/chat/history/:sessionId" },
  (req: ChatHistoryRequest): Promise<ChatHistoryResponse> => history(requirePermission("intelligence", "read"), req),
);

// uploadDocument stores a document (text, Markdown, or base64 PDF/DOCX, at most 5 MiB) and queues its processing.
export const uploadDocument = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/intelligence/documents/upload", bodyLimit: 16_777_216 },
  async (req: UploadRequest): Promise<DocumentUpload> => {
    const caller = req.campaignId !== undefined ? await campaignCaller(req.campaignId, "create") : requirePermission("intelligence", "create");
    return upload(caller, req);
  },
);

// getDocument returns one document the caller may see, with its processing state.
export const getDocument = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/intelligence/documents/:id" },
  async ({ id }: DocumentRef): Promise<DocumentUpload> => {
    const caller = requirePermission("intelligence", "read");
    requireUuid(id, "id");
    const doc = await store.getDocument(id);
    if (!doc || !canSee(await visibilityOf(caller), doc.campaignId, doc.uploadedBy)) throw APIError.notFound("document not found");
    return documentView(doc);
  },
);

// analyzeDocument runs one analysis (summary, sentiment, entities, claims, risk) of a processed document and stores it as a report.
export const analyzeDocument = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/intelligence/documents/analyze" },
  (req: AnalyzeRequest): Promise<AnalyzeResponse> => analyze(requirePermission("intelligence", "create"), req),
);

// getIntelligenceReports lists the reports the caller may see, newest first.
export const getIntelligenceReports = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/intelligence/reports" },
  async (req: ReportsRequest): Promise<ReportsResponse> => {
    const caller = requirePermission("intelligence", "read");
    if (req.campaignId !== undefined) {
      requireUuid(req.campaignId, "campaignId");
      await requireCampaign(caller, req.campaignId, "read");
    }
    return store.listReports(await visibilityOf(caller), req.kind ?? null, req.campaignId ?? null, req.limit ?? 20, req.offset ?? 0);
  },
);

// threatAssessment scores a campaign's current threat from monitoring and alerting, or (the seed's `{data}`) a post, article or text, optionally for a campaign, with its evidence, and stores it as a report.
export const threatAssessment = api(
  { expose: true, auth: true, method: "POST", path: "/api/v1/intelligence/threat-assessment" },
  async (req: ThreatAssessmentRequest): Promise<ThreatAssessmentResponse> => {
    if (req.data !== undefined && req.data !== null) {
      const read = readContent(req.data, CONTENT_MAX_CHARS);
      if (!read.ok) throw APIError.invalidArgument(read.message);
      if (req.campaignId !== undefined && read.campaignId !== undefined && req.campaignId !== read.campaignId)
        throw APIError.invalidArgument("campaignId and data.campaignId differ");
      const campaignId = req.campaignId ?? read.campaignId;
      const caller = campaignId !== undefined ? await campaignCaller(campaignId, "create") : requirePermission("intelligence", "create");
      return contentThreatAssessment(caller, read.content, campaignId ?? null);
    }
    if (req.campaignId === undefined) throw APIError.invalidArgument("send data (the content to assess) or campaignId (the campaign to assess)");
    const caller = await campaignCaller(req.campaignId, "create");
    return assess(caller, req.campaignId, req.hours ?? 24);
  },
);

// searchKnowledgeBase ranks the passages and reports the caller may see against a web-style query.
export const searchKnowledgeBase = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/intelligence/knowledge-base/search" },
  async (req: SearchRequest): Promise<SearchResponse> => {
    const caller = requirePermission("intelligence", "read");
    const q = req.q.trim();
    if (!q) throw APIError.invalidArgument("q is empty");
    return { results: await store.search(await visibilityOf(caller), q, req.limit ?? 10, req.offset ?? 0) };
  },
);

// getCompetitorData compares a competitor named in a monitoring config with the campaign.
export const getCompetitorData = api(
  { expose: true, auth: true, method: "GET", path: "/api/v1/intelligence/competitors/:competitor" },
  async (req: CompetitorRequest): Promise<CompetitorResponse> => {
    const caller = requirePermission("intelligence", "read");
    const competitor = req.competitor.trim();
    if (!competitor || competitor.length > 255) throw APIError.invalidArgument("competitor must be 1 to 255 characters");
    if (req.campaignId !== undefined) requireUuid(req.campaignId, "campaignId");
    return { data: await competitorIntelligence(caller, competitor, req.campaignId, req.days ?? 7) };
  },
);
