// The bucket of uploaded documents' files (flows/document-files.ts stores, reads, moves and removes
// them; shared/objects.ts has the rules that keep objects and rows in step).
import { Bucket } from "encore.dev/storage/objects";

/** Uploaded documents' files: raw bytes (UTF-8 for text), typed by format, keyed `<documentId>.<ext>`. */
export const documentFiles = new Bucket("intelligence-documents", { versioned: false });
