// Exported PDF reports, in the `analytics-reports` bucket (the row keeps the metadata, the size and
// the object's key; shared/objects.ts has the rules that keep the two in step). Rows written before
// the bucket kept the PDF in `pdf`; the move job uploads those bytes and clears the column, and until
// it has, downloads take the PDF from the row.
import { downloadOrNull, drainDeletions, moveAll, uploadThenRecord } from "../../shared/objects";
import { reportFiles } from "../files";
import * as store from "../store";

const PDF = "application/pdf";

/** The object key of a report's PDF (report ids are never reused). */
export const reportKey = (reportId: string) => `${reportId}.pdf`;

/** Stores an exported report: its PDF first, then its row; when the row cannot be written the PDF is removed again. */
export function storeReport(r: {
  id: string;
  campaignId: string;
  start: Date;
  end: Date;
  fileName: string;
  pdf: Buffer;
  pages: number;
  createdBy: string;
}): Promise<string> {
  const key = reportKey(r.id);
  return uploadThenRecord(reportFiles, key, r.pdf, PDF, () =>
    store.insertReport({
      id: r.id,
      campaignId: r.campaignId,
      start: r.start,
      end: r.end,
      fileName: r.fileName,
      objectKey: key,
      sizeBytes: r.pdf.length,
      pages: r.pages,
      createdBy: r.createdBy,
    }),
  );
}

/** A stored report's PDF: from the bucket, or from the row the move job has not reached yet; null when its object is missing. */
export async function reportPdf(report: Pick<store.StoredReport, "objectKey" | "pdf">): Promise<Buffer | null> {
  if (report.objectKey) return downloadOrNull(reportFiles, report.objectKey);
  return report.pdf;
}

/** Removes the PDFs of deleted reports (queued by the retention purge's transaction); returns how many. */
export function removeDeletedFiles(): Promise<number> {
  return drainDeletions(reportFiles, store.objectDeletions);
}

/**
 * Moves reports stored before the bucket into it, a few rows per transaction (their rows locked
 * FOR UPDATE SKIP LOCKED, so two processes never take the same row and a purge waits for the move),
 * until none is left or the time budget is spent; then removes queued PDFs. Idempotent and
 * resumable: a row's key is its id, so a batch that fails before committing is uploaded again to
 * the same key by the next run.
 */
export async function moveReportsToBucket(opts: { batch?: number; budgetMs?: number } = {}): Promise<{ moved: number; removed: number }> {
  const moved = await moveAll(
    (n) =>
      store.moveReportBatch(n, async (report) => {
        const key = reportKey(report.id);
        await reportFiles.upload(key, report.pdf, { contentType: PDF });
        return key;
      }),
    { batch: opts.batch ?? 20, budgetMs: opts.budgetMs ?? 120_000 },
  );
  return { moved, removed: await removeDeletedFiles() };
}
