// Issue 20 point 8 through the service: the reference scandal and the positive viral burst, sent to
// POST /api/v1/monitoring/ingest after they happened (a day of calm, the story, 40 minutes after it,
// in batches of 1000, the story ending at several offsets before now: other hours of day, other
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
import { buildCase, mentionsAt, verdictOf, type CaseName } from "./domain/cases";

type Mention = Parameters<typeof monitoring.ingestMentions>[0]["mentions"][number];
const MINUTE = 60_000;
const BATCH = 1000;

let admin: Profile;
let run = 0;

beforeAll(async () => {
  admin = (await auth.register({ email: "replay-admin@example.org", password: "password-for-tests", name: "Admin" })).user;
});

/** Replays a case through the API with its last minute ending `offsetMs` before now; answers the verdict of its crisis records. */
async function replayThroughApi(name: CaseName, offsetMs: number): Promise<string> {
  const c = buildCase(name);
  const campaign = await campaigns.createCampaign(campaignRequest({ name: `Replay ${++run}` }), as(admin));
  const shift = Date.now() - offsetMs - (c.start + c.minutes * MINUTE);
  const mentions: Mention[] = [];
  for (let minute = 0; minute < c.minutes; minute++) {
    for (const m of mentionsAt(c, minute)) {
      mentions.push({
        id: `${run}-${m.id}`, text: m.text, author: m.author ?? "", platform: m.platform, url: "", sentiment: m.sentiment, reach: m.reach,
        engagement: m.engagement, timestamp: new Date(+m.timestamp + shift), language: "en",
      });
    }
  }
  let batches = 0;
  for (let i = 0; i < mentions.length; i += BATCH, batches++) {
    await monitoring.ingestMentions({ campaignId: campaign.id, mentions: mentions.slice(i, i + BATCH) }, as(admin));
  }
  // Every batch fed to the detector (it records their ids), then the clock.
  await expect
    .poll(async () => (await db.queryRow<{ n: number }>`SELECT count(*)::int AS n FROM detector_batches WHERE campaign_id = ${campaign.id}::uuid`)!.n, { timeout: 60_000, interval: 200 })
    .toBe(batches);
  await monitoring.advanceDetectors();
  const { crises } = await monitoring.getCrises({ campaignId: campaign.id }, as(admin));
  return verdictOf(crises.map((r) => ({ alert: { type: r.type, severity: String(r.severity).toUpperCase() } })));
}

describe("the same story through the API gets the same verdict whenever it happened", () => {
  // Offsets before now: on the minute, 17 min 13 s, 43 min 31 s (the story's last 40 minutes are calm).
  const offsets = [0, 17 * MINUTE + 13_000, 43 * MINUTE + 31_000];

  test.each([
    ["scandal", /^CRISIS\/(HIGH|CRITICAL)$/],
    ["positive-viral", /^MENTION_SPIKE\//],
  ] as const)("%s", async (name, expected) => {
    const verdicts: string[] = [];
    for (const offset of offsets) verdicts.push(await replayThroughApi(name, offset));
    expect(verdicts[0]).toMatch(expected);
    expect(verdicts).toEqual(offsets.map(() => verdicts[0]));
  }, 180_000);
});
