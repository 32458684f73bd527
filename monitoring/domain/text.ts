// Text helpers for explanations: a simple tokeniser with an English and Spanish stopword list, and
// competitor-name matching. Deliberately small: alerts need the few terms that stand out, not NLP.

const STOPWORDS = new Set(
  // English
  (
    "a about above after again against all also am an and any are aren as at be because been before being below between both but by " +
    "can cannot could couldn did didn do does doesn doing don down during each even ever every few for from further get gets got had hadn has hasn " +
    "have haven having he her here hers herself him himself his how however i if in into is isn it its itself just let like made make many may me " +
    "might more most much must my myself never new no nor not now of off on once one only or other our ours ourselves out over own per " +
    "really said same say says see seems shall she should shouldn since so some still such than that the their theirs them themselves " +
    "then there these they thing things think this those though through to too two under until up upon us very via was wasn way we " +
    "well were weren what when where whether which while who whom whose why will with within without won would wouldn yet you your yours " +
    "yourself yourselves going gonna wanna yes yeah ok okay lol omg amp rt http https www com org net html today tonight day time people " +
    "know want need just got back " +
    // Spanish
    "al algo como con contra cual cuando de del desde donde el ella ellas ellos en entre era es esa ese eso esta este esto fue ha hay la " +
    "las le les lo los mas me mi muy nada ni no nos o para pero por porque que quien se sea ser si sin sobre su sus también te tiene todo " +
    "tu un una uno unos y ya yo"
  )
    .split(/\s+/)
    .filter(Boolean),
);

const TOKEN = /[\p{L}\p{N}#@'’_-]+/gu;
const URL = /\bhttps?:\/\/\S+|\bwww\.\S+/gi;
const LEADING = "#'’_-";
const TRAILING = "'’_-";

/**
 * The distinct terms of a text: lower-cased words of 3+ characters, hashtags without their '#',
 * no @handles, no URLs, no numbers, no stopwords.
 */
export function distinctTerms(text: string): Set<string> {
  const terms = new Set<string>();
  const lowered = (text.includes("http") || text.includes("www.") ? text.replace(URL, " ") : text).toLowerCase();
  for (const match of lowered.matchAll(TOKEN)) {
    let word = match[0];
    if (word.charCodeAt(0) === 64 /* @ */) continue;
    let from = 0;
    let to = word.length;
    while (from < to && LEADING.includes(word[from])) from++;
    while (to > from && TRAILING.includes(word[to - 1])) to--;
    if (to - from >= 2 && (word[to - 2] === "'" || word[to - 2] === "’") && word[to - 1] === "s") to -= 2;
    if (from > 0 || to < word.length) word = word.slice(from, to);
    if (word.length < 3 || word.length > 40 || isNumber(word) || STOPWORDS.has(word)) continue;
    terms.add(word);
  }
  return terms;
}

// Digits, possibly with '_' or '-' (years, counts, phone-like fragments): never a useful term.
function isNumber(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 95 || c === 45)) return false;
  }
  return true;
}

/** A competitor name prepared for matching. */
export interface CompetitorMatcher {
  name: string;
  needle: string;
}

/** Prepares competitor names (trimmed, lower-cased; empty and duplicate names dropped). */
export function competitorMatchers(names: readonly string[]): CompetitorMatcher[] {
  const seen = new Set<string>();
  const matchers: CompetitorMatcher[] = [];
  for (const name of names) {
    const needle = name.trim().toLowerCase();
    if (needle.length < 2 || seen.has(needle)) continue;
    seen.add(needle);
    matchers.push({ name: name.trim(), needle });
  }
  return matchers;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** The competitors a text names (whole-word, case-insensitive). `lowered` is the text lower-cased. */
export function competitorsNamed(lowered: string, matchers: readonly CompetitorMatcher[]): string[] {
  const found: string[] = [];
  for (const m of matchers) {
    let from = 0;
    for (;;) {
      const at = lowered.indexOf(m.needle, from);
      if (at < 0) break;
      const before = at > 0 ? lowered[at - 1] : " ";
      const after = at + m.needle.length < lowered.length ? lowered[at + m.needle.length] : " ";
      if (!WORD_CHAR.test(before) && !WORD_CHAR.test(after)) {
        found.push(m.name);
        break;
      }
      from = at + 1;
    }
  }
  return found;
}
