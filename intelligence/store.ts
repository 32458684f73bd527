// intelligence's SQL: the only file that talks to intelligence's database. Rows come back as the
// API's types (camelCase). Visibility (who may see a document, passage or report) is applied here,
// in the WHERE clause, so no query can forget it.
import { deletionQueue, moveBatch, type DeletionQueue } from "../shared/objects";
import { db } from "./db";
import { inTransaction } from "../shared/sql";
import type { AnalysedPassage } from "./domain/analysis";
import type { PassageDraft } from "./domain/passages";
import type { Figure } from "./domain/tools";
import { isWebSyntax, safeSnippet, START_SEL, STOP_SEL } from "./domain/search";
import type { ChatMessage, DocumentUpload, Report, ReportContent, SearchResult } from "./model";

/** What a caller may see: everything (admins), or their campaigns' rows and their own private rows. */
export interface Visibility {
  all: boolean;
  userId: string;
  campaignIds: string[];
}

/** The database's own name: namespaces this deployment's cache keys (and each test file's). */
export async function databaseName(): Promise<string> {
  const row = await db.queryRow<{ name: string }>`SELECT current_database() AS name`;
  return row!.name;
}

// --- chat ---

export interface SessionRow {
  id: string;
  userId: string;
  campaignId: string | null;
}

export async function createSession(userId: string, campaignId: string | null): Promise<SessionRow> {
  const row = await db.queryRow<{ id: string }>`INSERT INTO chat_sessions (user_id, campaign_id) VALUES (${userId}, ${campaignId}::uuid) RETURNING id`;
  return { id: row!.id, userId, campaignId };
}

export async function getSession(id: string): Promise<SessionRow | null> {
  const row = await db.queryRow<{
    id: string;
    user_id: string;
    campaign_id: string | null;
  }>`SELECT id, user_id, campaign_id FROM chat_sessions WHERE id = ${id}::uuid`;
  return row ? { id: row.id, userId: row.user_id, campaignId: row.campaign_id } : null;
}

/** Marks the session used now; sets its campaign if it had none. */
export async function touchSession(id: string, campaignId: string | null): Promise<void> {
  await db.exec`UPDATE chat_sessions SET updated_at = now(), campaign_id = COALESCE(campaign_id, ${campaignId}::uuid) WHERE id = ${id}::uuid`;
}

interface MessageRow {
  id: string;
  seq: string;
  session_id: string;
  role: "user" | "assistant";
  content: string;
  mode: "model" | "offline" | null;
  figures: Figure[];
  created_at: Date;
}

function toMessage(r: MessageRow): ChatMessage {
  const m: ChatMessage = { id: r.id, content: r.content, role: r.role, timestamp: r.created_at, sessionId: r.session_id };
  if (r.mode) m.mode = r.mode;
  if (r.role === "assistant") m.figures = r.figures;
  return m;
}

export async function addMessage(
  sessionId: string,
  userId: string,
  role: "user" | "assistant",
  content: string,
  mode: "model" | "offline" | null,
  figures: Figure[],
): Promise<ChatMessage> {
  const row = await db.queryRow<MessageRow>`
    INSERT INTO chat_messages (session_id, user_id, role, content, mode, figures)
    VALUES (${sessionId}::uuid, ${userId}, ${role}, ${content}, ${mode}, ${JSON.stringify(figures)}::text::jsonb)
    RETURNING id, seq::text AS seq, session_id, role, content, mode, figures, created_at`;
  return toMessage(row!);
}

/** A message of a session's history. */
export interface HistoryRow {
  role: "user" | "assistant";
  content: string;
  mode: "model" | "offline" | null;
  figures: Figure[];
}

/** The newest `limit` messages of a session, oldest first (the model's history). */
export async function recentMessages(sessionId: string, limit: number): Promise<HistoryRow[]> {
  return db.queryAll<HistoryRow>`
    SELECT role, content, mode, figures FROM (SELECT role, content, mode, figures, seq FROM chat_messages WHERE session_id = ${sessionId}::uuid ORDER BY seq DESC LIMIT ${limit}) m ORDER BY seq`;
}

