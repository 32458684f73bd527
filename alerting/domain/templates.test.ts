// Every channel rendered from real detector explanations (the reference cases replayed through the
// detector in monitoring/domain), with long and non-ASCII campaign names and huge numbers: GSM-7
// only and at most two segments for SMS/WhatsApp with the essentials in the first; the story, the
// figures in one wording, posts, platforms and actions in email and Slack, statistics only in
// their details footer, the campaign's name and never its id.
import { describe, expect, test } from "vitest";
import { buildCase, replayCase, type CaseName } from "../../monitoring/testdata/cases";
import type { DetectorEvent } from "../../monitoring/domain/types";
import { CHANNELS } from "./alert";
import { isGsm7, septets, smsSegments, toGsm7 } from "./sms";
import { compactNumber, headline, multiple, storyOf, storyTitle, type Explanation } from "../../shared/story";
import { render, type AlertContent } from "./templates";

const CAMPAIGN_ID = "9b1d7c2e-1111-4222-8333-444455556666";
const NAMES = {
  plain: "Rivera for Senate",
  long: "Committee to Re-Elect the Honourable Alexandra Montgomery-Fitzgerald to the Senate of the Commonwealth",
  nonAscii: "Łódź — «Ça va» Выборы 2026 ✊ 選挙 Zoë’s Ñandú",
};

/** The detector's events of a reference case (opened and escalated), as explanations travel (JSON). */
function eventsOf(name: CaseName): DetectorEvent[] {
  return replayCase(buildCase(name, { seed: 22 })).filter((e) => e.kind !== "resolved");
}
const explanationOf = (e: DetectorEvent): Explanation => JSON.parse(JSON.stringify(e.alert)) as Explanation;

function content(e: DetectorEvent, over: Partial<AlertContent> = {}, explanation = explanationOf(e)): AlertContent {
  return {
    id: "3f2a9c1e-0000-4000-8000-000000000000",
    ref: 4821,
    type: e.alert.type,
    severity: e.alert.severity,
    campaignId: CAMPAIGN_ID,
    campaignName: NAMES.plain,
    title: "t",
    message: "m",
    createdAt: new Date("2026-11-03T02:14:00Z"),
    tier: 1,
    update: false,
    story: storyOf(e.alert.type, explanation),
    incidentUrl: "https://war-room.example.org/incidents/3f2a9c1e-0000-4000-8000-000000000000",
    ackUrl: "https://api.war-room.example.org/api/v1/alerting/ack/token",
    ...over,
  };
}

/** The text within the first segment of an SMS (153 septets when split, the whole when it fits 160). */
function firstSegment(text: string): string {
  if (smsSegments(text).segments === 1) return text;
  let out = "";
  for (const ch of text) {
    if (septets(out + ch) > 153) break;
    out += ch;
  }
  return out;
}

function expectLockScreenSms(text: string, a: AlertContent): void {
  expect(isGsm7(text), text).toBe(true);
  expect(smsSegments(text).encoding).toBe("GSM-7");
  expect(smsSegments(text).segments).toBeLessThanOrEqual(2);
  const first = firstSegment(text);
  expect(first).toContain(`${a.severity} #${a.ref}`);
  expect(first).toContain(`Reply ACK ${a.ref}`);
  expect(first).toContain(`Reach ${compactNumber(a.story!.reach)}`);
  expect(first).toContain(a.story!.label.split(":")[0]);
  expect(text).not.toContain(a.campaignId);
  expect(text).not.toMatch(/\bp = |\bz = /);
}

const cases: CaseName[] = ["scandal", "escalation", "sentiment-collapse", "positive-viral", "engagement-drop", "competitor-surge", "cold-start"];

