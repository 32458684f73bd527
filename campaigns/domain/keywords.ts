// Campaign keywords (the seed's campaign_keywords): what monitoring listens for, each with a weight. Pure.

/** At most this many keywords per campaign: the pollers send them all to the provider on every poll. */
export const MAX_KEYWORDS = 200;
export const KEYWORD_MAX_LEN = 255;
/** Weights are stored as DECIMAL(3,2): 0.01 to 9.99, to the hundredth. 1.0 is the default. */
export const WEIGHT_MIN = 0.01;
export const WEIGHT_MAX = 9.99;
export const DEFAULT_WEIGHT = 1;

/** A keyword as a user gives it. */
export interface KeywordInput {
  keyword: string;
  weight?: number;
}

/** A keyword ready to store. */
export interface CleanKeyword {
  keyword: string;
  weight: number;
}

/** The identity of a keyword within a campaign: case and inner spacing do not make a new one. */
export function keywordKey(keyword: string): string {
  return keyword.trim().replace(/\s+/g, " ").toLowerCase();
}

/** The keywords cleaned (trimmed, spaces collapsed, weights rounded to the hundredth), or why they are not valid. */
export function normalizeKeywords(inputs: KeywordInput[]): { ok: true; keywords: CleanKeyword[] } | { ok: false; message: string } {
  if (inputs.length === 0) return { ok: false, message: "give at least one keyword" };
  const seen = new Set<string>();
  const keywords: CleanKeyword[] = [];
  for (const [i, input] of inputs.entries()) {
    const keyword = input.keyword.trim().replace(/\s+/g, " ");
    if (keyword === "") return { ok: false, message: `keywords[${i}]: a keyword cannot be empty` };
    if ([...keyword].length > KEYWORD_MAX_LEN) return { ok: false, message: `keywords[${i}]: a keyword is at most ${KEYWORD_MAX_LEN} characters` };
    const key = keywordKey(keyword);
    if (seen.has(key)) return { ok: false, message: `keywords[${i}]: "${keyword}" is given twice` };
    seen.add(key);
    const raw = input.weight ?? DEFAULT_WEIGHT;
    const weight = Math.round(raw * 100) / 100;
    if (!Number.isFinite(raw) || weight < WEIGHT_MIN || weight > WEIGHT_MAX) {
      return { ok: false, message: `keywords[${i}]: weight must be between ${WEIGHT_MIN} and ${WEIGHT_MAX}` };
    }
    keywords.push({ keyword, weight });
  }
  return { ok: true, keywords };
}