/** A page of a session's messages after `afterSeq`, oldest first; one more than `limit` tells there is a next page. */
export async function listMessages(
  sessionId: string,
  afterSeq: string | null,
  limit: number,
): Promise<{ messages: ChatMessage[]; lastSeq: string | null; more: boolean }> {
  const rows = await db.queryAll<MessageRow>`
    SELECT id, seq::text AS seq, session_id, role, content, mode, figures, created_at FROM chat_messages
    WHERE session_id = ${sessionId}::uuid AND (${afterSeq}::text IS NULL OR seq > ${afterSeq}::text::bigint)
    ORDER BY seq LIMIT ${limit + 1}`;
  const page = rows.slice(0, limit);
  return { messages: page.map(toMessage), lastSeq: page.length ? page[page.length - 1]!.seq : null, more: rows.length > limit };
}

export async function recordUsage(u: {
  userId: string;
  sessionId: string | null;
  purpose: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}): Promise<void> {
  await db.exec`
    INSERT INTO token_usage (user_id, session_id, purpose, model, prompt_tokens, completion_tokens, total_tokens)
    VALUES (${u.userId}, ${u.sessionId}::uuid, ${u.purpose}, ${u.model}, ${u.promptTokens}, ${u.completionTokens}, ${u.totalTokens})`;
}

/** Tokens a user spent since `since`. */
export async function tokensUsed(userId: string, since: Date): Promise<number> {
  const row = await db.queryRow<{
    n: number;
  }>`SELECT COALESCE(sum(total_tokens), 0)::int AS n FROM token_usage WHERE user_id = ${userId} AND created_at >= ${since}`;
  return row!.n;
}

// --- documents ---

/** A stored document. */
export interface StoredDocument {
  id: string;
  filename: string;
  format: DocumentUpload["format"];
  /** The file as uploaded (text, or base64), only in rows the move job has not moved to the bucket yet. */
  content: string | null;
  /** The file's key in the `intelligence-documents` bucket (files.ts); null until moved. */
  objectKey: string | null;
  sizeBytes: number;
  uploadedBy: string;
  campaignId: string | null;
  uploadedAt: Date;
  status: DocumentUpload["status"];
  processed: boolean;
  processedAt: Date | null;
  error: string | null;
  text: string | null;
  summary: string | null;
  passageCount: number;
  eventPublishedAt: Date | null;
}

interface DocumentRow {
  id: string;
  filename: string;
  format: DocumentUpload["format"];
  content: string | null;
  object_key: string | null;
  size_bytes: number;
  uploaded_by: string;
  campaign_id: string | null;
  uploaded_at: Date;
  status: DocumentUpload["status"];
  processed: boolean;
  processed_at: Date | null;
  error: string | null;
  text: string | null;
  summary: string | null;
  passage_count: number;
  event_published_at: Date | null;
}

function toStoredDocument(r: DocumentRow): StoredDocument {
  return {
    id: r.id,
    filename: r.filename,
    format: r.format,
    content: r.content,
    objectKey: r.object_key,
    sizeBytes: r.size_bytes,
    uploadedBy: r.uploaded_by,
    campaignId: r.campaign_id,
    uploadedAt: r.uploaded_at,
    status: r.status,
    processed: r.processed,
    processedAt: r.processed_at,
    error: r.error,
    text: r.text,
    summary: r.summary,
    passageCount: r.passage_count,
    eventPublishedAt: r.event_published_at,
  };
}

/** The API's document; `content` is the file as the API carries it (flows/document-files.ts reads it). */
export function toDocument(r: StoredDocument, content: string): DocumentUpload {
  const d: DocumentUpload = {
    id: r.id,
    filename: r.filename,
    content,
    uploadedBy: r.uploadedBy,
    uploadedAt: r.uploadedAt,
    processed: r.processed,
    format: r.format,
    status: r.status,
    passages: r.passageCount,
  };
  if (r.campaignId) d.campaignId = r.campaignId;
  if (r.summary !== null) d.summary = r.summary;
  if (r.error !== null) d.error = r.error;
  return d;
}

