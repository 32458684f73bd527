// A live stream session on the in-process bus, with a fake sink: heartbeats, live events, frames,
// and the three ways a session ends (the client leaves or is cut off, or loses access).
import { describe, expect, test } from "vitest";
import type { MentionBatchData, StreamingData } from "../events";
import { MemoryBus } from "./bus";
import type { LiveEvent } from "../model";
import { MAX_FRAME_BYTES, frames, serveSession } from "./session";

const CAMPAIGN = "11111111-1111-4111-8111-111111111111";

function batch(count: number, textLength: number): StreamingData {
  const mentions = Array.from({ length: count }, (_, i) => ({
    mentionId: `m-${i}`,
    id: `s-${i}`,
    text: "x".repeat(textLength),
    author: "a",
    platform: "twitter",
    url: "",
    sentiment: 0,
    sentimentSource: "source" as const,
    reach: 1,
    engagement: 1,
    timestamp: "2026-11-03T12:00:00.000Z",
  }));
  return { type: "MENTION", campaignId: CAMPAIGN, timestamp: new Date(), data: { kind: "mentions", batchId: "b-1", mentions }, priority: "low" };
}

describe("frames", () => {
  test("a heavy batch goes out in parts under the frame limit, every mention once, in order", () => {
    const event = batch(1000, 1000);
    const parts = frames(event);
    expect(parts.length).toBeGreaterThan(4);
    for (const [i, p] of parts.entries()) {
      expect(JSON.stringify(p).length).toBeLessThan(MAX_FRAME_BYTES);
      expect(p.data).toMatchObject({ kind: "mentions", batchId: "b-1", part: i + 1, parts: parts.length });
    }
    const ids = (e: { data: unknown }) => (e.data as MentionBatchData).mentions.map((m) => m.id);
    expect(parts.flatMap(ids)).toEqual(ids(event));
    expect(frames(event)).toBe(parts); // split once, shared by every session
  });

  test("small batches and other events go out as they are", () => {
    const small = batch(10, 100);
    expect(frames(small)).toEqual([small]);
    const crisis: StreamingData = { type: "CRISIS", campaignId: CAMPAIGN, timestamp: new Date(), data: { kind: "alert" }, priority: "high" };
    expect(frames(crisis)).toEqual([crisis]);
  });
});

describe("a session", () => {
  test("beats at once and on every interval, relays its campaign's events, and ends when a send fails", async () => {
    const bus = new MemoryBus();
    const sent: LiveEvent[] = [];
    let gone = false;
    const session = serveSession({
      bus,
      campaignId: CAMPAIGN,
      heartbeatMs: 20,
      allowed: async () => true,
      send: (e) => {
        if (gone) throw new Error("stream closed");
        sent.push(e);
      },
    });
    await expect.poll(() => sent.filter((e) => e.type === "HEARTBEAT").length, { message: "two heartbeats" }).toBeGreaterThanOrEqual(2);
    await bus.publish(batch(3, 10));
    await bus.publish({ ...batch(1, 10), campaignId: "another-campaign" });
    expect(sent.filter((e) => e.type === "MENTION")).toHaveLength(1);
    expect(bus.listenerCount()).toBe(1);
    gone = true;
    await session; // the next heartbeat's send throws: the session ends and stops listening
    expect(bus.listenerCount()).toBe(0);
  });

  test("ends when the caller may no longer see the campaign", async () => {
    const bus = new MemoryBus();
    let allowed = true;
    const session = serveSession({ bus, campaignId: CAMPAIGN, heartbeatMs: 10, allowed: async () => allowed, send: () => {} });
    await expect.poll(() => bus.listenerCount(), { message: "listening" }).toBe(1);
    allowed = false;
    await session;
    expect(bus.listenerCount()).toBe(0);
  });
});
