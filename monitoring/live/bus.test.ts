// The live bus between processes: two RedisBus instances stand for two processes sharing a Redis.
import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import type { StreamingData } from "../events";
import { RedisBus } from "./bus";
import { redisForTests } from "../../host/testing/services.ts";

const url = redisForTests("the Redis live bus");
const event = (campaignId: string, n: number): StreamingData => ({
  type: "MENTION",
  campaignId,
  timestamp: new Date(1_700_000_000_000 + n),
  data: { n },
  priority: "low",
});

describe.skipIf(!url)("the Redis live bus", () => {
  test("an event published in one process reaches the listeners of its campaign in another, once, with its Date", async () => {
    const namespace = `warroom:test-${randomBytes(4).toString("hex")}`;
    const a = new RedisBus(url!, namespace, (err) => {
      throw err;
    });
    const b = new RedisBus(url!, namespace, (err) => {
      throw err;
    });
    try {
      const gotA: StreamingData[] = [];
      const gotOther: StreamingData[] = [];
      const stopA = await a.subscribe("c1", (e) => gotA.push(e));
      const stopOther = await a.subscribe("c2", (e) => gotOther.push(e));
      await b.publish(event("c1", 1));
      await expect.poll(() => gotA.length, { message: "the event in the other process" }).toBe(1);
      expect(gotA[0]).toEqual(event("c1", 1));
      expect(gotA[0].timestamp).toBeInstanceOf(Date);
      expect(gotOther).toEqual([]);

      // Nobody listening to a campaign: nothing is sent (and nothing arrives later).
      stopA();
      await b.publish(event("c1", 2));
      await b.publish(event("c2", 3));
      await expect.poll(() => gotOther.length, { message: "the later event of the campaign still listened to" }).toBe(1);
      expect(gotA).toHaveLength(1);
      expect(a.listenerCount()).toBe(1);
      stopOther();
    } finally {
      await a.close();
      await b.close();
    }
  });
});
