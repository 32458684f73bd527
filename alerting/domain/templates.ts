// Templates per channel and severity: what each channel carries for an alert. Pure.
import type { Channel, Severity } from "./alert";
import { fitSms } from "./sms";

/** The parts of an alert a template needs. */
export interface AlertContent {
  id: string;
  type: string;
  severity: Severity;
  /** null: an ad-hoc alert of no campaign. */
  campaignId: string | null;
  title: string;
  message: string;
  createdAt: Date;
  /** For escalations: the tier being reached (1 for the first wave). */
  tier: number;
}

/** A rendered message: `text` for every channel, plus the channel's own form. */
export interface Rendered {
  /** The template's name, per channel and severity ("crisis_sms", "critical_email", ...). */
  template: string;
  subject?: string;
  text: string;
  html?: string;
  /** Slack blocks or push payload. */
  json?: Record<string, unknown>;
}

const MARK: Record<Severity, string> = { CRITICAL: "[CRITICAL]", HIGH: "[HIGH]", MEDIUM: "[MEDIUM]", LOW: "[LOW]" };
const SLACK_EMOJI: Record<Severity, string> = { CRITICAL: ":rotating_light:", HIGH: ":warning:", MEDIUM: ":large_orange_diamond:", LOW: ":information_source:" };
const COLOR: Record<Severity, string> = { CRITICAL: "#b00020", HIGH: "#e65100", MEDIUM: "#f9a825", LOW: "#1565c0" };

/** The first 8 characters of an alert id: enough to name it on a phone. */
export const shortId = (id: string) => id.slice(0, 8);

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Slack's mrkdwn escapes (&, <, >). */
function escapeSlack(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function templateName(a: AlertContent, channel: Channel): string {
  return `${a.type === "CRISIS" ? "crisis" : a.severity.toLowerCase()}_${channel.toLowerCase()}`;
}

/** The message for `channel`. SMS fits one segment of its encoding (160 GSM-7 / 70 UCS-2 units). */
export function render(a: AlertContent, channel: Channel): Rendered {
  const template = templateName(a, channel);
  const escalation = a.tier > 1 ? "ESCALATED: " : "";
  switch (channel) {
    case "SMS":
      return { template, text: fitSms(`${MARK[a.severity]} ${escalation}${a.title}. ${a.message} Ref ${shortId(a.id)}`, 1) };
    case "WHATSAPP": {
      // WhatsApp bodies go up to 1600 characters; *bold* is its markup.
      const text = `*${MARK[a.severity]} ${escalation}${a.title}*\n\n${a.message}\n\nRef ${shortId(a.id)} · ${a.createdAt.toISOString()}`;
      return { template, text: text.length > 1600 ? text.slice(0, 1599) + "…" : text };
    }
    case "EMAIL": {
      const subject = `${MARK[a.severity]} ${escalation}${a.title}`.replace(/[\r\n]+/g, " ").slice(0, 250);
      const text = `${a.title}\n\n${a.message}\n\nSeverity: ${a.severity}\nCampaign: ${a.campaignId ?? "none (ad hoc)"}\nAlert: ${a.id}\nRaised: ${a.createdAt.toISOString()}\n\nAcknowledge it in War Room to stop escalation.\n`;
      const html =
        `<div style="font-family:sans-serif"><p style="color:${COLOR[a.severity]};font-weight:bold">${escapeHtml(MARK[a.severity] + " " + escalation + a.title)}</p>` +
        `<p>${escapeHtml(a.message)}</p><p style="color:#555;font-size:12px">Severity ${a.severity} · campaign ${escapeHtml(a.campaignId ?? "none (ad hoc)")} · alert ${escapeHtml(a.id)} · ${a.createdAt.toISOString()}</p>` +
        `<p>Acknowledge it in War Room to stop escalation.</p></div>`;
      return { template, subject, text, html };
    }
    case "SLACK": {
      const text = `${SLACK_EMOJI[a.severity]} ${MARK[a.severity]} ${escalation}${escapeSlack(a.title)}`;
      return {
        template,
        text,
        json: {
          text,
          blocks: [
            { type: "header", text: { type: "plain_text", text: `${MARK[a.severity]} ${escalation}${a.title}`.slice(0, 150) } },
            { type: "section", text: { type: "mrkdwn", text: escapeSlack(a.message).slice(0, 3000) } },
            { type: "context", elements: [{ type: "mrkdwn", text: `alert \`${a.id}\` · campaign \`${a.campaignId ?? "none (ad hoc)"}\` · ${a.createdAt.toISOString()}` }] },
          ],
        },
      };
    }
    case "PUSH":
      return {
        template,
        text: `${escalation}${a.title}`,
        json: { alertId: a.id, campaignId: a.campaignId, type: a.type, severity: a.severity, title: `${escalation}${a.title}`.slice(0, 200), body: a.message.slice(0, 1000), timestamp: a.createdAt.toISOString() },
      };
  }
}
