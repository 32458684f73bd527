// Measures the crisis detector (not part of the test suite):
//   npx tsx scripts/false-alarms.ts [--days 30] [--seeds 10] [--delay-seeds 50]
// 1. false alarms: alerts opened on quiet series (steady-noise, evening-peak and variants) over
//    `days` simulated days, per seed, reported per 30 days;
// 2. detection delays on the positive cases over many seeds (minutes from onset to the alert);
// 3. cost: microseconds per minute-step and per mention, and the size of the persisted state.
// The numbers go into monitoring/README.md ("Crisis detection").
import { buildCase, caseConfig, mentionsAt, minuteOf, replayCase, type CaseName, type CaseOptions, type ReferenceCase } from "../monitoring/testdata/cases";
import { CrisisDetector } from "../monitoring/domain/detector";
import type { DetectorEvent, DetectorMention } from "../monitoring/domain/types";

const MINUTE = 60_000;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const days = arg("days", 30);
const seeds = arg("seeds", 10);
const delaySeeds = arg("delay-seeds", 50);

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

// ---- 1. false alarms ----
const quiet: [string, CaseName, CaseOptions][] = [
  ["steady-noise (λ = 8)", "steady-noise", {}],
  ["evening-peak (λ = 6, 20 at 19–21 h)", "evening-peak", {}],
  ["steady-noise, small campaign (λ = 1)", "steady-noise", { baseRate: 1 }],
  ["steady-noise, busy campaign (λ = 40, sentiment sd 0.4)", "steady-noise", { baseRate: 40, sentimentSd: 0.4 }],
  ["evening-peak, strong (λ = 6, 40 at 19–21 h)", "evening-peak", { peakRate: 40 }],
];
console.log(`False alarms over ${days} simulated days × ${seeds} seeds (alerts opened; the first day is warm-up included):`);
for (const [label, name, options] of quiet) {
  let alarms = 0;
  let firstDay = 0;
  const types: Record<string, number> = {};
  const started = performance.now();
  for (let seed = 1; seed <= seeds; seed++) {
    const c = buildCase(name, { ...options, days, seed: 1000 + seed });
    for (const e of replayCase(c)) {
      if (e.kind !== "opened") continue;
      alarms++;
      if (minuteOf(c, e.at) < 1440) firstDay++;
      types[e.alert.type] = (types[e.alert.type] ?? 0) + 1;
    }
  }
  const perMonth = (alarms / (seeds * days)) * 30;
  console.log(
    `  ${label}: ${alarms} alarm(s) in ${seeds * days} days = ${perMonth.toFixed(3)} per 30 days ${JSON.stringify(types)}, ${firstDay} of them on the first day (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
}

// ---- 2. detection delays ----
type Delay = (c: ReferenceCase, events: DetectorEvent[]) => number | null;
const after = (c: ReferenceCase, e: DetectorEvent | undefined, from: number) => (e ? minuteOf(c, e.at) - from : null);
const positive: [string, CaseName, CaseOptions, Delay][] = [
  [
    "scandal → CRISIS",
    "scandal",
    {},
    (c, ev) =>
      after(
        c,
        ev.find((e) => e.alert.type === "CRISIS"),
        c.marks.onset,
      ),
  ],
  [
    "scandal λ 45, −0.5 → CRISIS",
    "scandal",
    { burstRate: 45, burstSentiment: -0.5 },
    (c, ev) =>
      after(
        c,
        ev.find((e) => e.alert.type === "CRISIS"),
        c.marks.onset,
      ),
  ],
  [
    "escalation → severity up (from the wave)",
    "escalation",
    {},
    (c, ev) =>
      after(
        c,
        ev.find((e) => e.kind === "escalated" && e.previousSeverity !== e.alert.severity),
        c.marks.wave,
      ),
  ],
  [
    "resolution → resolved (from the end)",
    "resolution",
    {},
    (c, ev) =>
      after(
        c,
        ev.find((e) => e.kind === "resolved"),
        c.marks.end,
      ),
  ],
  [
    "sentiment-collapse → SENTIMENT",
    "sentiment-collapse",
    {},
    (c, ev) =>
      after(
        c,
        ev.find((e) => e.alert.triggers.some((t) => t.kind === "SENTIMENT_DROP")),
        c.marks.onset,
      ),
  ],
  [
    "cold-start → CRISIS (from the first mention)",
    "cold-start",
    {},
    (c, ev) =>
      after(
        c,
        ev.find((e) => e.alert.type === "CRISIS"),
        0,
      ),
  ],
  [
    "positive-viral → MENTION_SPIKE",
    "positive-viral",
    {},
    (c, ev) =>
      after(
        c,
        ev.find((e) => e.alert.type === "MENTION_SPIKE"),
        c.marks.onset,
      ),
  ],
  [
    "engagement-drop → ENGAGEMENT_DROP",
    "engagement-drop",
    {},
    (c, ev) =>
      after(
        c,
        ev.find((e) => e.alert.type === "ENGAGEMENT_DROP"),
        c.marks.onset,
      ),
  ],
  [
    "custom-threshold → SENTIMENT",
    "custom-threshold",
    {},
    (c, ev) =>
      after(
        c,
        ev.find((e) => e.alert.triggers.some((t) => t.kind === "SENTIMENT_DROP")),
        c.marks.onset,
      ),
  ],
  [
    "competitor-surge → COMPETITOR",
    "competitor-surge",
    {},
    (c, ev) =>
      after(
        c,
        ev.find((e) => e.alert.type === "COMPETITOR"),
        c.marks.onset,
      ),
  ],
];
console.log(`\nDetection delays over ${delaySeeds} seeds (minutes of event time, replayed minute by minute):`);
for (const [label, name, options, delayOf] of positive) {
  const delays: number[] = [];
  let missed = 0;
  for (let seed = 1; seed <= delaySeeds; seed++) {
    const c = buildCase(name, { ...options, seed: 5000 + seed });
    const d = delayOf(c, replayCase(c));
    if (d === null) missed++;
    else delays.push(d);
  }
  delays.sort((a, b) => a - b);
  console.log(`  ${label}: median ${quantile(delays, 0.5)}, p95 ${quantile(delays, 0.95)}, max ${delays[delays.length - 1]}, missed ${missed}`);
}

// Live: the scandal's first minute ingested in 5-second batches, as a push source would deliver it.
{
  const delays: number[] = [];
  for (let seed = 1; seed <= delaySeeds; seed++) {
    const c = buildCase("scandal", { seed: 7000 + seed });
    const detector = new CrisisDetector(caseConfig(c));
    for (let minute = 0; minute < c.marks.onset; minute++) detector.ingest(mentionsAt(c, minute), c.start + (minute + 1) * MINUTE);
    let found: number | null = null;
    for (let minute = c.marks.onset; minute < c.marks.onset + 3 && found === null; minute++) {
      const mentions = mentionsAt(c, minute);
      for (let second = 5; second <= 60 && found === null; second += 5) {
        const now = c.start + minute * MINUTE + second * 1000;
        const batch = mentions.filter((m) => +m.timestamp <= now && +m.timestamp > now - 5000);
        if (detector.ingest(batch, now).some((e) => e.alert.type === "CRISIS")) found = (now - (c.start + c.marks.onset * MINUTE)) / 1000;
      }
    }
    if (found !== null) delays.push(found);
  }
  delays.sort((a, b) => a - b);
  console.log(
    `  scandal, live 5-second batches → CRISIS: median ${quantile(delays, 0.5)} s, p95 ${quantile(delays, 0.95)} s, max ${delays[delays.length - 1]} s after onset (${delaySeeds - delays.length} missed)`,
  );
}

// ---- 3. cost ----
function time(fn: () => void): number {
  const started = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - started) / 1e3;
}

console.log("\nCost (this machine, one core, after JIT warm-up):");
{
  // A campaign at λ = 8: the first day warms the baselines (and the JIT), the next four are timed.
  const c = buildCase("steady-noise", { days: 5, seed: 42 });
  const minutes: DetectorMention[][] = [];
  for (let m = 0; m < c.minutes; m++) minutes.push(mentionsAt(c, m));
  const detector = new CrisisDetector(caseConfig(c));
  for (let m = 0; m < 1440; m++) detector.ingest(minutes[m], c.start + (m + 1) * MINUTE);
  let mentions = 0;
  const withData = time(() => {
    for (let m = 1440; m < c.minutes; m++) {
      detector.ingest(minutes[m], c.start + (m + 1) * MINUTE);
      mentions += minutes[m].length;
    }
  });
  const steps = c.minutes - 1440;
  console.log(`  minute step with its mentions (λ = 8): ${(withData / steps).toFixed(1)} µs per minute (${steps} minutes, ${mentions} mentions)`);
  const silent = new CrisisDetector(caseConfig(c), detector.toJSON());
  const start = c.start + c.minutes * MINUTE;
  const silentSteps = 50_000;
  const elapsed = time(() => {
    for (let m = 1; m <= silentSteps; m++) silent.advanceTo(start + m * MINUTE);
  });
  console.log(`  minute step without mentions (advanceTo): ${(elapsed / silentSteps).toFixed(1)} µs per minute`);
  const state = JSON.stringify(detector.toJSON());
  console.log(`  persisted state (λ = 8): ${(state.length / 1024).toFixed(1)} KiB of JSON`);
  const serialise = time(() => {
    for (let i = 0; i < 200; i++) CrisisDetector.fromJSON(caseConfig(c), JSON.stringify(detector.toJSON()));
  });
  console.log(`  toJSON + stringify + fromJSON: ${(serialise / 200 / 1000).toFixed(2)} ms`);
}
{
  // Per mention: a busy campaign (λ = 1000/min) ingested in minute batches, then in batches of 50.
  const c = buildCase("steady-noise", { days: 1, seed: 43, baseRate: 1000 });
  const batches: { mentions: DetectorMention[]; now: number }[] = [];
  for (let m = 0; m < 240; m++) batches.push({ mentions: mentionsAt(c, m), now: c.start + (m + 1) * MINUTE });
  const detector = new CrisisDetector(caseConfig(c));
  for (const b of batches.slice(0, 120)) detector.ingest(b.mentions, b.now);
  let mentions = 0;
  const busy = time(() => {
    for (const b of batches.slice(120, 180)) {
      detector.ingest(b.mentions, b.now);
      mentions += b.mentions.length;
    }
  });
  console.log(
    `  ingest, λ = 1000/min in minute batches: ${(busy / mentions).toFixed(2)} µs per mention (${mentions} mentions); state ${(JSON.stringify(detector.toJSON()).length / 1024).toFixed(0)} KiB`,
  );
  const slices: { mentions: DetectorMention[]; now: number }[] = [];
  for (const b of batches.slice(180)) {
    for (let i = 0; i < b.mentions.length; i += 50) {
      const part = b.mentions.slice(i, i + 50);
      slices.push({ mentions: part, now: +part[part.length - 1].timestamp });
    }
  }
  const perBatch = time(() => {
    for (const b of slices) detector.ingest(b.mentions, b.now);
  });
  console.log(`  ingest in batches of 50 (one evaluation per batch): ${(perBatch / slices.length).toFixed(1)} µs per call`);
}