export async function insertDocument(d: {
  id: string;
  filename: string;
  format: DocumentUpload["format"];
  objectKey: string;
  sizeBytes: number;
  uploadedBy: string;
  campaignId: string | null;
}): Promise<StoredDocument> {
  const row = await db.queryRow<DocumentRow>`
    INSERT INTO documents (id, filename, format, object_key, size_bytes, uploaded_by, campaign_id)
    VALUES (${d.id}::uuid, ${d.filename}, ${d.format}, ${d.objectKey}, ${d.sizeBytes}, ${d.uploadedBy}, ${d.campaignId}::uuid)
    RETURNING *`;
  return toStoredDocument(row!);
}

export async function getDocument(id: string): Promise<StoredDocument | null> {
  const row = await db.queryRow<DocumentRow>`SELECT * FROM documents WHERE id = ${id}::uuid`;
  return row ? toStoredDocument(row) : null;
}

/** Stores a document's text, summary and passages (replacing any), and marks it processed; false when it is gone. */
export async function saveProcessed(id: string, text: string, summary: string, passages: PassageDraft[]): Promise<boolean> {
  const tx = await db.begin();
  try {
    const doc = await tx.queryRow<{
      uploaded_by: string;
      campaign_id: string | null;
    }>`SELECT uploaded_by, campaign_id FROM documents WHERE id = ${id}::uuid FOR UPDATE`;
    if (!doc) {
      await tx.rollback();
      return false;
    }
    await tx.exec`DELETE FROM passages WHERE document_id = ${id}::uuid`;
    if (passages.length) {
      await tx.exec`
        INSERT INTO passages (document_id, campaign_id, owner_id, position, heading, body)
        SELECT ${id}::uuid, ${doc.campaign_id}::uuid, ${doc.uploaded_by}, p.position, p.heading, p.body
        FROM unnest(${passages.map((p) => p.position)}::int[], ${passages.map((p) => p.heading)}::text[], ${passages.map((p) => p.body)}::text[]) AS p(position, heading, body)`;
    }
    await tx.exec`
      UPDATE documents SET text = ${text}, summary = ${summary}, passage_count = ${passages.length}, processed = true, status = 'processed', processed_at = now(), error = NULL
      WHERE id = ${id}::uuid`;
    await tx.commit();
    return true;
  } catch (err) {
    await tx.rollback();
    throw err;
  }
}

export async function markFailed(id: string, error: string): Promise<void> {
  await db.exec`UPDATE documents SET status = 'failed', error = ${error.slice(0, 500)} WHERE id = ${id}::uuid AND NOT processed`;
}

export async function markEventPublished(id: string): Promise<void> {
  await db.exec`UPDATE documents SET event_published_at = now() WHERE id = ${id}::uuid`;
}

/**
 * Moves up to `limit` documents whose file is still in the row into the bucket: their rows are
 * locked (SKIP LOCKED: another process moving at the same time takes other rows), each file is
 * handed to `upload` (which returns its object key) and the row then records the key and drops
 * the content. Files are read one at a time. When an upload fails, the rows already moved are
 * committed and the error is rethrown. Returns how many rows were moved.
 */
export function moveDocumentBatch(
  limit: number,
  upload: (doc: { id: string; format: DocumentUpload["format"]; content: string }) => Promise<string>,
): Promise<number> {
  return moveBatch(
    db,
    (tx) => tx.queryAll<{ id: string; format: DocumentUpload["format"] }>`
      SELECT id::text AS id, format FROM documents WHERE content IS NOT NULL ORDER BY uploaded_at, id LIMIT ${limit}::int FOR UPDATE SKIP LOCKED`,
    async (tx, { id, format }) => {
      const row = await tx.queryRow<{ content: string }>`SELECT content FROM documents WHERE id = ${id}::uuid`;
      const key = await upload({ id, format, content: row!.content });
      await tx.exec`UPDATE documents SET object_key = ${key}, content = NULL WHERE id = ${id}::uuid`;
    },
  );
}

