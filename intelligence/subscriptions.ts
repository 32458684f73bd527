// intelligence's subscriptions: uploaded documents are processed here (flows/documents.ts), off the request.
import { Subscription } from "encore.dev/pubsub";
import { processDocument } from "./flows/documents";
import { documentProcessing, type DocumentUploaded } from "./events";

/** Processes one uploaded document (exported so tests can deliver a message twice). */
export async function handleDocumentUploaded(event: DocumentUploaded): Promise<void> {
  await processDocument(event.documentId);
}

// 'process-documents' extracts, splits, indexes and summarises each upload, then announces it on data-stream.
export const processDocuments = new Subscription(documentProcessing, "process-documents", {
  handler: handleDocumentUploaded,
  maxConcurrency: 2,
  // Extraction failures are final (the document is marked failed); a delivery fails only when the
  // pool is overloaded or the database is away, so a few retries suffice, and a message that
  // somehow kills the process cannot loop for long.
  retryPolicy: { maxRetries: 5 },
});
