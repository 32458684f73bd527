// A fake Twilio speaking the Messages API (2010-04-01): POST /2010-04-01/Accounts/{Sid}/Messages.json,
// form-encoded with HTTP basic auth, answering 201 with a Message resource; Twilio's error bodies
// ({code, message, more_info, status}) for bad auth and bad numbers. It can post signed status
// callbacks (X-Twilio-Signature) to the StatusCallback URL of a message, as Twilio does.
import { randomBytes } from "node:crypto";
import twilio from "twilio";
import { json, startFake, type FakeServer } from "./provider-faults";

/** A message the fake accepted. */
export interface FakeTwilioMessage {
  sid: string;
  to: string;
  from: string;
  body: string;
  statusCallback: string | null;
  receivedAt: number;
}

/** The fake Twilio and what it received. */
export interface FakeTwilio extends FakeServer {
  accountSid: string;
  authToken: string;
  messages: FakeTwilioMessage[];
  /** Posts a signed status callback for a message, as Twilio would; returns the HTTP status our endpoint answered. */
  deliverStatus(sid: string, status: string, opts?: { signWith?: string; errorCode?: string }): Promise<number>;
}

const E164 = /^(whatsapp:)?\+[1-9]\d{6,14}$/;

/** Starts a fake Twilio for the given account. */
export async function startFakeTwilio(accountSid = `AC${randomBytes(16).toString("hex")}`, authToken = randomBytes(16).toString("hex")): Promise<FakeTwilio> {
  const messages: FakeTwilioMessage[] = [];
  const error = (status: number, code: number, message: string) => ({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
  const resource = (msg: FakeTwilioMessage) => {
    const created = new Date(msg.receivedAt).toUTCString();
    return {
      account_sid: accountSid,
      api_version: "2010-04-01",
      body: msg.body,
      date_created: created,
      date_sent: null,
      date_updated: created,
      direction: "outbound-api",
      error_code: null,
      error_message: null,
      from: msg.from,
      messaging_service_sid: null,
      num_media: "0",
      num_segments: String(Math.max(1, Math.ceil(msg.body.length / 160))),
      price: null,
      price_unit: "USD",
      sid: msg.sid,
      status: "queued",
      subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${msg.sid}/Media.json` },
      to: msg.to,
      uri: `/2010-04-01/Accounts/${accountSid}/Messages/${msg.sid}.json`,
    };
  };
  // The list (GET Messages.json): filtered by To and From, newest first, one page of PageSize (default 50).
  const list = (q: URLSearchParams) => {
    const size = Math.min(1000, Number(q.get("PageSize") ?? 50) || 50);
    const hits = messages.filter((x) => (!q.has("To") || x.to === q.get("To")) && (!q.has("From") || x.from === q.get("From"))).reverse();
    const uri = `/2010-04-01/Accounts/${accountSid}/Messages.json?PageSize=${size}&Page=0`;
    return {
      messages: hits.slice(0, size).map(resource),
      page: 0,
      page_size: size,
      start: 0,
      end: Math.min(size, hits.length) - 1,
      uri,
      first_page_uri: uri,
      next_page_uri: null,
      previous_page_uri: null,
    };
  };
  const fake = await startFake((req, res) => {
    const m = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.path);
    if (!m || (req.method !== "POST" && req.method !== "GET")) return json(res, 404, error(404, 20404, "The requested resource was not found"));
    const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`;
    if (m[1] !== accountSid || req.headers.authorization !== expected) return json(res, 401, error(401, 20003, "Authenticate"));
    if (req.method === "GET") return json(res, 200, list(req.query));
    const form = new URLSearchParams(req.body);
    const to = form.get("To") ?? "";
    const from = form.get("From") ?? "";
    const body = form.get("Body") ?? "";
    if (!E164.test(to)) return json(res, 400, error(400, 21211, `The 'To' number ${to} is not a valid phone number.`));
    if (!from) return json(res, 400, error(400, 21603, "The 'From' phone number is required."));
    if (!body) return json(res, 400, error(400, 21602, "Message body is required."));
    const sid = `SM${randomBytes(16).toString("hex")}`;
    const msg = { sid, to, from, body, statusCallback: form.get("StatusCallback"), receivedAt: Date.now() };
    messages.push(msg);
    json(res, 201, resource(msg));
  });
  return {
    ...fake,
    accountSid,
    authToken,
    messages,
    async deliverStatus(sid, status, opts = {}) {
      const msg = messages.find((x) => x.sid === sid);
      if (!msg?.statusCallback) throw new Error(`no status callback for ${sid}`);
      const params: Record<string, string> = {
        AccountSid: accountSid,
        ApiVersion: "2010-04-01",
        From: msg.from,
        MessageSid: sid,
        SmsSid: sid,
        MessageStatus: status,
        SmsStatus: status,
        To: msg.to,
      };
      if (opts.errorCode) params.ErrorCode = opts.errorCode;
      const signature = twilio.getExpectedTwilioSignature(opts.signWith ?? authToken, msg.statusCallback, params);
      const res = await fetch(msg.statusCallback, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-twilio-signature": signature,
          "i-twilio-idempotency-token": randomBytes(8).toString("hex"),
        },
        body: new URLSearchParams(params).toString(),
      });
      await res.text();
      return res.status;
    },
  };
}
