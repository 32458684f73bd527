// Acknowledging by link (email and Slack): GET shows a confirmation page and changes nothing (mail
// scanners and link previews follow links); only the page's POST acknowledges. The token is signed
// and expiring (domain/links.ts) and single-use (the delivery's link_used_at).
import { api } from "encore.dev/api";
import type { IncomingMessage, ServerResponse } from "node:http";
import log from "encore.dev/log";
import { acknowledge } from "./flows/lifecycle";
import { explanationIn } from "./flows/content";
import { readAckToken } from "./domain/links";
import { headline, storyOf } from "../shared/story";
import { linkConfig } from "./secrets";
import * as store from "./store";

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Answers with a small self-contained HTML page. */
function page(resp: ServerResponse, status: number, title: string, body: string): void {
  resp.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  });
  resp.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title></head>` +
      `<body style="font-family:sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem"><h1 style="font-size:1.3rem">${escapeHtml(title)}</h1>${body}</body></html>`,
  );
}

/** The token at the end of the path. */
function tokenOf(req: IncomingMessage): string {
  const path = new URL(req.url ?? "/", "http://local").pathname;
  return decodeURIComponent(/\/api\/v1\/alerting\/ack\/([^/]+)$/.exec(path)?.[1] ?? "");
}

/** The delivery and incident a token names, or the page already answered. */
async function resolve(req: IncomingMessage, resp: ServerResponse): Promise<{ delivery: store.Delivery; alert: store.Alert } | null> {
  const token = readAckToken(linkConfig().linkSecret, tokenOf(req), Date.now());
  if (!token.ok) {
    page(
      resp,
      token.reason === "expired" ? 410 : 404,
      token.reason === "expired" ? "This link has expired" : "This link is not valid",
      "<p>Acknowledge the incident in War Room, or reply ACK and its number to the text message.</p>",
    );
    return null;
  }
  const delivery = await store.getDelivery(token.deliveryId);
  const alert = delivery ? await store.getAlert(delivery.alertId) : null;
  if (!delivery || !alert) {
    page(resp, 404, "This incident no longer exists", "<p>It may have been removed after its retention period.</p>");
    return null;
  }
  return { delivery, alert };
}

function summary(a: store.Alert): string {
  const e = explanationIn(a.data);
  const what = e ? headline(storyOf(a.type, e)) : a.title;
  return `<p><b>#${a.ref} · ${escapeHtml(a.severity)} · ${escapeHtml(a.campaignName)}</b></p><p>${escapeHtml(what)}</p>`;
}

function stateLine(a: store.Alert): string | null {
  if (a.state === "acknowledged")
    return `Already acknowledged${a.acknowledgedName ? ` by ${a.acknowledgedName}` : ""}${a.acknowledgedAt ? ` at ${a.acknowledgedAt.toISOString().slice(11, 16)} UTC` : ""}.`;
  if (a.state === "resolved") return "Already resolved.";
  if (a.state === "false_alarm") return "Already closed as a false alarm.";
  return null;
}

// ackLinkPage shows what an acknowledgement link (email, Slack) would acknowledge, with a button; opening it changes nothing.
export const ackLinkPage = api.raw({ expose: true, method: "GET", path: "/api/v1/alerting/ack/:token" }, async (req, resp) => {
  const found = await resolve(req, resp);
  if (!found) return;
  const { alert, delivery } = found;
  const done = stateLine(alert);
  if (done) return page(resp, 200, `Incident #${alert.ref}`, `${summary(alert)}<p>${escapeHtml(done)}</p>`);
  if (delivery.linkUsedAt) return page(resp, 410, "This link was already used", summary(alert));
  page(
    resp,
    200,
    `Acknowledge incident #${alert.ref}?`,
    `${summary(alert)}<p>Acknowledging tells the team you are on it and stops escalation to the next people.</p>` +
      `<form method="post"><button type="submit" style="font-size:1.1rem;padding:.6rem 1.2rem">Acknowledge #${alert.ref}</button></form>`,
  );
});

// ackLinkConfirm acknowledges the incident of an acknowledgement link (the confirmation page's POST); each link works once.
export const ackLinkConfirm = api.raw({ expose: true, method: "POST", path: "/api/v1/alerting/ack/:token" }, async (req, resp) => {
  const found = await resolve(req, resp);
  if (!found) return;
  const { alert, delivery } = found;
  if (!(await store.useAckLink(delivery.id)))
    return page(resp, 410, "This link was already used", `${summary(alert)}${stateLine(alert) ? `<p>${escapeHtml(stateLine(alert)!)}</p>` : ""}`);
  const ack = await acknowledge(alert.id, { by: `${delivery.channel.toLowerCase()}:${delivery.recipient}`, via: "link", name: delivery.recipientName || null });
  if (!ack) return page(resp, 404, "This incident no longer exists", "");
  log.info("alerting: acknowledged by link", { alertId: alert.id, channel: delivery.channel, now: ack.acknowledgedNow });
  if (!ack.acknowledgedNow)
    return page(resp, 200, `Incident #${alert.ref}`, `${summary(ack.alert)}<p>${escapeHtml(stateLine(ack.alert) ?? "Nothing to do.")}</p>`);
  page(resp, 200, `Acknowledged #${alert.ref}`, `${summary(ack.alert)}<p>Thank you. Escalation stopped.</p>`);
});
