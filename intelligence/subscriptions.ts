// intelligence's subscriptions: uploaded documents are processed here (documents.ts), off the request.
import { Subscription } from "encore.dev/pubsub";
import { processDocument } from "./documents";
import { documentProcessing, type DocumentUploaded } from "./events";

/** Processes one uploaded document (exported so tests can deliver a message twice). */
export async function handleDocumentUploaded(event: DocumentUploaded): Promise<void> {
  await processDocument(event.documentId);
}

// 'process-documents' extracts, splits, indexes and summarises each upload, then announces it on data-stream.
export const processDocuments = new Subscription(documentProcessing, "process-documents", {
  handler: handleDocumentUploaded,
  maxConcurrency: 2,
  retryPolicy: { maxRetries: 3 }, // heavy and untrusted: a document that keeps failing (or killing the process) is dead-lettered after 4 attempts
});
