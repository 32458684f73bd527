// Knowledge-base search, the pure parts: how a query is read (a natural question ranks passages by
// how many of its words they share; an explicit web-style query keeps its operators) and how a
// highlighted fragment becomes a safe snippet (plain text with highlight offsets, and an
// HTML-escaped copy whose only markup is <mark> around the matches).

/** The characters the database marks matches with; removed from the text before highlighting, so a document cannot forge them. */
export const START_SEL = "\u27e6";
export const STOP_SEL = "\u27e7";

/**
 * True when the query uses web-search syntax (a quoted phrase, `-word`, `OR`): it is then taken
 * literally (websearch_to_tsquery, every term required). Otherwise it is a natural question whose
 * words (stop words dropped, stemmed by Postgres) are OR-ed and results ranked by how well they match.
 */
export function isWebSyntax(q: string): boolean {
  return /["“”]/.test(q) || /(^|\s)-\S/.test(q) || /\sOR\s/.test(q);
}

/** A match inside a snippet: [start, end) offsets in UTF-16 code units of `text`. */
export interface Highlight {
  start: number;
  end: number;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A fragment from ts_headline (matches between START_SEL and STOP_SEL) → plain text, offsets, and escaped HTML with <mark>. */
export function safeSnippet(marked: string): { text: string; highlights: Highlight[]; snippet: string } {
  let text = "";
  let html = "";
  const highlights: Highlight[] = [];
  let open = -1;
  for (const part of marked.split(new RegExp(`([${START_SEL}${STOP_SEL}])`))) {
    if (part === START_SEL) {
      if (open < 0) {
        open = text.length;
        html += "<mark>";
      }
    } else if (part === STOP_SEL) {
      if (open >= 0) {
        if (text.length > open) highlights.push({ start: open, end: text.length });
        open = -1;
        html += "</mark>";
      }
    } else {
      text += part;
      html += escapeHtml(part);
    }
  }
  if (open >= 0) {
    if (text.length > open) highlights.push({ start: open, end: text.length });
    html += "</mark>";
  }
  return { text, highlights, snippet: html };
}

/**
 * The sentences of a passage that carry the matched words (at most `max`, in document order), for
 * quoting whole sentences rather than a highlight fragment; the opening sentences when none does.
 */
export function matchingSentences(body: string, matched: string[], max = 2): string {
  const sentences = (
    body
      .replace(/\s+/g, " ")
      .trim()
      .match(/[^.!?]+(?:[.!?]+|$)/g) ?? []
  )
    .map((x) => x.trim())
    .filter(Boolean);
  const words = [...new Set(matched.map((w) => w.toLowerCase()).filter((w) => w.length > 1))];
  const hits = sentences.filter((x) => words.some((w) => x.toLowerCase().includes(w)));
  return (hits.length ? hits : sentences).slice(0, max).join(" ");
}
