// Loads the labelled evaluation set beside this file (for the eval script and the test).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseLabelled, type LabelledMention } from "../../domain/sentiment/evaluation";

export function loadEvaluationSet(): LabelledMention[] {
  const dir = import.meta.dirname;
  return readdirSync(dir)
    .filter((f) => f.endsWith(".tsv"))
    .sort()
    .flatMap((f) => parseLabelled(f, readFileSync(path.join(dir, f), "utf8")));
}
