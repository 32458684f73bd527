// intelligence's cron job: documents uploaded before the bucket move into it (flows/document-files.ts).
//
// A cron job rather than a task started with the service: the scheduler runs it in one process per
// tick and never overlaps a run still going, its runs are recorded and counted in /metrics, and the
// ops dashboard can run it by hand; a start-up task would run in every process and every test
// process, competing with start-up itself. Until it has moved a row, reads take the file from the
// row, so nothing waits for it. Each run moves batches for at most two minutes, then removes the
// files of deleted documents whose removal failed before. Two runs at once (a manual run beside a
// tick, or a platform that does not serialise cron calls) are harmless: a batch locks its rows
// SKIP LOCKED and keys are the documents' ids.
import { api } from "encore.dev/api";
import { CronJob } from "encore.dev/cron";
import log from "encore.dev/log";
import { moveDocumentsToBucket } from "./flows/document-files";
import type { MoveResult } from "./model";

// moveDocumentFiles moves documents stored in the database before the bucket into it, and removes deleted documents' files.
export const moveDocumentFiles = api({ expose: false, method: "POST", path: "/internal/intelligence/documents/move-files" }, async (): Promise<MoveResult> => {
  const result = await moveDocumentsToBucket();
  if (result.moved > 0 || result.removed > 0) log.info("document files moved to the bucket", { ...result });
  return result;
});

const _ = new CronJob("intelligence-documents-to-bucket", {
  title: "Move uploaded documents into the bucket",
  every: "5m",
  endpoint: moveDocumentFiles,
});