describe("SMS and WhatsApp from the detector's explanations", () => {
  test.each(cases)("%s: GSM-7, at most two segments, severity, ref, campaign, story, reach and Reply ACK in the first segment", (name) => {
    const events = eventsOf(name);
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) {
      for (const campaignName of Object.values(NAMES)) {
        const a = content(e, { campaignName });
        for (const channel of ["SMS", "WHATSAPP"] as const) {
          const text = render(a, channel).text;
          expectLockScreenSms(text, a);
          expect(firstSegment(text)).toContain(toGsm7(campaignName).slice(0, 12));
        }
      }
    }
  });

  test("the story's figures read the same in the SMS, the title, the email and Slack", () => {
    const crisis = eventsOf("scandal").find((e) => e.alert.type === "CRISIS")!;
    const a = content(crisis);
    const words = a.story!.figures.map((f) => f.words);
    expect(words[0]).toMatch(/^mentions \d+(\.\d)?x usual$/);
    expect(words.some((w) => w.startsWith("sentiment "))).toBe(true);
    const texts = [render(a, "SMS").text, storyTitle(a.story!), render(a, "EMAIL").text, render(a, "EMAIL").subject!, JSON.stringify(render(a, "SLACK").json)];
    for (const w of words) for (const t of texts) expect(t).toContain(w);
    // No "×" or "−" anywhere (they would make the SMS UCS-2, and two wordings of one figure).
    for (const t of texts) expect(t).not.toMatch(/[×−]/);
  });

  test("a non-ASCII campaign name is transliterated, never UCS-2", () => {
    const a = content(eventsOf("scandal")[0]!, { campaignName: NAMES.nonAscii });
    const text = render(a, "SMS").text;
    expect(text).toContain('Lodz - "Ça va" Vybory 2026');
    expect(toGsm7(NAMES.nonAscii)).toBe('Lodz - "Ça va" Vybory 2026 ? ?? Zoe\'s Ñandu');
    expectLockScreenSms(text, a);
  });

  test("huge numbers stay short; a long name and a long link do not push out the essentials", () => {
    const e = eventsOf("escalation").at(-1)!;
    const ex = explanationOf(e);
    ex.estimatedReach = 9_870_000_000_000;
    ex.triggers = ex.triggers.map((t) => (t.kind === "MENTION_SPIKE" ? { ...t, change: 123_456.7 } : t));
    ex.topTerms = Array.from({ length: 10 }, (_, i) => ({ term: `extraordinarily-long-term-${i}` }));
    const a = content(e, { campaignName: NAMES.long, incidentUrl: `https://war-room.example.org/${"x".repeat(300)}` }, ex);
    const text = render(a, "SMS").text;
    expectLockScreenSms(text, a);
    expect(firstSegment(text)).toContain("Reach 9.9T");
    expect(firstSegment(text)).toContain("123,457x usual");
    expect(text).not.toContain("x".repeat(300));
    expect(compactNumber(950)).toBe("950");
    expect(compactNumber(999_999)).toBe("1M");
    expect(compactNumber(1_234_567)).toBe("1.2M");
    expect(compactNumber(3.4e9)).toBe("3.4B");
    expect(multiple(7.34)).toBe("7.3x");
  });

  test("an UPDATE and an escalation say so first; without a story the title and message are sent", () => {
    const e = eventsOf("escalation").at(-1)!;
    expect(render(content(e, { update: true }), "SMS").text.startsWith(`UPDATE ${e.alert.severity} #4821 `)).toBe(true);
    expect(render(content(e, { tier: 2 }), "SMS").text.startsWith(`ESCALATED ${e.alert.severity} #4821 `)).toBe(true);
    const adhoc = render(
      content(e, { story: null, title: "Debate moved to 9 pm", message: "The venue changed: be at the Civic Center by 8 pm ✔." }),
      "SMS",
    ).text;
    expect(adhoc).toContain("Debate moved to 9 pm");
    expect(adhoc).toContain("be at the Civic Center by 8 pm ?.");
    expect(isGsm7(adhoc)).toBe(true);
  });
});

