import { describe, expect, test } from "vitest";
import { normaliseText, sentences, splitPassages } from "./passages";

describe("splitPassages", () => {
  test("groups short paragraphs up to the target size", () => {
    const text = Array.from({ length: 10 }, (_, i) => `Paragraph ${i} ${"word ".repeat(30)}`).join("\n\n");
    const passages = splitPassages(text, false, { targetChars: 400, maxChars: 600 });
    expect(passages.length).toBeGreaterThan(2);
    expect(passages.map((p) => p.position)).toEqual(passages.map((_, i) => i));
    for (const p of passages) expect(p.body.length).toBeLessThanOrEqual(600);
    expect(passages.map((p) => p.body).join(" ")).toContain("Paragraph 9");
  });

  test("markdown headings start a group and label its passages", () => {
    const passages = splitPassages("# Economy\n\nJobs grew.\n\n## Health care\n\nPremiums rose 12%.\n\nMore text.", true);
    expect(passages.map((p) => [p.heading, p.body])).toEqual([
      ["Economy", "Jobs grew."],
      ["Health care", "Premiums rose 12%.\n\nMore text."],
    ]);
  });

  test("plain text keeps '#' lines as text", () => {
    expect(splitPassages("# not a heading", false)[0]).toEqual({ position: 0, heading: "", body: "# not a heading" });
  });

  test("a long paragraph is cut at sentence ends, never above the maximum", () => {
    const long = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} says something.`).join(" ");
    const passages = splitPassages(long, false, { targetChars: 200, maxChars: 300 });
    expect(passages.length).toBeGreaterThan(3);
    for (const p of passages) {
      expect(p.body.length).toBeLessThanOrEqual(300);
      expect(p.body.endsWith(".")).toBe(true);
    }
  });

  test("an unbroken run of characters is still cut", () => {
    const passages = splitPassages("x".repeat(1000), false, { targetChars: 100, maxChars: 200 });
    for (const p of passages) expect(p.body.length).toBeLessThanOrEqual(200);
    expect(
      passages
        .map((p) => p.body)
        .join("")
        .replace(/\s/g, "").length,
    ).toBe(1000);
  });

  test("empty text has no passages", () => {
    expect(splitPassages("  \n\n \r\n", true)).toEqual([]);
  });
});

test("normaliseText collapses spaces and blank-line runs", () => {
  expect(normaliseText("a  \t b\r\n\r\n\r\n\r\nc")).toBe("a b\n\nc");
});

test("sentences splits at sentence ends", () => {
  expect(sentences('One. Two! 3 is a number? "Quoted." end')).toEqual(["One.", "Two!", "3 is a number?", '"Quoted." end']);
});
