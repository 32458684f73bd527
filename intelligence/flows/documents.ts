// Documents: upload (checked, stored, queued), processing (text extraction, passages, summary,
// DOCUMENT event on monitoring's data-stream). PDF text comes from unpdf (pdf.js), DOCX text from
// mammoth; both arrive base64-encoded and are kept as their own bytes in the bucket (flows/document-files.ts).
// Extraction runs on the heavy-work pool, bounded
// (domain/extract.ts): a file over a limit, or one that exhausts its worker, ends `failed` with the reason. Processing is idempotent: a redelivered message finds the
// document processed and only makes sure its event went out.
import { APIError } from "encore.dev/api";
import log from "encore.dev/log";
import type { AuthData } from "~encore/auth";
import { dataStream } from "../../monitoring/events";
import { audit } from "../audit";
import { uuidv7 } from "../../shared/ids";
import { storageUnavailable } from "../../shared/objects";
import { heavyWork, WorkerTaskError } from "../../shared/workers";
import { documentProcessing } from "../events";
import type { Extracted } from "../domain/extract";
import { contentOf, fileBytes } from "../domain/files";
import { documentFile, storeDocument } from "./document-files";
import { documentLimits } from "../secrets";
import type { DocumentUpload, UploadRequest } from "../model";
import * as store from "../store";

/** The largest document accepted (bytes of the file: the text, or the decoded PDF/DOCX). */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

type Format = DocumentUpload["format"];

const FORMATS: Record<string, Format> = { txt: "text", text: "text", md: "markdown", markdown: "markdown", pdf: "pdf", docx: "docx" };

/** The format a filename's extension names, or null. */
export function formatOf(filename: string): Format | null {
  const ext = /\.([a-z0-9]+)$/i.exec(filename.trim())?.[1]?.toLowerCase();
  return ext ? (FORMATS[ext] ?? null) : null;
}

/** Checks an upload: format, encoding, size. Returns the format and the file's size. */
export function checkUpload(req: UploadRequest): { format: Format; sizeBytes: number; filename: string } {
  const filename = req.filename.trim().replace(/[\u0000-\u001f/\\]/g, "_");
  const format = formatOf(filename);
  if (!format) throw APIError.invalidArgument("unsupported file type: use .txt, .md, .pdf or .docx");
  let sizeBytes: number;
  if (format === "pdf" || format === "docx") {
    const b64 = req.content.replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0)
      throw APIError.invalidArgument(`a ${format.toUpperCase()} file must be sent base64-encoded in content`);
    sizeBytes = Math.floor((b64.length * 3) / 4) - (b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0);
    if (sizeBytes <= MAX_DOCUMENT_BYTES) {
      const head = Buffer.from(b64.slice(0, 8), "base64");
      const ok = format === "pdf" ? head.subarray(0, 4).toString("latin1") === "%PDF" : head[0] === 0x50 && head[1] === 0x4b;
      if (!ok) throw APIError.invalidArgument(`content is not a ${format.toUpperCase()} file (base64 of the file's bytes expected)`);
    }
  } else {
    sizeBytes = Buffer.byteLength(req.content, "utf8");
  }
  if (sizeBytes > MAX_DOCUMENT_BYTES)
    throw APIError.invalidArgument(`document too large: ${sizeBytes} bytes, the limit is ${MAX_DOCUMENT_BYTES} bytes (5 MiB)`);
  if (!req.content.trim()) throw APIError.invalidArgument("content is empty");
  return { format, sizeBytes, filename };
}

/** Stores an upload (its file in the bucket, then its row) and queues it for processing. */
export async function uploadDocument(caller: NonNullable<AuthData>, req: UploadRequest): Promise<DocumentUpload> {
  const { format, sizeBytes, filename } = checkUpload(req);
  const row = await storeDocument({
    id: uuidv7(),
    filename,
    format,
    bytes: fileBytes(format, req.content),
    uploadedBy: caller.userID,
    campaignId: req.campaignId ?? null,
  });
  await documentProcessing.publish({ documentId: row.id });
  await audit({
    actorId: caller.userID,
    action: "document.uploaded",
    targetType: "document",
    targetId: row.id,
    details: { filename, format, sizeBytes, campaignId: req.campaignId ?? null },
  });
  return store.toDocument(row, req.content);
}

