// Streaming a CSV download from a raw endpoint: headers, then rows page by page, each page handed
// to the socket before the next is read (the write callback is the back-pressure: Encore's raw
// response buffers without saying when it is full). A client that goes away stops the reading; a
// failure after the first byte cuts the connection, so a partial file never looks complete.
import type { ServerResponse } from "node:http";
import log from "encore.dev/log";
import { CSV_BOM, csvRow, type CsvValue } from "./csv";

/** Writes `chunk` and resolves once it has left for the client (rejects when it cannot). */
function send(resp: ServerResponse, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    resp.write(chunk, (err) => (err ? reject(err) : resolve()));
  });
}

/**
 * Streams `pages` (each an array of rows; the first page starts with the header) as `fileName`.
 * Call it after every check that can refuse the request: from here on the answer is a 200.
 */
export async function streamCsv(resp: ServerResponse, fileName: string, pages: AsyncIterable<CsvValue[][]> | Iterable<CsvValue[][]>): Promise<void> {
  let gone = false;
  resp.once("close", () => (gone = true));
  resp.writeHead(200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${fileName}"`,
    "cache-control": "private, no-store",
    "x-content-type-options": "nosniff",
  });
  try {
    let first = true;
    for await (const rows of pages) {
      if (gone) return;
      if (rows.length > 0 || first) await send(resp, (first ? CSV_BOM : "") + rows.map(csvRow).join(""));
      first = false;
    }
    resp.end();
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    if (!gone) log.error("a CSV export failed after it started: the connection is cut", { fileName, error: error.message });
    resp.destroy(error);
  }
}
