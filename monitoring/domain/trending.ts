// Trending terms: the words and two-word phrases whose frequency rose most against their OWN
// baseline (not the most frequent ones: a candidate's name is always frequent). Each mention counts
// a term once. For a term, x = its mentions in the recent window and e = what its rate over the
// baseline period predicts for a window that long; it is ranked by the Poisson z-score
// (x - e) / sqrt(e + 1), with e at least half a mention so that a brand-new term needs support.
// Terms need at least MIN_MENTIONS mentions and a lift (x + 1) / (e + 1) of MIN_LIFT. A word is
// left out when a phrase containing it ranks higher and carries most of its mentions. Busy windows
// are sampled: counts are estimated as (share of the sample) × (exact count of the window). Pure.

/** A sampled mention: its text and sentiment. */
export interface TermDoc {
  text: string;
  sentiment: number;
}

/** A sample of a period's mentions and how many there were in all. */
export interface PeriodSample {
  docs: TermDoc[];
  total: number;
}

export interface TrendingInput {
  recent: PeriodSample;
  /** The baseline period, in slices each sampled separately (so that a busy hour does not crowd out the others). */
  baseline: PeriodSample[];
  recentHours: number;
  baselineHours: number;
  limit: number;
}

export interface RankedTerm {
  term: string;
  mentions: number;
  expected: number;
  lift: number;
  score: number;
  sentiment: number;
}

const MIN_MENTIONS = 3;
const MIN_LIFT = 1.5;
const MIN_EXPECTED = 0.5;
const MIN_SCORE = 2;

const STOPWORDS = new Set(
  (
    "a about above after again against all also am an and any are aren't as at be because been before being below between both but by " +
    "can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for from further get gets got had hadn't " +
    "has hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if in " +
    "into is isn't it it's its itself just let's like me more most mustn't my myself no nor not now of off on once only or other ought our " +
    "ours ourselves out over own really same say says said shan't she she'd she'll she's should shouldn't so some such than that that's the " +
    "their theirs them themselves then there there's these they they'd they'll they're they've this those through to too under until up " +
    "us very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's which while who who's whom why why's " +
    "will with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves via rt amp http https www com org net " +
    "today yesterday tomorrow one two new just still even much many every ever going gonna wanna yes yeah ok okay"
  ).split(" "),
);

const WORD = /#?[\p{L}\p{N}](?:[\p{L}\p{N}'’-]*[\p{L}\p{N}])?/gu;

/** The distinct terms of a text: content words (3+ letters, or hashtags) and adjacent pairs of them. */
export function termsOf(text: string): Set<string> {
  const terms = new Set<string>();
  const withoutUrls = text.replace(/https?:\/\/\S+/gi, " ");
  let previous: string | null = null;
  for (const match of withoutUrls.matchAll(WORD)) {
    const word = match[0].toLowerCase().replace(/’/g, "'").replace(/'s$/, "");
    const content = !STOPWORDS.has(word) && !/^#?\d+$/.test(word) && (word.startsWith("#") ? word.length > 2 : word.length >= 3);
    if (!content) {
      previous = null;
      continue;
    }
    terms.add(word);
    if (previous !== null && !previous.startsWith("#") && !word.startsWith("#")) terms.add(`${previous} ${word}`);
    previous = word;
  }
  return terms;
}

interface Tally {
  count: number;
  sentiment: number;
}

/** Estimated mentions per term in a sample scaled to its period's total, with sentiment sums. */
function estimate(sample: PeriodSample, into: Map<string, Tally>): void {
  if (sample.docs.length === 0 || sample.total === 0) return;
  const scale = sample.total / sample.docs.length;
  for (const doc of sample.docs) {
    for (const term of termsOf(doc.text)) {
      const t = into.get(term);
      if (t) {
        t.count += scale;
        t.sentiment += doc.sentiment * scale;
      } else into.set(term, { count: scale, sentiment: doc.sentiment * scale });
    }
  }
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The terms rising most against their baseline, best first. */
export function rankTrending(input: TrendingInput): RankedTerm[] {
  const recent = new Map<string, Tally>();
  estimate(input.recent, recent);
  const baseline = new Map<string, Tally>();
  for (const slice of input.baseline) estimate(slice, baseline);
  const ratio = input.baselineHours > 0 ? input.recentHours / input.baselineHours : 0;
  const ranked: RankedTerm[] = [];
  for (const [term, t] of recent) {
    const x = t.count;
    if (x < MIN_MENTIONS) continue;
    const expected = (baseline.get(term)?.count ?? 0) * ratio;
    const e = Math.max(expected, MIN_EXPECTED);
    const lift = (x + 1) / (expected + 1);
    const score = (x - e) / Math.sqrt(e + 1);
    if (lift < MIN_LIFT || score < MIN_SCORE) continue;
    ranked.push({
      term,
      mentions: Math.round(x),
      expected: round(expected, 2),
      lift: round(lift, 2),
      score: round(score, 2),
      sentiment: round(t.sentiment / x),
    });
  }
  // Ties go to the more specific term (a phrase before its words), then alphabetically.
  const words = (t: string) => t.split(" ").length;
  ranked.sort((a, b) => b.score - a.score || b.mentions - a.mentions || words(b.term) - words(a.term) || (a.term < b.term ? -1 : 1));
  const kept: RankedTerm[] = [];
  for (const candidate of ranked) {
    if (kept.length >= input.limit) break;
    // A word whose mentions a higher-ranked phrase mostly carries adds nothing.
    const covered = !candidate.term.includes(" ") && kept.some((k) => k.term.split(" ").includes(candidate.term) && k.mentions >= 0.6 * candidate.mentions);
    if (!covered) kept.push(candidate);
  }
  return kept;
}
