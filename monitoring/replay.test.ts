// Issue 20 point 8 through the service: the reference scandal and the positive viral burst, sent to
// POST /api/v1/monitoring/ingest after they happened (a day of calm, the story, 40 minutes after it,
// in batches of 300 to 1000, the story ending at several offsets before now: other hours of day, other
// seconds of the minute), go through the data stream and the detector subscription (batches of one
// campaign may be processed out of order), then the detector clock ticks: every run must give the
// same crisis records (type and severity). monitoring/domain/replay.test.ts covers every case, many
// more offsets and batchings on the pure detector.
import "../tests/fakes/auth-secrets";
import { beforeAll, describe, expect, test } from "vitest";
import { auth, campaigns, monitoring } from "~encore/clients";
import { as, campaignRequest, type Profile } from "../tests/inproc";
import { db } from "./db";
import "./subscriptions";
import { buildCase, mentionsAt, verdictOf, type CaseName } from "./testdata/cases";

type Mention = Parameters<typeof monitoring.ingestMentions>[0]["mentions"][number];
const MINUTE = 60_000;

let admin: Profile;
let run = 0;

beforeAll(async () => {
  admin = (await auth.register({ email: "replay-admin@example.org", password: "password-for-tests", name: "Admin" })).user;
});

/** Replays a case through the API (its last minute ending `offsetMs` before now, in batches of `batchSize`); answers the verdict of its crisis records. */
async function replayThroughApi(name: CaseName, offsetMs: number, batchSize: number): Promise<string> {
  const c = buildCase(name);
  const campaign = await campaigns.createCampaign(campaignRequest({ name: `Replay ${++run}` }), as(admin));
  const shift = Date.now() - offsetMs - (c.start + c.minutes * MINUTE);
  const mentions: Mention[] = [];
  for (let minute = 0; minute < c.minutes; minute++) {
    for (const m of mentionsAt(c, minute)) {
      mentions.push({
        id: `${run}-${m.id}`,
        text: m.text,
        author: m.author ?? "",
        platform: m.platform,
        url: "",
        sentiment: m.sentiment,
        reach: m.reach,
        engagement: m.engagement,
        timestamp: new Date(+m.timestamp + shift),
        language: "en",
      });
    }
  }
  let batches = 0;
  for (let i = 0; i < mentions.length; i += batchSize, batches++) {
    await monitoring.ingestMentions({ campaignId: campaign.id, mentions: mentions.slice(i, i + batchSize) }, as(admin));
  }
  // Every batch fed to the detector (it records their ids), then the clock.
  await expect
    .poll(async () => (await db.queryRow<{ n: number }>`SELECT count(*)::int AS n FROM detector_batches WHERE campaign_id = ${campaign.id}::uuid`)!.n, {
      timeout: 60_000,
      interval: 200,
    })
    .toBe(batches);
  await monitoring.advanceDetectors();
  const { crises } = await monitoring.getCrises({ campaignId: campaign.id }, as(admin));
  return verdictOf(crises.map((r) => ({ alert: { type: r.type, severity: String(r.severity).toUpperCase() } })));
}

describe("the same story through the API gets the same verdict whenever it happened", () => {
  // Offsets before now (the story's last 40 minutes are calm) and batch sizes: 0 in 1000s, 17 min 13 s
  // in 300s, 43 min 31 s in 500s (the scandal in 300s was a SENTIMENT before issue 20 point 8).
  const runs = [
    [0, 1000],
    [17 * MINUTE + 13_000, 300],
    [43 * MINUTE + 31_000, 500],
  ] as const;

  test.each([
    ["scandal", /^CRISIS\/(HIGH|CRITICAL)$/],
    ["positive-viral", /^MENTION_SPIKE\//],
  ] as const)(
    "%s",
    async (name, expected) => {
      const verdicts: string[] = [];
      for (const [offset, batchSize] of runs) verdicts.push(await replayThroughApi(name, offset, batchSize));
      expect(verdicts[0]).toMatch(expected);
      expect(verdicts).toEqual(runs.map(() => verdicts[0]));
    },
    180_000,
  );
});
