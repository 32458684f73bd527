// Bounds on untrusted files (DOCX and PDF) before and while their text is extracted: what a ZIP
// archive's central directory may declare, how much its entries and a PDF's streams may expand to,
// how long the extracted text and how many pages a PDF may be. Pure: the extraction task
// (intelligence/domain/extract.ts) applies them to bytes it inflates itself. Each refusal is a
// LimitExceeded whose message a user can act on.

export interface FileLimits {
  /** Bytes the file's compressed parts may expand to in total (ZIP entries, PDF streams). */
  maxExpandedBytes: number;
  /** Expansion ratio (expanded ÷ compressed) allowed for a part larger than RATIO_FLOOR_BYTES. */
  maxRatio: number;
  /** Characters of extracted text at most. */
  maxTextChars: number;
  /** Pages of a PDF at most. */
  maxPages: number;
  /** Entries of a ZIP archive at most. */
  maxEntries: number;
}

// Text: more than the largest plain-text upload (5 MiB), so the cap bites only on expanded formats.
export const DEFAULT_LIMITS: FileLimits = { maxExpandedBytes: 64 * 1024 * 1024, maxRatio: 100, maxTextChars: 8_000_000, maxPages: 2000, maxEntries: 2000 };

/** Parts that expand to less than this are never refused for their ratio (small XML compresses well). */
export const RATIO_FLOOR_BYTES = 1024 * 1024;

/** A file refused by a limit; the message says which and by how much. */
export class LimitExceeded extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LimitExceeded";
  }
}

const MB = 1024 * 1024;
export const megabytes = (n: number) => `${Math.round((n / MB) * 10) / 10} MB`;

export function tooExpanded(limits: FileLimits): LimitExceeded {
  return new LimitExceeded(
    `the file expands to more than ${megabytes(limits.maxExpandedBytes)} when decompressed (the limit for an upload); split it or save it without embedded media`,
  );
}

export function tooCompressed(name: string, ratio: number, limits: FileLimits): LimitExceeded {
  return new LimitExceeded(
    `the file's part ${name} is compressed ${Math.round(ratio)} times, more than the ${limits.maxRatio} times a real document reaches; it looks like a decompression bomb`,
  );
}

export function tooMuchText(limits: FileLimits): LimitExceeded {
  return new LimitExceeded(
    `the document's text is longer than ${limits.maxTextChars.toLocaleString("en-US")} characters (the limit); split it into smaller files`,
  );
}

export function tooManyPages(pages: number, limits: FileLimits): LimitExceeded {
  return new LimitExceeded(
    `the PDF has ${pages.toLocaleString("en-US")} pages, more than the limit of ${limits.maxPages.toLocaleString("en-US")}; split it into smaller files`,
  );
}

/** One entry of a ZIP archive as its central directory declares it. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated (the only methods a DOCX uses). */
  method: 0 | 8;
  compressedSize: number;
  uncompressedSize: number;
  /** Where the entry's compressed bytes start in the archive. */
  dataOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function corrupt(why: string): LimitExceeded {
  return new LimitExceeded(`the file is not a readable Word document (${why}); open it in Word and save it again as .docx`);
}

/**
 * The entries of a ZIP archive, read from its central directory and checked against `limits`
 * before anything is inflated: entry count, each entry's declared size and ratio, the total
 * declared size, entries lying inside the file, compression methods. Throws LimitExceeded.
 * The declared sizes are claims: the extractor verifies them while inflating (maxOutputLength).
 */
export function zipEntries(zip: Uint8Array, limits: FileLimits): ZipEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  // The end-of-central-directory record is the last 22 bytes plus a comment of at most 65535.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt("no ZIP directory");
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw corrupt("ZIP64 archives are not accepted");
  if (count > limits.maxEntries) throw new LimitExceeded(`the file holds ${count} parts, more than the limit of ${limits.maxEntries}`);
  if (cdOffset + cdSize > eocd) throw corrupt("its directory lies outside the file");
  const entries: ZipEntry[] = [];
  let total = 0;
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > eocd || view.getUint32(p, true) !== CENTRAL) throw corrupt("a damaged directory entry");
    const method = view.getUint16(p + 10, true);
    const compressedSize = view.getUint32(p + 20, true);
    const uncompressedSize = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const localOffset = view.getUint32(p + 42, true);
    if (p + 46 + nameLen > eocd) throw corrupt("a damaged directory entry");
    const name = new TextDecoder().decode(zip.subarray(p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || localOffset === 0xffffffff) throw corrupt("ZIP64 archives are not accepted");
    if (method !== 0 && method !== 8) throw corrupt(`part ${name} uses compression method ${method}`);
    if (method === 0 && compressedSize !== uncompressedSize) throw corrupt(`stored part ${name} declares two sizes`);
    total += uncompressedSize;
    if (uncompressedSize > limits.maxExpandedBytes || total > limits.maxExpandedBytes) throw tooExpanded(limits);
    if (uncompressedSize > RATIO_FLOOR_BYTES) {
      const ratio = uncompressedSize / Math.max(1, compressedSize);
      if (ratio > limits.maxRatio) throw tooCompressed(name, ratio, limits);
    }
    if (localOffset + 30 > zip.length || view.getUint32(localOffset, true) !== LOCAL) throw corrupt(`part ${name} is missing`);
    const dataOffset = localOffset + 30 + view.getUint16(localOffset + 26, true) + view.getUint16(localOffset + 28, true);
    if (dataOffset + compressedSize > zip.length) throw corrupt(`part ${name} is cut short`);
    entries.push({ name, method, compressedSize, uncompressedSize, dataOffset });
  }
  return entries;
}

/**
 * Checks one inflated part against the running total: `expanded` bytes came out of `compressed`.
 * Returns the new total; throws LimitExceeded past the total or the ratio.
 */
export function checkExpansion(name: string, compressed: number, expanded: number, totalSoFar: number, limits: FileLimits): number {
  const total = totalSoFar + expanded;
  if (total > limits.maxExpandedBytes) throw tooExpanded(limits);
  if (expanded > RATIO_FLOOR_BYTES && expanded / Math.max(1, compressed) > limits.maxRatio)
    throw tooCompressed(name, expanded / Math.max(1, compressed), limits);
  return total;
}

/** A PDF stream's data: where it starts and ends, and whether it is Flate-encoded (the filter zlib can check). */
export interface PdfStream {
  start: number;
  end: number;
  flate: boolean;
}

/**
 * The streams of a PDF found by scanning its bytes (`stream` EOL … `endstream`), with whether their
 * dictionary names FlateDecode. A scan, not a parse: enough to bound what the streams expand to
 * before pdf.js decodes them; pdf.js still parses the file properly afterwards.
 */
export function pdfStreams(pdf: Uint8Array): PdfStream[] {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString("latin1");
  const out: PdfStream[] = [];
  const re = /stream\r?\n/g;
  let m: RegExpExecArray | null;
  let dictFrom = 0;
  while ((m = re.exec(text))) {
    if (m.index >= 3 && text.slice(m.index - 3, m.index) === "end") continue;
    const start = m.index + m[0].length;
    const end = text.indexOf("endstream", start);
    if (end < 0) break;
    const objAt = text.lastIndexOf(" obj", m.index);
    const dict = text.slice(Math.max(dictFrom, objAt, m.index - 4096), m.index);
    out.push({ start, end, flate: /\/FlateDecode|\/Fl\b/.test(dict) });
    dictFrom = end + 9;
    re.lastIndex = end + 9;
  }
  return out;
}
