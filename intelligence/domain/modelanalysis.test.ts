import { expect, test } from "vitest";
import { strictSchemaProblem } from "../../tests/fakes/openai";
import type { AnalysedPassage } from "./analysis";
import { MODEL_DOCUMENT_BUDGET, analysisPrompt, documentPayload, locateQuote, responseFormat, validateAnswer } from "./modelanalysis";

const passages: AnalysedPassage[] = [
  { id: "p0", position: 0, heading: "Budget", body: "Senator Jane Rivera voted against the 2023 budget,\nwhich raised spending by 12%. Class sizes fell." },
  { id: "p1", position: 1, heading: "Record", body: "In 2019 Rivera was named in a lawsuit. She later flip-flopped on the stadium tax." },
];

test("every schema is one the API accepts in strict mode", () => {
  for (const t of ["sentiment", "entities", "claims", "risk"] as const) {
    const f = responseFormat(t);
    expect(f).toMatchObject({ type: "json_schema", json_schema: { name: `${t}_analysis`, strict: true } });
    expect(strictSchemaProblem(f.json_schema.schema)).toBeNull();
    // The instructions are fixed text: nothing of any document in them.
    expect(analysisPrompt(t)).not.toMatch(/Rivera/);
  }
  expect(strictSchemaProblem({ type: "object", properties: { a: { type: "string" } }, additionalProperties: false, required: [] })).toMatch(/Missing 'a'/);
});

test("a quote is found with whitespace collapsed and quotation marks removed, in the passage that has it", () => {
  expect(locateQuote(passages, 0, "voted against the 2023 budget, which raised spending by 12%.")).toEqual({
    passageId: "p0",
    position: 0,
    text: "voted against the 2023 budget, which raised spending by 12%.",
  });
  expect(locateQuote(passages, 0, "“She later flip-flopped on the stadium tax.”")).toEqual({
    passageId: "p1",
    position: 1,
    text: "She later flip-flopped on the stadium tax.",
  });
  // Paraphrases, other cases, fragments too short to mean anything: not quotes.
  expect(locateQuote(passages, 1, "she later flip-flopped on the stadium tax.")).toBeNull();
  expect(locateQuote(passages, 1, "Rivera reversed herself on the stadium tax.")).toBeNull();
  expect(locateQuote(passages, 1, "the stadium")).toBeNull();
});

test("the document goes as data with its sentence count; too long a document is not sent", () => {
  const payload = JSON.parse(documentPayload("note", "f.md", passages)!);
  expect(payload).toEqual({
    note: "note",
    filename: "f.md",
    sentenceCount: 4,
    passages: passages.map((p) => ({ position: p.position, heading: p.heading, untrustedText: p.body })),
  });
  expect(documentPayload("note", "big.md", [{ id: "x", position: 0, heading: "", body: "a".repeat(MODEL_DOCUMENT_BUDGET + 1) }])).toBeNull();
});

const sentiment = (over: Record<string, unknown>) =>
  JSON.stringify({
    score: -0.3,
    label: "negative",
    positiveSentences: 0,
    negativeSentences: 2,
    byPassage: [
      { position: 0, score: -0.2 },
      { position: 1, score: -0.5 },
    ],
    mostNegative: [],
    mostPositive: [],
    ...over,
  });

test("sentiment: counts must fit the document, every passage once", () => {
  const ok = validateAnswer("sentiment", sentiment({}), passages);
  expect(ok).toMatchObject({ ok: true, result: { neutralSentences: 2, byPassage: [{ passageId: "p0" }, { passageId: "p1" }] } });
  expect(validateAnswer("sentiment", sentiment({ positiveSentences: 3 }), passages)).toEqual({
    ok: false,
    reason: "the model's answer is invalid: 5 toned sentences in a document of 4",
  });
  expect(
    validateAnswer(
      "sentiment",
      sentiment({
        byPassage: [
          { position: 0, score: 0 },
          { position: 0, score: 0 },
        ],
      }),
      passages,
    ),
  ).toMatchObject({ ok: false, reason: /position 0 twice/ });
  expect(validateAnswer("sentiment", sentiment({ score: 1.5 }), passages)).toMatchObject({ ok: false });
  expect(validateAnswer("sentiment", sentiment({ negativeSentences: 1.5 }), passages)).toEqual({
    ok: false,
    reason: "the model's answer does not match its schema: negativeSentences: Invalid input: expected int, received number",
  });
  expect(validateAnswer("sentiment", "[]", passages)).toEqual({
    ok: false,
    reason: "the model's answer does not match its schema: answer: Invalid input: expected object, received array",
  });
});

test("entities: names not in the document are dropped, counted from the text on whole words; mostly invented is rejected", () => {
  const one = validateAnswer(
    "entities",
    JSON.stringify({
      entities: [
        { name: "Rivera", type: "person" },
        { name: "Jane Rivera", type: "person" },
        { name: "Springfield", type: "place" },
      ],
    }),
    passages,
  );
  expect(one).toEqual({
    ok: true,
    dropped: 1,
    result: {
      entities: [
        { name: "Rivera", type: "person", mentions: 2, positions: [0, 1] },
        { name: "Jane Rivera", type: "person", mentions: 1, positions: [0] },
      ],
    },
  });
  expect(validateAnswer("entities", JSON.stringify({ entities: [{ name: "Riv", type: "person" }] }), passages)).toMatchObject({
    ok: false,
    reason: /1 of 1 entities are not in the document/,
  });
});

test("risk: worst first, signals lower-cased; unknown categories rejected", () => {
  const r = validateAnswer(
    "risk",
    JSON.stringify({
      riskLevel: "medium",
      score: 0.4,
      risks: [
        { category: "policy_reversal", severity: "low", quote: "She later flip-flopped on the stadium tax.", position: 1, signals: ["Flip-Flopped"] },
        { category: "legal", severity: "high", quote: "In 2019 Rivera was named in a lawsuit.", position: 1, signals: ["lawsuit"] },
      ],
    }),
    passages,
  );
  expect(r.ok && r.result.risks.map((x) => [x.category, x.signals])).toEqual([
    ["legal", ["lawsuit"]],
    ["policy_reversal", ["flip-flopped"]],
  ]);
  expect(
    validateAnswer(
      "risk",
      JSON.stringify({ riskLevel: "medium", score: 0.4, risks: [{ category: "gossip", severity: "low", quote: "x", position: 0, signals: [] }] }),
      passages,
    ),
  ).toMatchObject({ ok: false });
});
