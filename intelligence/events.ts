// intelligence's topic: uploaded documents waiting to be processed (text extraction, passages,
// index, summary). A leaf file.
import { Topic } from "encore.dev/pubsub";

/** A document to process. */
export interface DocumentUploaded {
  documentId: string;
}

// 'document-processing' carries each upload to the processing subscription (subscriptions.ts).
export const documentProcessing = new Topic<DocumentUploaded>("document-processing", { deliveryGuarantee: "at-least-once" });
