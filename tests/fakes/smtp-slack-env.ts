// The third parties alerting reaches, started before any app module is imported (import this file
// first: secrets are read when the app's modules load): an SMTP sink, a Slack webhook, a push
// webhook and Twilio (behind integrations), with fast retry settings.
import { startFake, json, type FakeServer } from "./provider-faults";
import { startSmtpSink, type SmtpSink } from "./smtp";
import { startFakeSlack, type FakeSlack } from "./slack";
import { startFakeTwilio, type FakeTwilio } from "./twilio";

/** A push webhook receiver: records JSON posts, answers {id}. */
export interface FakePush extends FakeServer {
  notifications: Record<string, unknown>[];
}

async function startFakePush(): Promise<FakePush> {
  const notifications: Record<string, unknown>[] = [];
  const fake = await startFake((req, res) => {
    if (req.method !== "POST") return json(res, 405, { error: "POST only" });
    const body = JSON.parse(req.body) as Record<string, unknown>;
    notifications.push({ ...body, idempotencyKey: req.headers["idempotency-key"] });
    json(res, 202, { id: `push-${notifications.length}` });
  });
  return { ...fake, notifications };
}

export const smtp: SmtpSink = await startSmtpSink();
export const slack: FakeSlack = await startFakeSlack();
export const push: FakePush = await startFakePush();
export const twilio: FakeTwilio = await startFakeTwilio();

Object.assign(process.env, {
  SMTP_URL: smtp.url,
  ALERT_EMAIL_FROM: "War Room Alerts <alerts@warroom.test>",
  SLACK_WEBHOOK_URL: slack.webhookUrl,
  PUSH_WEBHOOK_URL: `${push.url}/notify`,
  TWILIO_SID: twilio.accountSid,
  TWILIO_TOKEN: twilio.authToken,
  TWILIO_FROM: "+14155550199",
  TWILIO_WHATSAPP_FROM: "+14155238886",
  TWILIO_BASE_URL: twilio.url,
  ALERT_RETRY_BASE_MS: "50",
  ALERT_MAX_ATTEMPTS: "3",
  ALERT_SWEEP_GRACE_SECONDS: "0",
  ALERT_ESCALATION_DELAY_SECONDS: "0",
});

/** Stops every fake. */
export async function closeFakes(): Promise<void> {
  await Promise.all([smtp.close(), slack.close(), push.close(), twilio.close()]);
}
