// A fake Slack incoming webhook: POST /services/T…/B…/secret with a JSON payload (text, blocks,
// channel), answering 200 "ok" as Slack does, 400 "invalid_payload" without text or blocks, 404
// "no_service" on other paths. Faults (5xx, 429, hangs) come from provider-faults.
import { startFake, type FakeServer } from "./provider-faults";

/** A message the fake accepted. */
export interface FakeSlackMessage {
  channel: string | null;
  text: string;
  blocks: unknown[];
  receivedAt: number;
}

/** The fake webhook: `webhookUrl` is what SLACK_WEBHOOK_URL points at. */
export interface FakeSlack extends FakeServer {
  webhookUrl: string;
  messages: FakeSlackMessage[];
}

const HOOK = "/services/T0WARROOM/B0ALERTS/fakesecret0123456789";

export async function startFakeSlack(): Promise<FakeSlack> {
  const messages: FakeSlackMessage[] = [];
  const fake = await startFake((req, res) => {
    const text = (status: number, body: string): void => void res.writeHead(status, { "content-type": "text/plain; charset=utf-8" }).end(body);
    if (req.method !== "POST" || req.path !== HOOK) return text(404, "no_service");
    let payload: { text?: unknown; blocks?: unknown; channel?: unknown };
    try {
      payload = JSON.parse(req.body);
    } catch {
      return text(400, "invalid_payload");
    }
    if (typeof payload.text !== "string" && !Array.isArray(payload.blocks)) return text(400, "no_text");
    messages.push({
      channel: typeof payload.channel === "string" ? payload.channel : null,
      text: String(payload.text ?? ""),
      blocks: Array.isArray(payload.blocks) ? payload.blocks : [],
      receivedAt: Date.now(),
    });
    text(200, "ok");
  });
  return { ...fake, webhookUrl: fake.url + HOOK, messages };
}
