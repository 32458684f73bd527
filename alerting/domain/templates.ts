// What each channel carries for an incident. Pure. The words come from the story (story.ts), so a
// figure reads the same in the SMS, the email, Slack and the incident's title.
//
// SMS and WhatsApp: GSM-7 characters only (anything else is transliterated: one "×" would make the
// whole message UCS-2, 70 characters a segment), at most two segments, and what a person needs to
// act from a lock screen (severity, reference, campaign, what happened, reach, "Reply ACK <ref>")
// within the first 153 septets, so it is in the first segment however the message is split.
// Email and Slack tell the whole story; statistics (z, p) only in their details footer.
import type { AlertType, Channel, Severity } from "./alert";
import { clipSeptets, septets, smsSegments, toGsm7 } from "./sms";
import { compactNumber, headline, storySentence, type Story } from "../../shared/story";

/** The parts of an incident a template needs. */
export interface AlertContent {
  id: string;
  /** The short reference people reply with ("ACK 4821"). */
  ref: number;
  type: AlertType;
  severity: Severity;
  campaignId: string;
  campaignName: string;
  title: string;
  message: string;
  createdAt: Date;
  /** For escalations: the tier being reached (1 for the first wave). */
  tier: number;
  /** A page sent again because the incident's severity rose. */
  update: boolean;
  /** The story from the detector's explanation; null for alerts raised without one. */
  story: Story | null;
  /** The incident on the dashboard (WARROOM_DASHBOARD_URL), when configured. */
  incidentUrl: string | null;
  /** This recipient's signed acknowledgement link (email, Slack), when configured. */
  ackUrl: string | null;
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

const SLACK_EMOJI: Record<Severity, string> = {
  CRITICAL: ":rotating_light:",
  HIGH: ":warning:",
  MEDIUM: ":large_orange_diamond:",
  LOW: ":information_source:",
};
const COLOR: Record<Severity, string> = { CRITICAL: "#b00020", HIGH: "#e65100", MEDIUM: "#f9a825", LOW: "#1565c0" };

/** The SMS budget: the first segment of a split message holds 153 septets; two segments at most. */
const FIRST_PART = 153;
const MAX_SEGMENTS = 2;

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Slack's mrkdwn escapes (&, <, >). */
function escapeSlack(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** One line: control characters and line breaks become spaces. */
export function oneLine(s: string): string {
  return s
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function templateName(a: AlertContent, channel: Channel): string {
  return `${a.type === "CRISIS" ? "crisis" : a.severity.toLowerCase()}_${channel.toLowerCase()}`;
}

/** "UPDATE CRITICAL #4821", "ESCALATED HIGH #4822". */
function marker(a: AlertContent): string {
  return `${a.update ? "UPDATE " : ""}${a.tier > 1 ? "ESCALATED " : ""}${a.severity} #${a.ref}`;
}

/** The story's headline, or the alert's own title when it has no story. */
function headlineOf(a: AlertContent): string {
  return oneLine(a.story ? headline(a.story) : a.title);
}

/** What happened in one sentence. */
function sentenceOf(a: AlertContent): string {
  return a.story ? storySentence(oneLine(a.campaignName), a.severity, a.story) : `${a.severity}: ${oneLine(a.title)} (${oneLine(a.campaignName)}).`;
}

/** `text` plus "\n" + `extra` (clipped to fit when `clip`), if the whole stays within two segments; else `text`. */
function appendWithin(text: string, extra: string, clip: boolean): string {
  const whole = `${text}\n${extra}`;
  if (smsSegments(whole).segments <= MAX_SEGMENTS) return whole;
  if (!clip) return text;
  // Two segments of 153; extension characters may not straddle, so leave a margin of one.
  let room = FIRST_PART * MAX_SEGMENTS - septets(text) - 2;
  while (room > 10) {
    const candidate = `${text}\n${clipSeptets(extra, room)}`;
    if (smsSegments(candidate).segments <= MAX_SEGMENTS) return candidate;
    room -= 2;
  }
  return text;
}

/** The SMS and WhatsApp text (GSM-7, ≤ 2 segments, the essentials in the first 153 septets). */
export function smsText(a: AlertContent): string {
  const mark = toGsm7(marker(a));
  const reach = a.story ? `Reach ${compactNumber(a.story.reach)}. ` : "";
  const ack = `Reply ACK ${a.ref}`;
  const head = toGsm7(headlineOf(a));
  // The campaign's name takes at most 40 septets, fewer when the headline needs the room.
  const fullName = toGsm7(oneLine(a.campaignName)) || "campaign";
  const fixed = septets(`${mark} \n\n${reach}${ack}`);
  let name = clipSeptets(fullName, Math.min(40, FIRST_PART - fixed - 30));
  const headRoom = FIRST_PART - fixed - septets(name);
  if (septets(head) > headRoom) name = clipSeptets(fullName, Math.min(septets(name), 24));
  const first = `${mark} ${name}\n${clipSeptets(head, FIRST_PART - fixed - septets(name))}\n${reach}${ack}`;
  let text = first;
  if (a.incidentUrl) text = appendWithin(text, toGsm7(a.incidentUrl), false);
  if (a.story) {
    if (a.story.terms.length) text = appendWithin(text, toGsm7(`About: ${a.story.terms.slice(0, 4).join(", ")}`), true);
    if (a.story.platforms.length) text = appendWithin(text, toGsm7(`On ${a.story.platforms.slice(0, 3).join(", ")}`), true);
  } else if (oneLine(a.message) && oneLine(a.message) !== oneLine(a.title)) {
    text = appendWithin(text, toGsm7(oneLine(a.message)), true);
  }
  return text;
}

/** A post in one line: who, where, how far, what. */
function postLine(p: Story["posts"][number]): string {
  const who = p.author ? oneLine(p.author) : "unknown author";
  const text = oneLine(p.text);
  return `${who} on ${oneLine(p.platform)}, reach ${compactNumber(p.reach)}: "${text.length > 200 ? `${text.slice(0, 199)}…` : text}"`;
}

/** The email's plain text and HTML. */
function email(a: AlertContent): { subject: string; text: string; html: string } {
  const name = oneLine(a.campaignName);
  const subject = `[${marker(a)}] ${name}: ${headlineOf(a)}`.slice(0, 250);
  const s = a.story;
  const figures = s ? [...s.figures.map((f) => `${f.words} (${f.detail})`), `estimated reach ${compactNumber(s.reach)}`] : [];
  const posts = s?.posts ?? [];
  const actions = s?.actions ?? [];
  const details = [
    `Incident #${a.ref} (${a.id}), ${a.type}, ${a.severity}${a.tier > 1 ? `, escalation tier ${a.tier}` : ""}, raised ${a.createdAt.toISOString()}`,
    ...(s?.statistics ?? []),
  ];

  const lines: string[] = [sentenceOf(a), ""];
  if (!s && oneLine(a.message)) lines.push(a.message.trim(), "");
  if (figures.length) lines.push("Key figures:", ...figures.map((f) => `- ${f}`), "");
  if (posts.length) lines.push("Top posts:", ...posts.map((p) => `- ${postLine(p)}${p.url ? ` ${p.url}` : ""}`), "");
  if (s?.platforms.length) lines.push(`Platforms: ${s.platforms.join(", ")}`, "");
  if (actions.length) lines.push("What to do:", ...actions.map((x, i) => `${i + 1}. ${x}`), "");
  if (a.ackUrl) lines.push(`Acknowledge (stops escalation): ${a.ackUrl}`);
  else lines.push(`Acknowledge by replying ACK ${a.ref} to the text message, or in War Room.`);
  if (a.incidentUrl) lines.push(`Open the incident: ${a.incidentUrl}`);
  lines.push("", "--", "Details:", ...details.map((d) => `  ${d}`), "");

  const li = (items: string[]) => `<ul>${items.map((x) => `<li>${x}</li>`).join("")}</ul>`;
  const html = [
    `<div style="font-family:sans-serif;max-width:640px">`,
    `<p style="color:${COLOR[a.severity]};font-weight:bold;font-size:16px">${escapeHtml(`${marker(a)} · ${name}`)}</p>`,
    `<p style="font-size:15px">${escapeHtml(sentenceOf(a))}</p>`,
    !s && oneLine(a.message) ? `<p>${escapeHtml(a.message.trim())}</p>` : "",
    figures.length ? `<h3>Key figures</h3>${li(figures.map(escapeHtml))}` : "",
    posts.length
      ? `<h3>Top posts</h3>${li(posts.map((p) => `${escapeHtml(postLine(p))}${p.url && /^https?:\/\//i.test(p.url) ? ` <a href="${escapeHtml(p.url)}">open</a>` : ""}`))}`
      : "",
    s?.platforms.length ? `<p><b>Platforms:</b> ${escapeHtml(s.platforms.join(", "))}</p>` : "",
    actions.length ? `<h3>What to do</h3><ol>${actions.map((x) => `<li>${escapeHtml(x)}</li>`).join("")}</ol>` : "",
    a.ackUrl
      ? `<p><a href="${escapeHtml(a.ackUrl)}" style="background:${COLOR[a.severity]};color:#fff;padding:10px 16px;text-decoration:none;border-radius:4px">Acknowledge #${a.ref}</a> (stops escalation)</p>`
      : `<p>Acknowledge by replying <b>ACK ${a.ref}</b> to the text message, or in War Room.</p>`,
    a.incidentUrl ? `<p><a href="${escapeHtml(a.incidentUrl)}">Open the incident</a></p>` : "",
    `<hr><p style="color:#666;font-size:11px">Details:<br>${details.map(escapeHtml).join("<br>")}</p>`,
    `</div>`,
  ].join("");
  return { subject: oneLine(subject), text: lines.join("\n"), html };
}

/** Slack: Block Kit through the incoming webhook. */
function slack(a: AlertContent): { text: string; json: Record<string, unknown> } {
  const name = oneLine(a.campaignName);
  const s = a.story;
  const text = `${SLACK_EMOJI[a.severity]} ${escapeSlack(`${marker(a)} ${name}: ${headlineOf(a)}`)}`;
  const blocks: Record<string, unknown>[] = [
    { type: "header", text: { type: "plain_text", text: `${marker(a)} · ${name}`.slice(0, 150) } },
    { type: "section", text: { type: "mrkdwn", text: escapeSlack(sentenceOf(a)).slice(0, 3000) } },
  ];
  if (!s && oneLine(a.message)) blocks.push({ type: "section", text: { type: "mrkdwn", text: escapeSlack(a.message.trim()).slice(0, 3000) } });
  if (s) {
    const fields = [...s.figures.map((f) => `*${escapeSlack(f.words)}*\n${escapeSlack(f.detail)}`), `*estimated reach ${compactNumber(s.reach)}*`];
    blocks.push({ type: "section", fields: fields.slice(0, 10).map((t) => ({ type: "mrkdwn", text: t.slice(0, 2000) })) });
    if (s.posts.length) {
      const posts = s.posts.map((p) => `• ${escapeSlack(postLine(p))}${p.url && /^https?:\/\//i.test(p.url) ? ` <${p.url.replace(/[<>|]/g, "")}|open>` : ""}`);
      blocks.push({ type: "section", text: { type: "mrkdwn", text: `*Top posts*\n${posts.join("\n")}`.slice(0, 3000) } });
    }
    if (s.platforms.length) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `Platforms: ${escapeSlack(s.platforms.join(", "))}` }] });
    if (s.actions.length)
      blocks.push({
        type: "section",
        text: { type: "mrkdwn", text: `*What to do*\n${s.actions.map((x, i) => `${i + 1}. ${escapeSlack(x)}`).join("\n")}`.slice(0, 3000) },
      });
  }
  const buttons: Record<string, unknown>[] = [];
  if (a.ackUrl)
    buttons.push({ type: "button", style: "danger", text: { type: "plain_text", text: `Acknowledge #${a.ref}` }, url: a.ackUrl, action_id: "acknowledge" });
  if (a.incidentUrl) buttons.push({ type: "button", text: { type: "plain_text", text: "Open the incident" }, url: a.incidentUrl, action_id: "open" });
  if (buttons.length) blocks.push({ type: "actions", elements: buttons });
  const details = [`incident #${a.ref} · ${a.type} · raised ${a.createdAt.toISOString()}`, ...(s?.statistics ?? [])];
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `Details: ${escapeSlack(details.join(" · "))}`.slice(0, 3000) }] });
  return { text, json: { text, blocks } };
}

