import { describe, expect, test } from "vitest";
import { START_SEL as S, STOP_SEL as E, escapeHtml, isWebSyntax, matchingSentences, safeSnippet } from "./search";

describe("safeSnippet", () => {
  test("plain text with offsets, escaped HTML with <mark> only", () => {
    const r = safeSnippet(`the ${S}transit${E} plan <img src=x onerror=alert(1)> & ${S}levy${E}`);
    expect(r.text).toBe("the transit plan <img src=x onerror=alert(1)> & levy");
    expect(r.highlights.map((h) => r.text.slice(h.start, h.end))).toEqual(["transit", "levy"]);
    expect(r.snippet).toBe("the <mark>transit</mark> plan &lt;img src=x onerror=alert(1)&gt; &amp; <mark>levy</mark>");
    expect(r.snippet).not.toMatch(/<img/);
  });
  test("an unclosed marker is closed at the end", () => {
    const r = safeSnippet(`a ${S}b`);
    expect(r).toEqual({ text: "a b", highlights: [{ start: 2, end: 3 }], snippet: "a <mark>b</mark>" });
  });
  test("escapeHtml covers quotes", () => {
    expect(escapeHtml(`"x'`)).toBe("&quot;x&#39;");
  });
});

test("web syntax: quotes, exclusions, OR; a natural question is not", () => {
  expect(isWebSyntax('"leaked audio"')).toBe(true);
  expect(isWebSyntax("audio -video")).toBe(true);
  expect(isWebSyntax("audio OR video")).toBe(true);
  expect(isWebSyntax("what did Kessler say about Social Security")).toBe(false);
  expect(isWebSyntax("a well-known plan")).toBe(false);
});

test("matchingSentences quotes whole sentences that carry the matches", () => {
  const body = "Intro line. The leaked audio was edited. Unrelated. Audio experts agree!";
  expect(matchingSentences(body, ["audio"])).toBe("The leaked audio was edited. Audio experts agree!");
  expect(matchingSentences(body, ["zebra"], 1)).toBe("Intro line.");
});