/** Object keys of deleted rows, queued for removal from the bucket (the `object_deletions` table). */
export const objectDeletions: DeletionQueue = deletionQueue(db);

export async function listPassages(documentId: string): Promise<AnalysedPassage[]> {
  return db.queryAll<AnalysedPassage>`SELECT id, position, heading, body FROM passages WHERE document_id = ${documentId}::uuid ORDER BY position`;
}

// --- reports ---

interface ReportRow {
  id: string;
  kind: Report["kind"];
  analysis_type: Report["analysisType"] | null;
  document_id: string | null;
  campaign_id: string | null;
  owner_id: string;
  title: string;
  summary: string;
  content: ReportContent;
  created_at: Date;
}

function reviveDates(content: ReportContent): ReportContent {
  // JSONB keeps times as text.
  if (content.threat) content.threat = { ...content.threat, assessedAt: new Date(content.threat.assessedAt) };
  return content;
}

function toReport(r: ReportRow): Report {
  const report: Report = {
    id: r.id,
    kind: r.kind,
    title: r.title,
    summary: r.summary,
    createdBy: r.owner_id,
    createdAt: r.created_at,
    content: reviveDates(r.content),
  };
  if (r.analysis_type) report.analysisType = r.analysis_type;
  if (r.campaign_id) report.campaignId = r.campaign_id;
  if (r.document_id) report.documentId = r.document_id;
  return report;
}

export async function insertReport(r: {
  kind: Report["kind"];
  analysisType: Report["analysisType"] | null;
  documentId: string | null;
  campaignId: string | null;
  ownerId: string;
  title: string;
  summary: string;
  content: ReportContent;
}): Promise<Report> {
  const row = await db.queryRow<ReportRow>`
    INSERT INTO reports (kind, analysis_type, document_id, campaign_id, owner_id, title, summary, content)
    VALUES (${r.kind}, ${r.analysisType}, ${r.documentId}::uuid, ${r.campaignId}::uuid, ${r.ownerId}, ${r.title}, ${r.summary}, ${JSON.stringify(r.content)}::text::jsonb)
    RETURNING id, kind, analysis_type, document_id, campaign_id, owner_id, title, summary, content, created_at`;
  return toReport(row!);
}

export async function listReports(
  v: Visibility,
  kind: Report["kind"] | null,
  campaignId: string | null,
  limit: number,
  offset: number,
): Promise<{ reports: Report[]; total: number }> {
  const rows = await db.queryAll<ReportRow & { total: number }>`
    SELECT id, kind, analysis_type, document_id, campaign_id, owner_id, title, summary, content, created_at, count(*) OVER ()::int AS total
    FROM reports
    WHERE (${v.all} OR campaign_id = ANY(${v.campaignIds}::uuid[]) OR (campaign_id IS NULL AND owner_id = ${v.userId}))
      AND (${kind}::text IS NULL OR kind = ${kind}::text)
      AND (${campaignId}::uuid IS NULL OR campaign_id = ${campaignId}::uuid)
    ORDER BY created_at DESC, id
    OFFSET ${offset} LIMIT ${limit}`;
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && offset > 0) {
    const c = await db.queryRow<{ n: number }>`
      SELECT count(*)::int AS n FROM reports
      WHERE (${v.all} OR campaign_id = ANY(${v.campaignIds}::uuid[]) OR (campaign_id IS NULL AND owner_id = ${v.userId}))
        AND (${kind}::text IS NULL OR kind = ${kind}::text) AND (${campaignId}::uuid IS NULL OR campaign_id = ${campaignId}::uuid)`;
    total = c!.n;
  }
  return { reports: rows.map(toReport), total };
}

// --- knowledge-base search ---

interface HitRow {
  kind: "passage" | "report";
  id: string;
  heading: string;
  rank: number;
  source_id: string;
  title: string;
  position: number | null;
  campaign_id: string | null;
  marked: string;
  body: string;
}

