import { describe, expect, test } from "vitest";
import { analyzeSentiment, combineWithSource, mentionSentiment } from "./analyze";
import { classify, evaluate, parseLabelled } from "./evaluation";
import { mentionLanguage } from "./language";
import { loadEvaluationSet } from "../../testdata/sentiment/load";

const score = (text: string) => analyzeSentiment(text).score;

describe("the sentiment evaluation (testdata/*.tsv, `npm run eval:sentiment`)", () => {
  const set = loadEvaluationSet();
  const report = evaluate(set, (text, source) => mentionSentiment(text, source).sentiment);

  test("the set has at least 300 labelled mentions in English and Spanish, with the hard cases", () => {
    expect(set.length).toBeGreaterThanOrEqual(300);
    for (const language of ["en", "es"]) expect(set.filter((m) => m.language === language).length).toBeGreaterThanOrEqual(150);
    const tags = new Set(set.flatMap((m) => m.tags));
    for (const tag of ["sarcasm", "negation", "emoji", "topic", "announcement", "contrast", "source"]) expect(tags).toContain(tag);
  });

  // The floor fails the build when a change makes the scorer worse than the target.
  test("3-class accuracy is at least 85 % overall and in each language", () => {
    expect(report.overall.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(report.byLanguage.en.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(report.byLanguage.es.accuracy).toBeGreaterThanOrEqual(0.85);
  });

  // The second held-out set was scored once before it could shape the scorer (71.7 %); it guards
  // against rules that only fit the sets they were written against.
  test("the second held-out set stays at least 70 %", () => {
    expect(report.bySet.holdout2.accuracy).toBeGreaterThanOrEqual(0.7);
  });

  test("the parser refuses malformed lines", () => {
    expect(() => parseLabelled("x.tsv", "en\tgood\t\t\ttext")).toThrow(/unknown label/);
    expect(() => parseLabelled("x.tsv", "en\tpositive\t2\t\ttext")).toThrow(/source score/);
    expect(() => parseLabelled("x.tsv", "en\tpositive\t\ttext")).toThrow(/5 tab-separated/);
    expect(parseLabelled("x.tsv", "# comment\nes\tneutral\t-0.4\ta,b\tHola")).toEqual([
      { where: "x.tsv:2", language: "es", label: "neutral", source: -0.4, tags: ["a", "b"], text: "Hola" },
    ]);
  });
});

describe("our reading of a post", () => {
  test("sarcasm turns praise into a complaint", () => {
    expect(score("Great, another Whitfield mailer. Just what my recycling bin needed.")).toBeLessThan(-0.05);
    expect(score("Great mailer from Whitfield, very clear on schools")).toBeGreaterThan(0.05);
    expect(score("Qué bien, otro mensaje de Kessler. Justo lo que necesitaba.")).toBeLessThan(-0.05);
    expect(score('Yeah right, Kessler is going to "fix" healthcare')).toBeLessThan(-0.05);
  });

  test("policy topics are not feelings; a judgement about them is", () => {
    const town = (topic: string) => score(`Rivera holds a town hall on ${topic} in Portsmouth tonight`);
    expect(classify(town("the opioid crisis"))).toBe("neutral");
    expect(classify(town("healthcare"))).toBe("neutral");
    expect(classify(town("gun violence"))).toBe("neutral");
    expect(classify(score("Foro sobre la crisis de opioides con Rivera esta noche"))).toBe("neutral");
    expect(score("Whitfield made the opioid crisis worse")).toBeLessThan(-0.05);
    expect(score("The campaign is in crisis")).toBeLessThan(-0.05);
  });

  test("neutral announcements stay neutral", () => {
    expect(classify(score("Rivera and Whitfield will debate infrastructure next week"))).toBe("neutral");
    expect(classify(score("Rivera y Kessler debatirán sobre infraestructura la próxima semana"))).toBe("neutral");
  });

  test("Spanish is read, negation included (and Spanish double negation is one negation)", () => {
    expect(score("Rivera no tiene un plan real para la economía. Decepcionante")).toBeLessThan(-0.05);
    expect(score("Me encanta el plan de Rivera")).toBeGreaterThan(0.05);
    expect(score("No me gusta nada lo que dijo Whitfield")).toBeLessThan(-0.05);
    expect(score("No está nada mal el discurso de Rivera")).toBeGreaterThan(0.05);
    expect(score("Kessler es un corrupto")).toBeLessThan(-0.05);
  });

  test("emoji count in every language; negation, intensifiers and contrast in English", () => {
    expect(score("really nice 🙂")).toBeGreaterThan(score("really nice"));
    expect(score("Rivera 🤬")).toBeLessThan(-0.05);
    expect(score("Rivera 👍👍")).toBeGreaterThan(0.05);
    expect(score("Not impressed with Rivera at all")).toBeLessThan(-0.05);
    expect(score("an extremely good plan")).toBeGreaterThan(score("a good plan"));
    expect(score("good speech but a terrible record")).toBeLessThan(-0.05);
    expect(score("I had my doubts, but that jobs plan is solid")).toBeGreaterThan(0.05);
  });

  test("words in a language we do not score say nothing; scores are in [-1, 1] with 3 decimals", () => {
    expect(analyzeSentiment("C'est une honte, Rivera a encore menti")).toMatchObject({ language: "fr", scored: false, score: 0 });
    for (const text of ["AMAZING!!!! 🎉🎉🎉 best ever", "corrupt lying disgraceful fraud 🤮🤮🤮"]) {
      const s = score(text);
      expect(Math.abs(s)).toBeLessThanOrEqual(1);
      expect(Math.round(s * 1000) / 1000).toBe(s);
    }
  });
});

describe("language of a mention", () => {
  test("the source's tag wins (reduced to the language); else detected among the feed's languages", () => {
    expect(mentionLanguage("anything", "es-MX")).toBe("es");
    expect(mentionLanguage("Whitfield is a liar")).toBe("en");
    expect(mentionLanguage("Qué vergüenza lo de Whitfield")).toBe("es");
    expect(mentionLanguage("Debate moderators announced for the October 14 debate")).toBe("en");
    expect(mentionLanguage("👍👍")).toBeNull();
  });
});

describe("combining the source's score with ours", () => {
  const ours = (text: string) => analyzeSentiment(text);
  test("our class decides; an agreeing source is averaged in; our neutral stays neutral", () => {
    expect(combineWithSource(ours("Rivera and Whitfield will debate infrastructure next week"), -0.47)).toBe(0);
    const praise = ours("Rivera's speech was honestly inspiring");
    expect(combineWithSource(praise, -0.6)).toBe(praise.score);
    expect(combineWithSource(praise, 0.9)).toBeCloseTo((praise.score + 0.9) / 2, 3);
    expect(combineWithSource(praise, null)).toBe(praise.score);
  });

  test("in a language we do not score, the source's score is all there is", () => {
    expect(combineWithSource(ours("C'est une honte, Rivera a encore menti"), -0.7)).toBe(-0.7);
  });
});
