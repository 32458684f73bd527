// An uploaded document as a file: the API carries text and Markdown as text and PDF/DOCX as base64;
// the bucket keeps the file's own bytes (UTF-8 for text), under a key made of the document's id,
// with the format's content type. Pure: intelligence/flows/document-files.ts does the storage.

export type FileFormat = "text" | "markdown" | "pdf" | "docx";

const TYPES: Record<FileFormat, { ext: string; contentType: string }> = {
  text: { ext: "txt", contentType: "text/plain; charset=utf-8" },
  markdown: { ext: "md", contentType: "text/markdown; charset=utf-8" },
  pdf: { ext: "pdf", contentType: "application/pdf" },
  docx: { ext: "docx", contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
};

/** Binary formats travel base64-encoded in the API's `content`. */
export const isBinary = (format: FileFormat) => format === "pdf" || format === "docx";

/** The object key of a document's file: its id and the format's extension (ids are never reused). */
export function documentKey(id: string, format: FileFormat): string {
  return `${id}.${TYPES[format].ext}`;
}

export function contentTypeOf(format: FileFormat): string {
  return TYPES[format].contentType;
}

/** The file's bytes from the API's (or a row's former) `content`. */
export function fileBytes(format: FileFormat, content: string): Buffer {
  return isBinary(format) ? Buffer.from(content.replace(/\s+/g, ""), "base64") : Buffer.from(content, "utf8");
}

/** The API's `content` for a file's bytes: the inverse of fileBytes. */
export function contentOf(format: FileFormat, bytes: Uint8Array): string {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return isBinary(format) ? b.toString("base64") : b.toString("utf8");
}