/** The message for `channel`. */
export function render(a: AlertContent, channel: Channel): Rendered {
  const template = templateName(a, channel);
  switch (channel) {
    case "SMS":
    case "WHATSAPP":
      return { template, text: smsText(a) };
    case "EMAIL":
      return { template, ...email(a) };
    case "SLACK":
      return { template, ...slack(a) };
    case "PUSH": {
      const title = `${marker(a)} ${oneLine(a.campaignName)}: ${headlineOf(a)}`;
      return {
        template,
        text: title,
        json: {
          alertId: a.id,
          ref: a.ref,
          campaignId: a.campaignId,
          campaignName: a.campaignName,
          type: a.type,
          severity: a.severity,
          update: a.update,
          title: title.slice(0, 200),
          body: sentenceOf(a).slice(0, 1000),
          url: a.incidentUrl,
          timestamp: a.createdAt.toISOString(),
        },
      };
    }
  }
}

/** One message for several alerts below HIGH (a contact's digest), on `channel`. */
export function renderDigest(items: AlertContent[], channel: Channel): Rendered {
  const template = `digest_${channel.toLowerCase()}`;
  const heading = `War Room digest: ${items.length} alert${items.length === 1 ? "" : "s"} below HIGH`;
  const line = (a: AlertContent) => `#${a.ref} ${a.severity} ${oneLine(a.campaignName)}: ${headlineOf(a)}`;
  switch (channel) {
    case "SMS":
    case "WHATSAPP": {
      let text = toGsm7(heading);
      for (const a of items) text = appendWithin(text, toGsm7(line(a)), true);
      return { template, text };
    }
    case "EMAIL": {
      const text = [heading, "", ...items.flatMap((a) => [sentenceOf(a), ...(a.incidentUrl ? [a.incidentUrl] : []), ""])].join("\n");
      const html = `<div style="font-family:sans-serif;max-width:640px"><p style="font-weight:bold">${escapeHtml(heading)}</p><ul>${items
        .map((a) => `<li>${escapeHtml(sentenceOf(a))}${a.incidentUrl ? ` <a href="${escapeHtml(a.incidentUrl)}">open</a>` : ""}</li>`)
        .join("")}</ul></div>`;
      return { template, subject: heading, text, html };
    }
    case "SLACK": {
      const lines = items.map((a) => `• ${escapeSlack(line(a))}`).join("\n");
      return {
        template,
        text: heading,
        json: {
          text: heading,
          blocks: [
            { type: "header", text: { type: "plain_text", text: heading.slice(0, 150) } },
            { type: "section", text: { type: "mrkdwn", text: lines.slice(0, 3000) } },
          ],
        },
      };
    }
    case "PUSH":
      return { template, text: heading, json: { title: heading, body: items.map(line).join("\n").slice(0, 1000) } };
  }
}
