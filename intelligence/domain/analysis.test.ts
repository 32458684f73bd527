import { describe, expect, test } from "vitest";
import {
  analyseSentiment,
  assessRisk,
  attributedSentences,
  extractClaims,
  extractEntities,
  isAnalysisType,
  sentenceTone,
  summarise,
  type AnalysedPassage,
} from "./analysis";

const doc = (...bodies: string[]): AnalysedPassage[] => bodies.map((body, i) => ({ id: `p${i}`, position: i, heading: "", body }));

test("analysis types are the five the API accepts", () => {
  expect(["summary", "sentiment", "entities", "claims", "risk"].every(isAnalysisType)).toBe(true);
  expect(isAnalysisType("poetry")).toBe(false);
});

describe("summarise", () => {
  test("picks the sentences that share the document's vocabulary, in document order", () => {
    const r = summarise(
      doc(
        "The transit plan expands bus service across the county. Buses will run every ten minutes.",
        "Unrelated: the weather was pleasant on Tuesday afternoon.",
        "The transit plan costs $40 million and expands bus routes to the airport.",
      ),
      2,
    );
    expect(r.keyPoints).toHaveLength(2);
    expect(r.summary).toContain("transit plan");
    expect(r.summary).not.toContain("weather");
    expect(r.keyPoints[0]!.position).toBeLessThanOrEqual(r.keyPoints[1]!.position);
    expect(r.passageCount).toBe(3);
    expect(r.wordCount).toBeGreaterThan(20);
  });
});

describe("sentiment", () => {
  test("negators flip a word", () => {
    expect(sentenceTone("This is a great success")).toBeGreaterThan(0);
    expect(sentenceTone("This is not a success")).toBeLessThan(0);
  });

  test("a hostile text reads negative, with its worst sentence quoted", () => {
    const r = analyseSentiment(doc("The scandal is a disaster. Corruption and lies everywhere.", "The park opened today."));
    expect(r.label).toBe("negative");
    expect(r.score).toBeLessThan(0);
    expect(r.negativeSentences).toBe(2);
    expect(r.mostNegative[0]!.passageId).toBe("p0");
    expect(r.byPassage.map((p) => p.position)).toEqual([0, 1]);
  });

  test("a warm text reads positive", () => {
    expect(analyseSentiment(doc("Great progress and strong growth. Voters trust the proud leadership.")).label).toBe("positive");
  });
});

test("entities: people with titles, organisations, places", () => {
  const r = extractEntities(
    doc("Senator Jane Rivera met the Ohio Education Association in Columbus. Later, Jane Rivera spoke to the AFL-CIO and the Franklin County Council."),
  );
  const byName = new Map(r.entities.map((e) => [e.name, e]));
  expect(byName.get("Jane Rivera")?.type).toBe("person");
  expect(byName.get("Jane Rivera")?.mentions).toBe(2);
  expect(byName.get("Ohio Education Association")?.type).toBe("organization");
  expect(byName.get("Columbus")?.type).toBe("place");
  expect(byName.get("Franklin County Council")?.type).toBe("organization");
  expect(r.entities[0]!.name).toBe("Jane Rivera");
});

test("claims: concrete, checkable sentences with their passage; opinions and questions are not claims", () => {
  const r = extractClaims(
    doc(
      "Unemployment fell to 3.9% in 2024. We believe in a better future.",
      "Is this the best plan? According to the county auditor, the project cost $12 million, more than planned.",
    ),
  );
  expect(r.claims.map((c) => c.text)).toEqual([
    "Unemployment fell to 3.9% in 2024.",
    "According to the county auditor, the project cost $12 million, more than planned.",
  ]);
  expect(r.claims[0]!.kinds).toEqual(expect.arrayContaining(["statistic", "date", "comparison"]));
  expect(r.claims[1]!.kinds).toEqual(expect.arrayContaining(["money", "attribution"]));
  expect(r.claims[1]!.passageId).toBe("p1");
});

