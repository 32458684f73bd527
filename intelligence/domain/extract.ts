// Text extraction from an uploaded file, bounded: runs on a worker of the heavy-work pool
// (shared/workers), never in the server's thread, so that even a file that slips past the checks
// costs a worker (its heap limit, its timeout), not the process. DOCX: the ZIP directory is checked
// before anything is inflated (domain/limits.ts), then every entry is inflated here with zlib
// capped at its declared size, so a lying header cannot expand further, before mammoth reads the
// archive (it then inflates only what was proven small). PDF: every Flate stream is inflated with a
// cap on the running total and ratio before pdf.js sees the file, the page count is checked, and
// pages are read one at a time up to the text limit. Imports no Encore module (it runs in a worker).
import { inflateRawSync, inflateSync, constants } from "node:zlib";
import { summarise } from "./analysis";
import { checkExpansion, LimitExceeded, pdfStreams, tooExpanded, tooManyPages, tooMuchText, zipEntries, type FileLimits } from "./limits";
import { normaliseText, splitPassages, type PassageDraft } from "./passages";

export type ExtractFormat = "text" | "markdown" | "pdf" | "docx";

export interface Extracted {
  text: string;
  passages: PassageDraft[];
  summary: string;
}

/** zlib's own refusal when output passes maxOutputLength. */
const isTooLarge = (err: unknown) => (err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE" || err instanceof RangeError;

/** Inflates every entry of a checked DOCX, each capped at its declared size; throws LimitExceeded. */
function verifyZip(zip: Buffer, limits: FileLimits): void {
  let total = 0;
  for (const e of zipEntries(zip, limits)) {
    if (e.method === 0) {
      total = checkExpansion(e.name, e.compressedSize, e.uncompressedSize, total, limits);
      continue;
    }
    let out: Buffer;
    try {
      // One byte over the declared size is enough to catch a lie.
      out = inflateRawSync(zip.subarray(e.dataOffset, e.dataOffset + e.compressedSize), { maxOutputLength: Math.max(1, e.uncompressedSize + 1) });
    } catch (err) {
      if (isTooLarge(err)) throw new LimitExceeded(`the file's part ${e.name} expands beyond the size it declares; it looks like a decompression bomb`);
      throw new LimitExceeded(`the file is not a readable Word document (part ${e.name} is damaged); open it in Word and save it again as .docx`);
    }
    if (out.length > e.uncompressedSize)
      throw new LimitExceeded(`the file's part ${e.name} expands beyond the size it declares; it looks like a decompression bomb`);
    total = checkExpansion(e.name, e.compressedSize, out.length, total, limits);
  }
}

/**
 * Inflates every Flate stream of a PDF under the total and ratio caps; damaged streams are pdf.js's
 * business. Each is inflated from its start to wherever its deflate data ends (zlib stops there), not
 * to the `endstream` the scan saw: a stream whose bytes contain "endstream" must not look short.
 */
function verifyPdfStreams(pdf: Buffer, limits: FileLimits): void {
  let total = 0;
  for (const s of pdfStreams(pdf)) {
    if (!s.flate) continue;
    let out: { buffer: Buffer; engine: { bytesWritten: number } };
    try {
      out = inflateSync(pdf.subarray(s.start), {
        info: true,
        maxOutputLength: limits.maxExpandedBytes - total + 1,
        finishFlush: constants.Z_SYNC_FLUSH,
      }) as unknown as typeof out;
    } catch (err) {
      if (isTooLarge(err)) throw tooExpanded(limits);
      continue;
    }
    total = checkExpansion(`stream at byte ${s.start}`, out.engine.bytesWritten, out.buffer.length, total, limits);
  }
}

async function pdfText(bytes: Buffer, limits: FileLimits): Promise<string> {
  verifyPdfStreams(bytes, limits);
  const { getDocumentProxy } = await import("unpdf");
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { isEvalSupported: false, stopAtErrors: false });
  try {
    if (pdf.numPages > limits.maxPages) throw tooManyPages(pdf.numPages, limits);
    const pages: string[] = [];
    let length = 0;
    // One page at a time (not all at once): memory stays that of one page, and the text cap stops early.
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      const text = content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : "")).join("");
      page.cleanup();
      length += text.length;
      if (length > limits.maxTextChars) throw tooMuchText(limits);
      pages.push(text);
    }
    return pages.join("\n\n");
  } finally {
    await pdf.destroy();
  }
}

async function docxText(bytes: Buffer, limits: FileLimits): Promise<string> {
  verifyZip(bytes, limits);
  const mammoth = await import("mammoth");
  const { value } = await (mammoth.default ?? mammoth).extractRawText({ buffer: bytes });
  if (value.length > limits.maxTextChars) throw tooMuchText(limits);
  return value;
}

/** A file's text: its bytes as UTF-8 for text and Markdown, extracted (bounded) for PDF and DOCX. */
export async function extractText(format: ExtractFormat, file: Uint8Array, limits: FileLimits): Promise<string> {
  // A Buffer posted to a worker arrives as a plain Uint8Array: view the same memory as a Buffer.
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (format === "text" || format === "markdown") {
    const text = bytes.toString("utf8");
    if (text.length > limits.maxTextChars) throw tooMuchText(limits);
    return text;
  }
  return format === "pdf" ? pdfText(bytes, limits) : docxText(bytes, limits);
}

/**
 * The worker task of document processing: the text, its passages and an extractive summary, or
 * null text when there is none. Throws LimitExceeded for a file over a limit; anything else thrown
 * means the file could not be read.
 */
export async function extractDocument(format: ExtractFormat, file: Uint8Array, limits: FileLimits): Promise<Extracted> {
  const text = normaliseText(await extractText(format, file, limits));
  if (!text) return { text, passages: [], summary: "" };
  const passages = splitPassages(text, format === "markdown");
  const summary = summarise(
    passages.map((p) => ({ id: String(p.position), ...p })),
    3,
  ).summary;
  return { text, passages, summary };
}
