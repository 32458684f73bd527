// Types for the two untyped packages the sentiment scorer uses (their shapes as published).
declare module "vader-sentiment" {
  export const SentimentIntensityAnalyzer: {
    polarity_scores(text: string): { neg: number; neu: number; pos: number; compound: number };
  };
}

declare module "@nlpjs/lang-es" {
  export class StemmerEs {
    stem(word: string): string;
  }
  export class StopwordsEs {
    dictionary: Record<string, boolean>;
  }
}