/**
 * Ranked full-text search over the passages and reports `v` may see. A natural question (no web
 * syntax) is OR-ed: every content word (english stop words dropped, stemmed) may match, results
 * that match them all come first, then by ts_rank_cd over the weighted vectors (heading/title A,
 * body B). A web-style query (quotes, OR, -word) is websearch_to_tsquery as written. The same text
 * is returned once: a document's summary report (or a report repeating a passage) is left out when
 * a passage of the document matches, and
 * passages or reports with identical text keep only the best ranked. Highlights come from
 * ts_headline, computed only for the page returned, with sentinels a document cannot forge.
 */
export async function search(v: Visibility, q: string, limit: number, offset: number): Promise<SearchResult[]> {
  return (await searchHits(v, q, limit, offset)).map((h) => h.result);
}

/** The search's results with each hit's whole text (at most 4,000 characters), for quoting whole sentences. */
export async function searchHits(v: Visibility, q: string, limit: number, offset: number): Promise<{ result: SearchResult; body: string }[]> {
  const natural = !isWebSyntax(q);
  const rows = await db.queryAll<HitRow>`
    WITH strict AS (SELECT websearch_to_tsquery('english', ${q}) AS query),
    q AS (
      SELECT strict.query AS strict,
             CASE WHEN ${natural} AND numnode(strict.query) > 1 THEN replace(plainto_tsquery('english', ${q})::text, ' & ', ' | ')::tsquery ELSE strict.query END AS query
      FROM strict
    ),
    hits AS (
      SELECT 'passage'::text AS kind, p.id, p.heading, p.body AS text, (ts_rank_cd(p.tsv, q.query) + CASE WHEN p.tsv @@ q.strict THEN 1 ELSE 0 END)::float8 AS rank,
             p.document_id AS source_id, d.filename AS title, p.position, p.campaign_id
      FROM passages p JOIN documents d ON d.id = p.document_id, q
      WHERE p.tsv @@ q.query AND (${v.all} OR p.campaign_id = ANY(${v.campaignIds}::uuid[]) OR (p.campaign_id IS NULL AND p.owner_id = ${v.userId}))
      UNION ALL
      SELECT 'report'::text, r.id, r.title, r.summary, (ts_rank_cd(r.tsv, q.query) + CASE WHEN r.tsv @@ q.strict THEN 1 ELSE 0 END)::float8, r.id, r.title, NULL::int, r.campaign_id
      FROM reports r, q
      WHERE r.tsv @@ q.query AND (${v.all} OR r.campaign_id = ANY(${v.campaignIds}::uuid[]) OR (r.campaign_id IS NULL AND r.owner_id = ${v.userId}))
        -- A summary of a document (or any report whose text is a passage's) repeats a passage that matches too.
        AND NOT (r.document_id IS NOT NULL AND EXISTS (
          SELECT 1 FROM passages p2 WHERE p2.document_id = r.document_id AND p2.tsv @@ q.query
            AND (r.analysis_type = 'summary' OR strpos(p2.body, r.summary) > 0)
            AND (${v.all} OR p2.campaign_id = ANY(${v.campaignIds}::uuid[]) OR (p2.campaign_id IS NULL AND p2.owner_id = ${v.userId}))))
    ),
    -- Duplicates are looked for among the best-ranked candidates only (twice the page and more), so a
    -- query matching thousands of passages does not hash them all.
    candidates AS (SELECT * FROM hits ORDER BY rank DESC, id LIMIT ${(offset + limit) * 2 + 20}),
    distinct_hits AS (
      SELECT DISTINCT ON (md5(lower(regexp_replace(text, '\\s+', ' ', 'g')))) * FROM candidates
      ORDER BY md5(lower(regexp_replace(text, '\\s+', ' ', 'g'))), rank DESC, kind, id
    ),
    page AS (SELECT * FROM distinct_hits ORDER BY rank DESC, id LIMIT ${limit} OFFSET ${offset})
    SELECT page.kind, page.id, page.heading, page.rank, page.source_id, page.title, page.position, page.campaign_id, left(page.text, 4000) AS body,
           ts_headline('english', translate(page.text, ${START_SEL + STOP_SEL}, ''), q.query,
                       ${`StartSel=${START_SEL}, StopSel=${STOP_SEL}, MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`}) AS marked
    FROM page, q
    ORDER BY page.rank DESC, page.id`;
  return rows.map((r) => {
    const { text, highlights, snippet } = safeSnippet(r.marked);
    const result: SearchResult = {
      kind: r.kind,
      id: r.id,
      rank: Math.round(r.rank * 10000) / 10000,
      heading: r.heading,
      snippet,
      text,
      highlights,
      source: { type: r.kind === "passage" ? "document" : "report", id: r.source_id, title: r.title },
    };
    if (r.position !== null) result.source.position = r.position;
    if (r.campaign_id) result.source.campaignId = r.campaign_id;
    return { result, body: r.body };
  });
}

