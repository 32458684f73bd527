// The heuristic analyses of a document (domain/analysis.ts) as one task: run on the heavy-work pool
// (shared/workers) by flows/analyses.ts, so imports no Encore module.
import { analyseSentiment, assessRisk, extractClaims, extractEntities, summarise, type AnalysedPassage, type AnalysisType } from "./analysis";
import type { AnalysisResults } from "../model";

/** Runs one analysis over a document's passages. */
export function runAnalysis(type: AnalysisType, documentId: string, passages: AnalysedPassage[]): { results: AnalysisResults; summary: string } {
  const results: AnalysisResults = { analysisType: type, documentId, engine: "heuristic" };
  switch (type) {
    case "summary": {
      results.summary = summarise(passages, 5);
      return { results, summary: results.summary.summary.slice(0, 500) };
    }
    case "sentiment": {
      const s = (results.sentiment = analyseSentiment(passages));
      return {
        results,
        summary: `${s.label} (${s.score}): ${s.positiveSentences} positive, ${s.negativeSentences} negative, ${s.neutralSentences} neutral sentences`,
      };
    }
    case "entities": {
      const e = (results.entities = extractEntities(passages));
      return {
        results,
        summary:
          e.entities
            .slice(0, 10)
            .map((x) => `${x.name} (${x.type})`)
            .join(", ") || "no named entities",
      };
    }
    case "claims": {
      const c = (results.claims = extractClaims(passages));
      return { results, summary: `${c.claims.length} checkable claim(s)${c.claims[0] ? `, first: ${c.claims[0].text.slice(0, 200)}` : ""}` };
    }
    case "risk": {
      const r = (results.risk = assessRisk(passages));
      return {
        results,
        summary: `${r.riskLevel} risk (${r.score}), ${r.risks.length} finding(s)${r.risks[0] ? `, worst: ${r.risks[0].text.slice(0, 200)}` : ""}`,
      };
    }
  }
}
