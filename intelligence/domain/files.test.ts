import { describe, expect, test } from "vitest";
import { contentOf, contentTypeOf, documentKey, fileBytes } from "./files";

describe("a document as a file", () => {
  test("PDF and DOCX: the bytes from base64 (line breaks ignored) and back as base64", () => {
    const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff, 0x80, 0x0a]);
    const wrapped = bytes.toString("base64").replace(/(.{4})/g, "$1\n");
    expect(fileBytes("pdf", wrapped).equals(bytes)).toBe(true);
    expect(contentOf("pdf", new Uint8Array(bytes))).toBe(bytes.toString("base64"));
    expect(contentOf("docx", fileBytes("docx", "UEsDBA=="))).toBe("UEsDBA==");
  });

  test("text and Markdown: UTF-8 bytes, not base64", () => {
    const text = "Señor Ortiz — 5 € «ferry»";
    expect(fileBytes("text", text).equals(Buffer.from(text, "utf8"))).toBe(true);
    expect(contentOf("markdown", fileBytes("markdown", text))).toBe(text);
  });

  test("keys name the document and its format; content types say what the bytes are", () => {
    expect(documentKey("4f1c", "markdown")).toBe("4f1c.md");
    expect(documentKey("4f1c", "docx")).toBe("4f1c.docx");
    expect(contentTypeOf("text")).toBe("text/plain; charset=utf-8");
    expect(contentTypeOf("pdf")).toBe("application/pdf");
    expect(contentTypeOf("docx")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  });
});
