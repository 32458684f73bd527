// The bucket of exported reports' PDFs (flows/report-files.ts stores, reads, moves and removes them;
// shared/objects.ts has the rules that keep objects and rows in step).
import { Bucket } from "encore.dev/storage/objects";

/** Exported reports' PDFs, keyed `<reportId>.pdf`. */
export const reportFiles = new Bucket("analytics-reports", { versioned: false });