describe("email and Slack tell the story", () => {
  const crisis = () => eventsOf("scandal").find((e) => e.alert.type === "CRISIS")!;

  test("email: one sentence, figures against usual values, posts, platforms, actions, links; statistics only in the footer", () => {
    const e = crisis();
    const a = content(e, { campaignName: `${NAMES.nonAscii} <script>` });
    const mail = render(a, "EMAIL");
    expect(mail.subject).toBe(`[${e.alert.severity} #4821] ${NAMES.nonAscii} <script>: ${headline(a.story!)}`);
    expect(mail.text.split("\n")[0]).toMatch(new RegExp(`^${e.alert.severity} crisis for `));
    const [body, footer] = mail.text.split("\n--\n");
    expect(body).toContain("Key figures:");
    expect(body).toMatch(/mentions \d+(\.\d)?x usual \(\d+\/min vs [\d.]+\/min usual over \d+ min\)/);
    expect(body).toContain("Top posts:");
    const post = a.story!.posts[0]!;
    expect(body).toContain(`${post.author} on ${post.platform}, reach ${compactNumber(post.reach)}`);
    expect(body).toContain(`Platforms: ${a.story!.platforms.join(", ")}`);
    expect(body).toContain(`1. ${a.story!.actions[0]}`);
    expect(body).toContain(`Acknowledge (stops escalation): ${a.ackUrl}`);
    expect(body).toContain(`Open the incident: ${a.incidentUrl}`);
    expect(body).not.toMatch(/\bp = |\bz = /);
    expect(footer).toMatch(/p = 1e-\d+/);
    expect(footer).toMatch(/z = -?\d/);
    for (const part of [mail.subject!, mail.text, mail.html!]) expect(part).not.toContain(CAMPAIGN_ID);
    expect(mail.html).toContain("&lt;script&gt;");
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain(`href="${a.ackUrl}"`);
    const [htmlBody] = mail.html!.split("<hr>");
    expect(htmlBody).not.toMatch(/\bp = |\bz = /);
  });

  test("Slack: Block Kit with the story, figures, posts, actions, an acknowledge button and a details footer", () => {
    const a = content(crisis(), { campaignName: NAMES.long });
    const slack = render(a, "SLACK").json as {
      text: string;
      blocks: { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { url?: string; text: unknown }[] }[];
    };
    expect(slack.text).toContain(NAMES.long);
    expect(slack.blocks[0]).toMatchObject({ type: "header" });
    expect(slack.blocks[0]!.text!.text.length).toBeLessThanOrEqual(150);
    expect(slack.blocks[1]!.text!.text).toContain(NAMES.long);
    expect(
      slack.blocks
        .find((b) => b.fields)!
        .fields!.map((f) => f.text)
        .join(" "),
    ).toContain(a.story!.figures[0]!.words);
    expect(JSON.stringify(slack.blocks)).toContain("*Top posts*");
    expect(JSON.stringify(slack.blocks)).toContain("*What to do*");
    const actions = slack.blocks.find((b) => b.type === "actions")!;
    expect(actions.elements!.map((x) => x.url)).toEqual([a.ackUrl, a.incidentUrl]);
    const footer = slack.blocks.at(-1)!;
    expect(footer.type).toBe("context");
    const beforeFooter = JSON.stringify(slack.blocks.slice(0, -1));
    expect(beforeFooter).not.toMatch(/\bp = |\bz = /);
    expect(JSON.stringify(footer)).toMatch(/p = 1e-\d+/);
    expect(JSON.stringify(slack)).not.toContain(CAMPAIGN_ID);
  });

  test("every channel renders every case without the campaign's id in what people read", () => {
    for (const name of cases) {
      for (const e of eventsOf(name)) {
        const a = content(e);
        for (const channel of CHANNELS) {
          const r = render(a, channel);
          expect(r.text.length).toBeGreaterThan(10);
          if (channel !== "PUSH")
            expect(r.text + (r.html ?? "") + (r.subject ?? "") + (channel === "SLACK" ? JSON.stringify(r.json) : "")).not.toContain(CAMPAIGN_ID);
        }
      }
    }
  });
});
