// The generated TypeScript client against War Room itself, over HTTP and WebSocket: sign in,
// create a campaign, open its live stream, ingest a mention and see it arrive. A drift between the
// server and the client (a renamed field, a moved parameter) fails here.
import { beforeAll, describe, expect, test } from "vitest";
import path from "node:path";
import { mkdirSync, writeFileSync } from "node:fs";
import WebSocket from "ws";
import { appMeta } from "../host/testing/meta.ts";
import { generateClient } from "../host/codegen/client.ts";
import { useFixture } from "../host/testing/use-fixture.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const OUT = path.join(ROOT, "encore.gen", "client-e2e.ts");
const ADMIN = { email: "client@campaign.example", password: "client-password-1" };
const app = useFixture(ROOT, {
  JWT_SECRET: "client-end-to-end-secret-0123456789abcdef",
  BCRYPT_COST: "4",
  WARROOM_ADMIN_EMAIL: ADMIN.email,
  WARROOM_ADMIN_PASSWORD: ADMIN.password,
  WARROOM_CRON: "off",
  WARROOM_DEMO: "off",
});

let Client: any;

beforeAll(async () => {
  mkdirSync(path.dirname(OUT), { recursive: true });
  writeFileSync(OUT, generateClient(appMeta(ROOT)));
  Client = (await import(OUT)).default;
});

describe("the generated client against War Room", () => {
  test("login, create a campaign, open its stream and receive a mention", async () => {
    const anonymous = new Client(app.server.url);
    const session = await anonymous.auth.login({ email: ADMIN.email, password: ADMIN.password });
    expect(session.user.role).toBe("admin");
    const client = new Client(app.server.url, { auth: session.accessToken, WebSocket });
    const campaign = await client.campaigns.createCampaign({
      name: "Client e2e",
      description: "driven by the generated client",
      startDate: "2026-01-01T00:00:00Z",
      endDate: "2026-12-31T00:00:00Z",
      budget: 5000,
      targetAudience: {
        demographics: { ageRange: { min: 18, max: 65 }, gender: ["all"], income: "any", education: "any" },
        interests: ["policy"],
        locations: ["Springfield"],
        platforms: ["twitter"],
      },
    });
    expect(campaign.status).toBe("draft");
    const stream = await client.monitoring.campaignStream({ campaignId: campaign.id });
    const first = await stream.recv();
    expect(first.type).toBe("HEARTBEAT");
    const ingest = await client.monitoring.ingestMentions({
      campaignId: campaign.id,
      mentions: [
        {
          id: "client-e2e-1",
          text: "Great town hall tonight",
          author: "voter",
          platform: "twitter",
          url: "",
          reach: 100,
          engagement: 3,
          timestamp: new Date().toISOString(),
        },
      ],
    });
    expect(ingest).toEqual({ accepted: 1, duplicates: 0 });
    let event = await stream.recv();
    while (event.type === "HEARTBEAT") event = await stream.recv();
    expect(event.type).toBe("MENTION");
    expect(JSON.stringify(event.data)).toContain("client-e2e-1");
    stream.close();
    const err = await anonymous.campaigns.getCampaignById({ id: campaign.id }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401, code: "unauthenticated" });
  });
});
