import { describe, expect, test } from "vitest";
import { assessContent, termsNamed } from "./content";

const attack =
  "Senator Rivera is under investigation for fraud after a lawsuit alleged campaign funds were misused. " +
  "Critics called the scandal a disgrace and demanded Rivera resign. The audit found millions over budget.";
const calm = "Rivera visited the farmers market on Saturday and talked with families about school lunches.";

describe("assessContent", () => {
  test("an attack piece with legal and financial allegations is a high threat, with its evidence", () => {
    const t = assessContent({ kind: "article", text: attack, reach: 50_000 });
    expect(["high", "critical"]).toContain(t.threatLevel);
    expect(t.factors.find((f) => f.name === "content_risk")!.evidence.join(" ")).toMatch(/legal/);
    expect(t.recommendedActions.join(" ")).toMatch(/counsel/);
  });
  test("a friendly post is low", () => {
    const t = assessContent({ kind: "post", text: calm, reach: 200 });
    expect(t.threatLevel).toBe("low");
    expect(t.recommendedActions).toEqual(["no action needed: keep monitoring"]);
  });
  test("with a campaign for context, a piece that does not name it counts half", () => {
    const about = assessContent({ kind: "article", text: attack }, { name: "Rivera for Senate", terms: ["Rivera"] });
    const other = assessContent({ kind: "article", text: attack.replaceAll("Rivera", "Okafor") }, { name: "Rivera for Senate", terms: ["Rivera"] });
    expect(other.score).toBeCloseTo(about.score / 2, 2);
    expect(other.factors.find((f) => f.name === "campaign_relevance")!.score).toBe(0.5);
  });
  test("terms match whole words only", () => {
    expect(termsNamed("Riverside news", ["Rivera", "river"])).toEqual([]);
    expect(termsNamed("Vote Rivera!", ["rivera"])).toEqual(["rivera"]);
  });
});
