// Bounded extraction on real files (in this thread: the worker pool is tested in shared/workers):
// DOCX and PDF text comes out; a DOCX bomb is refused from its directory, one whose headers lie is
// caught while inflating with a cap; a PDF's oversized stream and page count, and text over the
// cap, are refused with a reason a user can act on.
import { describe, expect, test } from "vitest";
import { docx, docxBomb, pdf, pdfManyPages, pdfStreamBomb } from "../../tests/documents";
import { DEFAULT_LIMITS, type FileLimits } from "./limits";
import { extractDocument } from "./extract";

const MB = 1024 * 1024;
// The worker gets the file as a plain Uint8Array (a Buffer posted to it loses its class).
const bytes = (b: Buffer) => new Uint8Array(b);
const limits: FileLimits = { ...DEFAULT_LIMITS, maxExpandedBytes: 16 * MB };

describe("extractDocument", () => {
  test("reads a DOCX and a PDF into passages and a summary", async () => {
    const w = await extractDocument("docx", bytes(docx(["The marina bond goes to voters in May.", "Turnout matters."])), limits);
    expect(w.text).toContain("The marina bond goes to voters in May.");
    expect(w.passages.length).toBeGreaterThan(0);
    const p = await extractDocument("pdf", bytes(await pdf(["Briefing", "The harbour plan is popular."])), limits);
    expect(p.text).toContain("The harbour plan is popular.");
  });

  test("a DOCX bomb is refused from its directory; one that lies about its size, while inflating", async () => {
    await expect(extractDocument("docx", bytes(docxBomb(100)), limits)).rejects.toThrow(/the file expands to more than 16 MB/);
    await expect(extractDocument("docx", bytes(docxBomb(40, true)), limits)).rejects.toThrow(/part word\/document.xml expands beyond the size it declares/);
  });

  test("a PDF whose stream expands past the cap, or with too many pages, is refused", async () => {
    await expect(extractDocument("pdf", bytes(pdfStreamBomb(100)), limits)).rejects.toThrow(/the file expands to more than 16 MB/);
    // The same bomb with the keyword "endstream" inside its data: still measured to its real end.
    await expect(extractDocument("pdf", bytes(pdfStreamBomb(100, true)), limits)).rejects.toThrow(/the file expands to more than 16 MB/);
    await expect(extractDocument("pdf", bytes(pdfManyPages(1_000_000)), limits)).rejects.toThrow(/the PDF has 1,000,000 pages, more than the limit of 2,000/);
  });

  test("text over the cap is refused, for every format", async () => {
    const small = { ...limits, maxTextChars: 1000 };
    await expect(extractDocument("text", Buffer.from("word ".repeat(300)), small)).rejects.toThrow(/longer than 1,000 characters/);
    await expect(extractDocument("docx", bytes(docx(["word ".repeat(300)])), small)).rejects.toThrow(/longer than 1,000 characters/);
    await expect(extractDocument("pdf", bytes(await pdf(Array.from({ length: 60 }, (_, i) => `line ${i} with some words`))), small)).rejects.toThrow(
      /longer than 1,000 characters/,
    );
  });
});
