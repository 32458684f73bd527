// Splitting a document's text into passages, the unit of search and of evidence: paragraphs grouped
// up to a target size, never across a Markdown heading (the heading travels with its passages and
// weighs more in search), long paragraphs cut at sentence ends.

/** One passage: its place in the document, the heading it sits under, its text. */
export interface PassageDraft {
  position: number;
  heading: string;
  body: string;
}

export interface SplitOptions {
  /** Aim for passages about this long (characters). */
  targetChars: number;
  /** Never longer than this. */
  maxChars: number;
}

export const DEFAULT_SPLIT: SplitOptions = { targetChars: 800, maxChars: 1500 };

/** Normalises line ends and whitespace runs inside lines; keeps blank lines (paragraph breaks). */
export function normaliseText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/\u0000/g, "")
    .replace(/[ \t\f\v]+/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** The sentences of a text (naive: ends at . ! ? followed by space and a capital, digit or quote). */
export function sentences(text: string): string[] {
  return text
    .replace(/\s+/g, " ")
    .split(/(?<=[.!?])\s+(?=["'“(A-Z0-9])/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function cutLong(paragraph: string, max: number): string[] {
  if (paragraph.length <= max) return [paragraph];
  const out: string[] = [];
  let current = "";
  for (const s of sentences(paragraph)) {
    const pieces = s.length > max ? (s.match(new RegExp(`.{1,${max}}(?:\\s|$)|.{1,${max}}`, "g")) ?? [s.slice(0, max)]) : [s];
    for (const piece of pieces) {
      const p = piece.trim();
      if (current && current.length + 1 + p.length > max) {
        out.push(current);
        current = p;
      } else current = current ? `${current} ${p}` : p;
    }
  }
  if (current) out.push(current);
  return out;
}

/** Splits text into passages. Markdown headings (`# ...`) start a new group and label its passages. */
export function splitPassages(text: string, markdown: boolean, o: SplitOptions = DEFAULT_SPLIT): PassageDraft[] {
  const clean = normaliseText(text);
  if (!clean) return [];
  const out: PassageDraft[] = [];
  let heading = "";
  let buffer: string[] = [];
  let size = 0;
  const flush = () => {
    if (buffer.length) out.push({ position: out.length, heading, body: buffer.join("\n\n") });
    buffer = [];
    size = 0;
  };
  for (const block of clean.split(/\n\n+/)) {
    const lines = block.split("\n");
    // A heading line may open a block: it closes the current group.
    if (markdown && /^#{1,6}\s+/.test(lines[0]!)) {
      flush();
      heading = lines[0]!
        .replace(/^#{1,6}\s+/, "")
        .replace(/#+\s*$/, "")
        .trim();
      lines.shift();
      if (!lines.length) continue;
    }
    const paragraph = lines.join(" ").trim();
    if (!paragraph) continue;
    for (const piece of cutLong(paragraph, o.maxChars)) {
      if (size > 0 && size + piece.length > o.targetChars) flush();
      buffer.push(piece);
      size += piece.length + 2;
    }
  }
  flush();
  return out;
}
