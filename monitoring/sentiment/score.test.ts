import { describe, expect, test } from "vitest";
import { scoreSentiment, tokenize, valenceOf } from "./score";

describe("the lexicon sentiment scorer", () => {
  test("scores praise positive and scandal negative, within [-1, 1]", () => {
    const praise = scoreSentiment("Great town hall tonight, Rivera is an honest and inspiring leader");
    const scandal = scoreSentiment("Leaked emails show Rivera took bribes: a corrupt, disgraceful scandal");
    expect(praise).toBeGreaterThan(0.5);
    expect(scandal).toBeLessThan(-0.7);
    for (const s of [praise, scandal]) expect(Math.abs(s)).toBeLessThanOrEqual(1);
  });

  test("text without sentiment words, or in another language, is neutral", () => {
    expect(scoreSentiment("Rivera will speak in Columbus on Tuesday at 6 pm")).toBe(0);
    expect(scoreSentiment("")).toBe(0);
    expect(scoreSentiment("Rivera hablará en Columbus el martes")).toBe(0);
  });

  test("a negation turns the words after it around", () => {
    expect(scoreSentiment("Rivera is honest")).toBeGreaterThan(0);
    expect(scoreSentiment("Rivera is not honest")).toBeLessThan(0);
    expect(scoreSentiment("This isn't a scandal")).toBeGreaterThan(0);
  });

  test("intensifiers, capitals and exclamation marks strengthen; 'but' shifts the weight to what follows", () => {
    expect(scoreSentiment("a very good plan")).toBeGreaterThan(scoreSentiment("a good plan"));
    expect(scoreSentiment("a GOOD plan")).toBeGreaterThan(scoreSentiment("a good plan"));
    expect(scoreSentiment("a good plan!!!")).toBeGreaterThan(scoreSentiment("a good plan"));
    expect(scoreSentiment("good speech but a terrible record")).toBeLessThan(0);
  });

  test("prefix entries match word endings; emoji count", () => {
    expect(valenceOf("corruption")).toBeLessThan(0);
    expect(valenceOf("corrupted")).toBeLessThan(0);
    expect(valenceOf("supporters")).toBeGreaterThan(0);
    expect(scoreSentiment("Rivera 👍👍")).toBeGreaterThan(0);
    expect(scoreSentiment("Rivera 🤬")).toBeLessThan(0);
  });

  test("tokens keep inner apostrophes and hyphens", () => {
    expect(tokenize("Don’t trust the cover-up, it's #Rivera's")).toEqual(["Don't", "trust", "the", "cover-up", "it's", "Rivera's"]);
  });

  test("rounds to the stored precision (3 decimals)", () => {
    const s = scoreSentiment("What a wonderful, amazing day for the campaign");
    expect(Math.round(s * 1000) / 1000).toBe(s);
  });
});