/** The API's view of a stored document, its file as the API carries it (text, or base64 for PDF/DOCX). */
export async function documentView(row: store.StoredDocument): Promise<DocumentUpload> {
  let bytes: Buffer | null;
  try {
    bytes = await documentFile(row);
  } catch (err) {
    throw storageUnavailable(err, "reading the document's file");
  }
  if (bytes === null) {
    log.error("a document's file is missing from its bucket", { documentId: row.id, key: row.objectKey });
    throw APIError.internal("the document's file is missing from storage");
  }
  return store.toDocument(row, contentOf(row.format, bytes));
}

/** The extraction task (intelligence/domain/extract.ts), run on the heavy-work pool. */
const EXTRACT = new URL("../domain/extract.ts", import.meta.url);

/** What the user reads when extraction fails: why, and what to do; null when it is worth retrying. */
export function failureReason(err: unknown, timeoutMs: number): string | null {
  if (!(err instanceof WorkerTaskError)) return `could not extract the text: ${err instanceof Error ? err.message : String(err)}`;
  switch (err.kind) {
    case "task":
      return err.taskError?.name === "LimitExceeded" ? err.message : `could not extract the text: ${err.message}`;
    case "timeout":
      return `reading the file took longer than ${Math.round(timeoutMs / 1000)} s, the limit; split it into smaller files`;
    case "memory":
      return `reading the file needed more memory than the limit (${heavyWork().options.resourceLimits.maxOldGenerationSizeMb} MB); split it into smaller files or save it without embedded media`;
    case "crash":
      return `the text extractor failed on this file (${err.message}); open it and save it again, or convert it to PDF`;
    default:
      return null;
  }
}

/** Processes one document (the subscription's handler): idempotent. */
export async function processDocument(documentId: string): Promise<void> {
  const doc = await store.getDocument(documentId);
  if (!doc) return; // deleted meanwhile (purge, erasure)
  if (!doc.processed) {
    // A storage failure throws: Pub/Sub delivers the message again later.
    const file = await documentFile(doc);
    if (file === null) {
      log.error("a document's file is missing from its bucket", { documentId, key: doc.objectKey });
      await store.markFailed(documentId, "the uploaded file is missing from storage; upload it again");
      return;
    }
    const { limits, timeoutMs } = documentLimits();
    let extracted: Extracted;
    try {
      extracted = await heavyWork().run<Extracted>(EXTRACT, "extractDocument", [doc.format, file, limits], { timeoutMs });
    } catch (err) {
      const reason = failureReason(err, timeoutMs);
      // Pool overloaded or shutting down: not the file's fault, Pub/Sub delivers it again later.
      if (reason === null) throw err;
      // A file that cannot be read (or is over a limit) will not read better on a retry.
      log.warn("document processing failed", { documentId, error: reason });
      await store.markFailed(documentId, reason);
      return;
    }
    if (!extracted.text) {
      await store.markFailed(documentId, "the document has no extractable text (a scanned PDF needs OCR first)");
      return;
    }
    if (!(await store.saveProcessed(documentId, extracted.text, extracted.summary, extracted.passages))) return;
    doc.passageCount = extracted.passages.length;
    doc.summary = extracted.summary;
  }
  if (doc.eventPublishedAt) return;
  // DOCUMENT events are campaign-scoped: a private document has no stream to go to.
  if (doc.campaignId) {
    await dataStream.publish({
      type: "DOCUMENT",
      campaignId: doc.campaignId,
      timestamp: new Date(),
      priority: "low",
      data: {
        kind: "document",
        event: "processed",
        documentId: doc.id,
        filename: doc.filename,
        format: doc.format,
        passages: doc.passageCount,
        summary: doc.summary ?? "",
        uploadedBy: doc.uploadedBy,
      },
    });
  }
  await store.markEventPublished(documentId);
}
