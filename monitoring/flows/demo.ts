// The demo feed (docs/architecture.md, "External providers"; started by startup.ts): without
// Mentionlytics credentials, and unless WARROOM_DEMO=off, the simulator (domain/simulator.ts) feeds a
// demo campaign through the same internal ingest the pollers use, every couple of seconds, so `npm start` shows a live war room: mentions on the stream,
// sentiment moving, a scandal 12 minutes in that the detector turns into a CRISIS, its escalation
// and its resolution.
//
// One process feeds at a time (a lease in monitoring's database, renewed every tick; a process that
// dies loses it within seconds and another takes over where it stopped). The simulator is
// deterministic in the feed's start time, so a tick repeated by a new leader re-sends the same
// mentions with the same ids, which the ingest stores once. After a long stop the feed resumes at
// most CATCH_UP_MINUTES back (a restart does not replay a weekend).
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import log from "encore.dev/log";
import { campaigns, monitoring } from "~encore/clients";
import { saveConfig } from "./configs";
import { DEFAULT_THRESHOLDS } from "../domain/types";
import * as store from "../store";
import { DEMO_CANDIDATE, DEMO_COMPETITOR, DEMO_KEYWORDS, DEMO_PLATFORMS, defaultScenario, demoMentions } from "../domain/simulator";

const TICK_MS = 2_000;
const LEASE_SECONDS = 10;
const CATCH_UP_MINUTES = 10;
const ACTOR = "system:demo-feed";
const BATCH = 1000;

const leader = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
let started = false;
let running = false;
let announced: string | null = null;
let lastError = 0;

/** Starts the feed's ticks in this process (once). */
export function startDemoFeed(): void {
  if (started) return;
  started = true;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    tick()
      .catch((err: unknown) => {
        // The database may still be starting; say so at most once a minute.
        if (Date.now() - lastError > 60_000) {
          lastError = Date.now();
          log.warn("demo feed: a tick failed (retrying)", { error: err instanceof Error ? err.message : String(err) });
        }
      })
      .finally(() => (running = false));
  }, TICK_MS);
  timer.unref();
}

async function campaignExists(campaignId: string): Promise<boolean> {
  return (await campaigns.getCampaignAccess({ campaignId, userID: "" })).exists;
}

/** Creates the demo campaign and its monitoring configuration. */
async function createDemoCampaign(): Promise<string> {
  const now = new Date();
  const campaign = await campaigns.createServiceCampaign({
    createdBy: ACTOR,
    activate: true,
    campaign: {
      name: `War Room demo: ${DEMO_CANDIDATE} for Ohio`,
      description: "A simulated campaign fed by the demo feed (WARROOM_DEMO=off disables it). Nothing here is real.",
      startDate: new Date(now.getTime() - 86_400_000),
      endDate: new Date(now.getTime() + 365 * 86_400_000),
      budget: 250_000,
      targetAudience: {
        demographics: { ageRange: { min: 18, max: 80 }, gender: ["all"], income: "all", education: "all" },
        interests: ["jobs", "healthcare", "schools"],
        locations: ["Ohio"],
        platforms: ["facebook", "instagram", "twitter", "tiktok", "google"],
      },
    },
  });
  await saveConfig(ACTOR, {
    campaignId: campaign.id,
    keywords: DEMO_KEYWORDS,
    competitors: [DEMO_COMPETITOR],
    influencers: ["@OhioPolitics", "@BuckeyeBrief"],
    platforms: DEMO_PLATFORMS,
    alertThresholds: DEFAULT_THRESHOLDS,
    refreshInterval: 60,
  });
  return campaign.id;
}

async function tick(): Promise<void> {
  let feed = await store.claimDemoLease(leader, LEASE_SECONDS);
  if (!feed) return; // another process feeds
  if (!feed.campaignId || !(await campaignExists(feed.campaignId))) {
    const campaignId = await createDemoCampaign();
    await store.setDemoCampaign(leader, campaignId, new Date());
    feed = await store.claimDemoLease(leader, LEASE_SECONDS);
    if (!feed?.campaignId) return;
  }
  if (announced !== feed.campaignId) {
    announced = feed.campaignId;
    log.info(
      `demo feed: live mentions for campaign ${feed.campaignId}. Sign in as the admin, then watch ` +
        `ws://<host>/ws/campaigns/${feed.campaignId}/stream?token=<accessToken> (subprotocol encore-ws); WARROOM_DEMO=off disables the feed`,
    );
  }
  const now = Date.now();
  const scenario = defaultScenario(feed.startedAt.getTime());
  const from = Math.max(feed.fedUntil?.getTime() ?? feed.startedAt.getTime(), now - CATCH_UP_MINUTES * 60_000);
  const mentions = demoMentions(scenario, from, now);
  for (let i = 0; i < mentions.length; i += BATCH) {
    await monitoring.ingestBatch({ campaignId: feed.campaignId, mentions: mentions.slice(i, i + BATCH) });
  }
  await store.setDemoProgress(leader, new Date(now));
}
