// `npm run eval:sentiment`: the sentiment evaluation (testdata/*.tsv) with the ingest's scorer
// (our reading combined with the source's score, as the pollers' feeds are): 3-class accuracy
// overall, per language, per file and per hard case, then every miss. `--json` prints the report.
import { mentionSentiment } from "../monitoring/domain/sentiment/analyze";
import { evaluate, type Accuracy } from "../monitoring/domain/sentiment/evaluation";
import { loadEvaluationSet } from "../monitoring/testdata/sentiment/load";

const report = evaluate(loadEvaluationSet(), (text, source) => mentionSentiment(text, source).sentiment);
if (process.argv.includes("--json")) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const line = (name: string, a: Accuracy) => console.log(`${name.padEnd(14)} ${(a.accuracy * 100).toFixed(1).padStart(5)} %  (${a.correct}/${a.total})`);
  line("overall", report.overall);
  for (const [k, a] of Object.entries(report.byLanguage)) line(`language ${k}`, a);
  for (const [k, a] of Object.entries(report.bySet)) line(`set ${k}`, a);
  for (const [k, a] of Object.entries(report.byTag)) line(`  ${k}`, a);
  console.log(`\n${report.misses.length} misses:`);
  for (const m of report.misses) console.log(`  ${m.where}  ${m.label} → ${m.got} (${m.score})  ${m.text}`);
}