test("risk: legal and conduct findings rank first; a clean text is low risk", () => {
  const r = assessRisk(
    doc(
      "In 2019 the candidate was named in a lawsuit and an ethics investigation over a donor's loan.",
      "He flip-flopped on the stadium tax.",
      "The library opened on time.",
    ),
  );
  expect(r.risks[0]!.category).toBe("legal");
  expect(r.risks[0]!.severity).toBe("high");
  expect(r.risks.map((x) => x.category)).toEqual(expect.arrayContaining(["legal", "financial", "policy_reversal"]));
  expect(r.risks.every((x) => x.position !== 2)).toBe(true);
  expect(["medium", "high"]).toContain(r.riskLevel);
  expect(assessRisk(doc("The library opened on time and readers were pleased.")).riskLevel).toBe("low");
});

describe("the issue's documents", () => {
  const doc = (...bodies: string[]): AnalysedPassage[] => bodies.map((body, position) => ({ id: `p${position}`, position, heading: "", body }));

  test("entities: laws and programmes are not people, a newspaper is an organisation, a surname counts for its person", () => {
    const { entities } = extractEntities(
      doc(
        "Dana Whitfield spoke in Pittsburgh on Monday. The Pittsburgh Post-Gazette reported that Whitfield would protect Medicare Advantage.",
        "Whitfield backed the Inflation Reduction Act. Critics say Whitfield will cut Social Security. Whitfield denied it, and Whitfield called Mark Kessler a liar.",
      ),
    );
    const by = new Map(entities.map((e) => [e.name, e]));
    expect(by.get("Dana Whitfield")).toMatchObject({ type: "person", mentions: 6, positions: [0, 1] });
    expect(by.has("Whitfield")).toBe(false);
    expect(by.get("Medicare Advantage")?.type).toBe("program");
    expect(by.get("Social Security")?.type).toBe("program");
    expect(by.get("Inflation Reduction Act")?.type).toBe("law");
    expect(by.get("Pittsburgh Post-Gazette")?.type).toBe("organization");
    expect(by.get("Pittsburgh")?.type).toBe("place");
    expect(by.get("Mark Kessler")?.type).toBe("person");
  });

  test("risk: a defamation threat and a labor settlement are not low", () => {
    const memo = doc(
      "Kessler's lawyers sent a cease-and-desist letter threatening a defamation lawsuit over the mailer.",
      "In 2021 the campaign paid a $40,000 settlement to resolve a labor complaint from former canvassers.",
      "The treasurer accepted gifts from a contractor, a conflict of interest. Whitfield voted against the minimum wage bill.",
    );
    const r = assessRisk(memo);
    expect(r.riskLevel).toBe("high");
    const categories = r.risks.map((x) => x.category);
    expect(categories).toEqual(expect.arrayContaining(["legal", "financial", "conduct", "policy_reversal"]));
    expect(r.risks[0]).toMatchObject({ category: "legal", severity: "high" });
    expect(r.risks.find((x) => x.text.includes("settlement"))?.signals).toContain("settlement");
    // One legal finding alone is at least medium.
    expect(assessRisk(doc("The donor threatened to sue.")).riskLevel).not.toBe("low");
  });

  test("a transcript summary keeps who said what", () => {
    const transcript = doc(
      "MODERATOR: Let's turn to energy policy and fracking in the state.\nKESSLER: She said in 2019 she would ban fracking across the state. That would cost energy jobs.\nDana Whitfield: I never said I would ban fracking in the state. I said we need strong rules for fracking.",
    );
    const sentencesWithSpeakers = attributedSentences(transcript).map((s) => s.text);
    expect(sentencesWithSpeakers).toContain("Kessler: She said in 2019 she would ban fracking across the state.");
    expect(sentencesWithSpeakers).toContain("Dana Whitfield: I never said I would ban fracking in the state.");
    const { summary } = summarise(transcript, 2);
    expect(summary).toMatch(/(Kessler|Dana Whitfield): /);
    for (const k of summarise(transcript, 3).keyPoints) expect(k.text).toMatch(/^(Moderator|Kessler|Dana Whitfield): /);
  });
});