// --- compliance: retention and erasure ---

/** Deletes chat messages older than `before` (and sessions left empty and idle since then). */
export async function purgeChatMessages(before: Date): Promise<number> {
  const row = await db.queryRow<{ n: number }>`WITH d AS (DELETE FROM chat_messages WHERE created_at < ${before} RETURNING 1) SELECT count(*)::int AS n FROM d`;
  await db.exec`DELETE FROM chat_sessions s WHERE s.updated_at < ${before} AND NOT EXISTS (SELECT 1 FROM chat_messages m WHERE m.session_id = s.id)`;
  return row!.n;
}

/** Deletes documents uploaded before `before`, with their passages and analyses; their files are queued for removal. */
export async function purgeDocuments(before: Date): Promise<number> {
  // The deleted rows' objects are queued in the same statement: flows/document-files.ts removes them after it.
  const row = await db.queryRow<{ n: number }>`
    WITH d AS (DELETE FROM documents WHERE uploaded_at < ${before} RETURNING object_key),
    q AS (INSERT INTO object_deletions (object_key) SELECT object_key FROM d WHERE object_key IS NOT NULL ON CONFLICT DO NOTHING)
    SELECT count(*)::int AS n FROM d`;
  return row!.n;
}

/** Erases a user's conversations, uploads (with their passages and analyses; files queued for removal) and token records; their other reports lose the author. */
export async function eraseUser(userId: string): Promise<Record<string, number>> {
  return inTransaction(db, async (tx) => {
    const count = async (q: Promise<{ n: number } | null>) => (await q)!.n;
    const messages = await count(
      tx.queryRow<{ n: number }>`WITH d AS (DELETE FROM chat_messages WHERE user_id = ${userId} RETURNING 1) SELECT count(*)::int AS n FROM d`,
    );
    const sessions = await count(
      tx.queryRow<{ n: number }>`WITH d AS (DELETE FROM chat_sessions WHERE user_id = ${userId} RETURNING 1) SELECT count(*)::int AS n FROM d`,
    );
    const passages = await count(
      tx.queryRow<{ n: number }>`SELECT count(*)::int AS n FROM passages p JOIN documents d ON d.id = p.document_id WHERE d.uploaded_by = ${userId}`,
    );
    const documents = await count(tx.queryRow<{ n: number }>`
      WITH d AS (DELETE FROM documents WHERE uploaded_by = ${userId} RETURNING object_key),
      q AS (INSERT INTO object_deletions (object_key) SELECT object_key FROM d WHERE object_key IS NOT NULL ON CONFLICT DO NOTHING)
      SELECT count(*)::int AS n FROM d`);
    const tokens = await count(
      tx.queryRow<{ n: number }>`WITH d AS (DELETE FROM token_usage WHERE user_id = ${userId} RETURNING 1) SELECT count(*)::int AS n FROM d`,
    );
    const reports = await count(
      tx.queryRow<{
        n: number;
      }>`WITH d AS (UPDATE reports SET owner_id = 'erased-user' WHERE owner_id = ${userId} RETURNING 1) SELECT count(*)::int AS n FROM d`,
    );
    return { chat_messages: messages, sessions, documents, passages, token_usage: tokens, reports_anonymised: reports };
  });
}
