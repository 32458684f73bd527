// The competitor view: a competitor named in a campaign's monitoring config against the campaign,
// from the campaign's mentions: share of voice, sentiment gap, daily trend, loudest mentions.

/** A mention as the competitor view reads it. */
export interface CompetitorSample {
  author: string;
  platform: string;
  text: string;
  sentiment: number;
  reach: number;
  url: string;
  timestamp: Date;
}

export interface CompetitorFigures {
  competitorMentions: number;
  campaignMentions: number;
  shareOfVoice: number;
  competitorSentiment: number;
  campaignSentiment: number;
  sentimentGap: number;
  competitorReach: number;
  trend: { date: string; competitorMentions: number; campaignMentions: number }[];
  topMentions: CompetitorSample[];
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);

/** True when a mention names the competitor (case-insensitive, as monitoring's keyword filter). */
export function namesCompetitor(text: string, competitor: string): boolean {
  return text.toLowerCase().includes(competitor.toLowerCase());
}

/**
 * Figures over `days` days ending at `now`. `totalMentions` and `competitorTotal` are exact counts;
 * `sample` (the window's newest mentions) gives sentiment, trend and the top mentions.
 */
export function competitorFigures(
  competitor: string,
  sample: CompetitorSample[],
  totalMentions: number,
  competitorTotal: number,
  days: number,
  now: Date,
): CompetitorFigures {
  const theirs = sample.filter((m) => namesCompetitor(m.text, competitor));
  const ours = sample.filter((m) => !namesCompetitor(m.text, competitor));
  const trend: CompetitorFigures["trend"] = [];
  const dayMs = 86_400_000;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (let d = days - 1; d >= 0; d--) {
    const start = today - d * dayMs;
    const inDay = (m: CompetitorSample) => m.timestamp.getTime() >= start && m.timestamp.getTime() < start + dayMs;
    trend.push({
      date: new Date(start).toISOString().slice(0, 10),
      competitorMentions: theirs.filter(inDay).length,
      campaignMentions: ours.filter(inDay).length,
    });
  }
  const competitorSentiment = r3(mean(theirs.map((m) => m.sentiment)));
  const campaignSentiment = r3(mean(ours.map((m) => m.sentiment)));
  return {
    competitorMentions: competitorTotal,
    campaignMentions: Math.max(0, totalMentions - competitorTotal),
    shareOfVoice: totalMentions ? r3(competitorTotal / totalMentions) : 0,
    competitorSentiment,
    campaignSentiment,
    sentimentGap: r3(competitorSentiment - campaignSentiment),
    competitorReach: theirs.reduce((s, m) => s + m.reach, 0),
    trend,
    topMentions: [...theirs].sort((a, b) => b.reach - a.reach || b.timestamp.getTime() - a.timestamp.getTime()).slice(0, 5),
  };
}
