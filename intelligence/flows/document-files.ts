// The files of uploaded documents, in the `intelligence-documents` bucket (the row keeps the metadata
// and the object's key; shared/objects.ts has the rules that keep the two in step). Rows written
// before the bucket kept the file in `content` (text, or base64 for PDF/DOCX); the move job uploads
// their bytes and clears the column, and until it has, reads take the file from the row.
import { downloadOrNull, drainDeletions, moveAll, uploadThenRecord } from "../../shared/objects";
import { contentTypeOf, documentKey, fileBytes, type FileFormat } from "../domain/files";
import { documentFiles } from "../files";
import * as store from "../store";

/** Stores a new document: its file first, then its row; when the row cannot be written the file is removed again. */
export function storeDocument(d: {
  id: string;
  filename: string;
  format: FileFormat;
  bytes: Buffer;
  uploadedBy: string;
  campaignId: string | null;
}): Promise<store.StoredDocument> {
  const key = documentKey(d.id, d.format);
  return uploadThenRecord(documentFiles, key, d.bytes, contentTypeOf(d.format), () =>
    store.insertDocument({
      id: d.id,
      filename: d.filename,
      format: d.format,
      objectKey: key,
      sizeBytes: d.bytes.length,
      uploadedBy: d.uploadedBy,
      campaignId: d.campaignId,
    }),
  );
}

/** A document's file: from the bucket, or from the row the move job has not reached yet; null when its object is missing. */
export async function documentFile(row: Pick<store.StoredDocument, "format" | "content" | "objectKey">): Promise<Buffer | null> {
  if (row.objectKey) return downloadOrNull(documentFiles, row.objectKey);
  return row.content === null ? null : fileBytes(row.format, row.content);
}

/** Removes the files of deleted documents (queued by the purge and erasure transactions); returns how many. */
export function removeDeletedFiles(): Promise<number> {
  return drainDeletions(documentFiles, store.objectDeletions);
}

/**
 * Moves documents stored before the bucket into it, a few rows per transaction (their rows locked
 * FOR UPDATE SKIP LOCKED, so two processes never take the same row and a purge waits for the move),
 * until none is left or the time budget is spent; then removes queued files. Idempotent and
 * resumable: a row's key is its id, so a batch that fails before committing is uploaded again to
 * the same key by the next run.
 */
export async function moveDocumentsToBucket(opts: { batch?: number; budgetMs?: number } = {}): Promise<{ moved: number; removed: number }> {
  const moved = await moveAll(
    (n) =>
      store.moveDocumentBatch(n, async (doc) => {
        const key = documentKey(doc.id, doc.format);
        await documentFiles.upload(key, fileBytes(doc.format, doc.content), { contentType: contentTypeOf(doc.format) });
        return key;
      }),
    // Ten files of at most 5 MiB per transaction: the locks are held for a few uploads only.
    { batch: opts.batch ?? 10, budgetMs: opts.budgetMs ?? 120_000 },
  );
  return { moved, removed: await removeDeletedFiles() };
}
