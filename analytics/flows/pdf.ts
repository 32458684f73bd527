// The report as a PDF a campaign manager can hand out (pdfkit, standard fonts, vector charts drawn
// directly): a title page, the summary figures with the recommendations, mention volume and
// sentiment over time, platform breakdown and competitor share of voice, then tables of the top
// mentions and influencers; every page but the title carries "Page n of N". Always PAGES pages.
import PDFDocument from "pdfkit";
import type { AnalyticsReport } from "../model";

/** Pages of every report: title, summary, two chart pages, two table pages. */
export const PAGES = 6;

const A4 = { width: 595.28, height: 841.89 };
const M = 50;
const W = A4.width - 2 * M;
const INK = "#1f2937";
const MUTED = "#6b7280";
const GRID = "#e5e7eb";
const ACCENT = "#1d4ed8";
const POSITIVE = "#15803d";
const NEGATIVE = "#b91c1c";
const NEUTRAL = "#9ca3af";
const PALETTE = ["#1d4ed8", "#b45309", "#15803d", "#7c3aed", "#be123c", "#0e7490", "#4d7c0f", "#a16207", "#475569"];

type Doc = PDFKit.PDFDocument;

// The standard fonts are WinAnsi: keep Latin-1 and the typographic marks it has, replace the rest.
const WIN_ANSI_EXTRA = new Set("–—‘’‚“”„•…€™ŠšŽžŒœŸ†‡‰‹›ˆ˜ƒ");
export function printable(text: string): string {
  let out = "";
  for (const ch of text.replace(/[\r\n\t]+/g, " ")) {
    const c = ch.codePointAt(0)!;
    out += (c >= 32 && c < 127) || (c >= 160 && c <= 255) || WIN_ANSI_EXTRA.has(ch) ? ch : "?";
  }
  return out;
}

/** The text, shortened with an ellipsis to fit `width` in the current font and size (one line). */
function fitText(doc: Doc, text: string, width: number): string {
  let t = printable(text);
  if (doc.widthOfString(t) <= width) return t;
  while (t.length > 1 && doc.widthOfString(`${t}…`) > width) t = t.slice(0, -1);
  return `${t.trimEnd()}…`;
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const fixed = (n: number, d: number) => n.toFixed(d);
const signedPct = (n: number) => `${n > 0 ? "+" : ""}${n.toFixed(1)}%`;
const pct = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;

function dateLabel(d: Date, withTime: boolean): string {
  const iso = d.toISOString();
  return withTime ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
}

/** Short axis label: "11-03" for days, "11-03 14h" for hours. */
function tick(d: Date, hourly: boolean): string {
  const iso = d.toISOString();
  return hourly ? `${iso.slice(5, 10)} ${iso.slice(11, 13)}h` : iso.slice(5, 10);
}

function heading(doc: Doc, title: string, subtitle?: string): void {
  doc.fillColor(INK).font("Helvetica-Bold").fontSize(18).text(title, M, M, { width: W });
  if (subtitle)
    doc
      .fillColor(MUTED)
      .font("Helvetica")
      .fontSize(10)
      .text(printable(subtitle), M, doc.y + 2, { width: W });
  doc
    .moveTo(M, doc.y + 6)
    .lineTo(M + W, doc.y + 6)
    .lineWidth(1)
    .strokeColor(GRID)
    .stroke();
  doc.y += 16;
}

function section(doc: Doc, title: string, y: number): number {
  doc.fillColor(INK).font("Helvetica-Bold").fontSize(12).text(title, M, y, { width: W });
  return doc.y + 6;
}

/** A nice upper bound for an axis (1, 2, 5 × 10^k). */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(value));
  for (const f of [1, 2, 5, 10]) if (value <= f * p) return f * p;
  return 10 * p;
}

function axisLabels(doc: Doc, n: number, x: number, width: number, y: number, label: (i: number) => string): void {
  const every = Math.max(1, Math.ceil(n / 8));
  doc.font("Helvetica").fontSize(7).fillColor(MUTED);
  for (let i = 0; i < n; i += every) {
    const cx = x + ((i + 0.5) * width) / n;
    doc.text(label(i), cx - 25, y, { width: 50, align: "center", lineBreak: false });
  }
}

/** Mention volume per bucket as bars, with a value axis. */
function volumeChart(doc: Doc, r: AnalyticsReport, x: number, y: number, width: number, height: number): void {
  const data = r.mentionTrends;
  const max = niceMax(Math.max(0, ...data.map((d) => d.mentions)));
  const left = x + 40;
  const plotW = width - 40;
  doc.font("Helvetica").fontSize(7).fillColor(MUTED);
  for (let i = 0; i <= 4; i++) {
    const gy = y + height - (i * height) / 4;
    doc
      .moveTo(left, gy)
      .lineTo(left + plotW, gy)
      .lineWidth(0.5)
      .strokeColor(GRID)
      .stroke();
    doc.fillColor(MUTED).text(int((max * i) / 4), x, gy - 3, { width: 36, align: "right", lineBreak: false });
  }
  const n = Math.max(1, data.length);
  const slot = plotW / n;
  const bar = Math.max(0.5, slot * 0.75);
  data.forEach((d, i) => {
    const h = (d.mentions / max) * height;
    if (h > 0)
      doc
        .rect(left + i * slot + (slot - bar) / 2, y + height - h, bar, h)
        .fillColor(ACCENT)
        .fill();
  });
  doc
    .moveTo(left, y + height)
    .lineTo(left + plotW, y + height)
    .lineWidth(0.8)
    .strokeColor(INK)
    .stroke();
  axisLabels(doc, data.length, left, plotW, y + height + 4, (i) => tick(data[i].date, r.granularity === "hour"));
}

/** Mean sentiment per bucket as a line on a -1..1 axis, with a zero line; empty buckets are gaps. */
function sentimentChart(doc: Doc, r: AnalyticsReport, x: number, y: number, width: number, height: number): void {
  const data = r.sentimentAnalysis;
  const left = x + 40;
  const plotW = width - 40;
  const yOf = (v: number) => y + ((1 - v) / 2) * height;
  doc.font("Helvetica").fontSize(7);
  for (const v of [1, 0.5, 0, -0.5, -1]) {
    doc
      .moveTo(left, yOf(v))
      .lineTo(left + plotW, yOf(v))
      .lineWidth(v === 0 ? 1 : 0.5)
      .strokeColor(v === 0 ? MUTED : GRID)
      .stroke();
    doc.fillColor(MUTED).text(v.toFixed(1), x, yOf(v) - 3, { width: 36, align: "right", lineBreak: false });
  }
  doc
    .rect(left, y, plotW, height / 2)
    .fillOpacity(0.05)
    .fillColor(POSITIVE)
    .fill();
  doc
    .rect(left, y + height / 2, plotW, height / 2)
    .fillColor(NEGATIVE)
    .fill();
  doc.fillOpacity(1);
  const n = Math.max(1, data.length);
  const xOf = (i: number) => left + ((i + 0.5) * plotW) / n;
  let drawing = false;
  data.forEach((d, i) => {
    const empty = d.positive + d.neutral + d.negative === 0;
    if (empty) {
      drawing = false;
      return;
    }
    if (!drawing) doc.moveTo(xOf(i), yOf(d.averageSentiment));
    else doc.lineTo(xOf(i), yOf(d.averageSentiment));
    drawing = true;
  });
  doc.lineWidth(1.5).strokeColor(ACCENT).stroke();
  data.forEach((d, i) => {
    if (d.positive + d.neutral + d.negative > 0 && n <= 60) doc.circle(xOf(i), yOf(d.averageSentiment), 1.8).fillColor(ACCENT).fill();
  });
  axisLabels(doc, data.length, left, plotW, y + height + 4, (i) => tick(data[i].date, r.granularity === "hour"));
}

/** Mentions per platform as horizontal bars, with share and mean sentiment. */
function platformChart(doc: Doc, r: AnalyticsReport, x: number, y: number, width: number): number {
  const rows = r.platformBreakdown.slice(0, 8);
  if (rows.length === 0) {
    doc.font("Helvetica").fontSize(10).fillColor(MUTED).text("No mentions in this period.", x, y);
    return y + 20;
  }
  const max = Math.max(...rows.map((p) => p.mentions));
  const labelW = 90;
  const valueW = 150;
  const barW = width - labelW - valueW;
  rows.forEach((p, i) => {
    const ry = y + i * 24;
    doc.font("Helvetica").fontSize(9).fillColor(INK);
    doc.text(fitText(doc, p.platform, labelW - 6), x, ry + 4, { lineBreak: false });
    const w = max > 0 ? Math.max(1, (p.mentions / max) * barW) : 1;
    doc
      .rect(x + labelW, ry, w, 16)
      .fillColor(PALETTE[i % PALETTE.length])
      .fill();
    doc.fillColor(INK).text(`${int(p.mentions)} (${pct(p.share)}), sentiment ${fixed(p.averageSentiment, 2)}`, x + labelW + w + 6, ry + 4, {
      width: valueW + barW - w,
      lineBreak: false,
    });
  });
  return y + rows.length * 24 + 6;
}

/** The campaign's and each competitor's share of voice as a pie with a legend. */
function shareOfVoiceChart(doc: Doc, r: AnalyticsReport, x: number, y: number, width: number): void {
  const competitors = r.competitorComparison;
  if (competitors.length === 0) {
    doc
      .font("Helvetica")
      .fontSize(10)
      .fillColor(MUTED)
      .text("No competitor mentions (competitors are included when the report asks for them and the monitoring configuration names them).", x, y, { width });
    return;
  }
  const others = competitors.reduce((s, c) => s + c.shareOfVoice, 0);
  const slices = [
    { label: r.campaignName, share: Math.max(0, 1 - others), mentions: r.summary.totalMentions },
    ...competitors.slice(0, 7).map((c) => ({ label: c.competitor, share: c.shareOfVoice, mentions: c.mentions })),
  ];
  const rest = competitors.slice(7).reduce((s, c) => s + c.shareOfVoice, 0);
  if (rest > 0) slices.push({ label: "other competitors", share: rest, mentions: competitors.slice(7).reduce((s, c) => s + c.mentions, 0) });
  const radius = 80;
  const cx = x + radius + 10;
  const cy = y + radius + 5;
  let angle = -Math.PI / 2;
  slices.forEach((s, i) => {
    if (s.share <= 0) return;
    const sweep = s.share * 2 * Math.PI;
    const color = PALETTE[i % PALETTE.length];
    if (sweep >= 2 * Math.PI - 1e-6) {
      doc.circle(cx, cy, radius).fillColor(color).fill();
    } else {
      const end = angle + sweep;
      const large = sweep > Math.PI ? 1 : 0;
      const x1 = cx + radius * Math.cos(angle);
      const y1 = cy + radius * Math.sin(angle);
      const x2 = cx + radius * Math.cos(end);
      const y2 = cy + radius * Math.sin(end);
      doc.path(`M ${cx} ${cy} L ${x1} ${y1} A ${radius} ${radius} 0 ${large} 1 ${x2} ${y2} Z`).fillColor(color).fill();
    }
    angle += sweep;
  });
  doc.circle(cx, cy, radius).lineWidth(1).strokeColor("#ffffff").stroke();
  const lx = x + 2 * radius + 40;
  slices.forEach((s, i) => {
    const ly = y + 10 + i * 20;
    doc
      .rect(lx, ly, 10, 10)
      .fillColor(PALETTE[i % PALETTE.length])
      .fill();
    doc.font("Helvetica").fontSize(9).fillColor(INK);
    const figures = `: ${pct(s.share)} (${int(s.mentions)} mentions)`;
    doc.text(fitText(doc, s.label, width - (lx - x) - 16 - doc.widthOfString(figures)) + figures, lx + 16, ly + 1, { lineBreak: false });
  });
}

interface Column {
  title: string;
  width: number;
  align?: "left" | "right";
}

/** A table with a header row and rows as tall as their text, at most `maxRowHeight` (longer cells end in an ellipsis). */
function table(doc: Doc, columns: Column[], rows: string[][], x: number, y: number, maxRowHeight: number, empty: string): number {
  doc.rect(x, y, W, 18).fillColor("#f3f4f6").fill();
  let cx = x;
  doc.font("Helvetica-Bold").fontSize(8).fillColor(INK);
  for (const c of columns) {
    doc.text(c.title, cx + 4, y + 5, { width: c.width - 8, align: c.align ?? "left", lineBreak: false });
    cx += c.width;
  }
  let ry = y + 18;
  if (rows.length === 0) {
    doc
      .font("Helvetica")
      .fontSize(9)
      .fillColor(MUTED)
      .text(empty, x + 4, ry + 6, { width: W - 8 });
    return ry + 24;
  }
  doc.font("Helvetica").fontSize(8);
  rows.forEach((row, i) => {
    const textHeight = Math.max(...row.map((cell, j) => doc.heightOfString(printable(cell), { width: columns[j].width - 8 })));
    const rowHeight = Math.min(maxRowHeight, Math.max(18, Math.ceil(textHeight) + 8));
    if (i % 2 === 1) doc.rect(x, ry, W, rowHeight).fillColor("#fafafa").fill();
    let px = x;
    row.forEach((cell, j) => {
      const c = columns[j];
      doc.fillColor(INK).text(printable(cell), px + 4, ry + 4, { width: c.width - 8, height: rowHeight - 6, align: c.align ?? "left", ellipsis: true });
      px += c.width;
    });
    doc
      .moveTo(x, ry + rowHeight)
      .lineTo(x + W, ry + rowHeight)
      .lineWidth(0.5)
      .strokeColor(GRID)
      .stroke();
    ry += rowHeight;
  });
  return ry + 8;
}

/** Positive, neutral and negative mentions as one stacked bar with a legend; returns the y below it. */
function sentimentSplit(doc: Doc, positive: number, neutral: number, negative: number, x: number, y: number, width: number): number {
  const total = positive + neutral + negative;
  const parts: [string, number, string][] = [
    ["positive", positive, POSITIVE],
    ["neutral", neutral, NEUTRAL],
    ["negative", negative, NEGATIVE],
  ];
  if (total === 0) {
    doc.rect(x, y, width, 14).fillColor(GRID).fill();
  } else {
    let px = x;
    for (const [, n, color] of parts) {
      const w = (n / total) * width;
      if (w > 0) doc.rect(px, y, w, 14).fillColor(color).fill();
      px += w;
    }
  }
  let lx = x;
  doc.font("Helvetica").fontSize(8);
  for (const [label, n, color] of parts) {
    doc
      .rect(lx, y + 21, 8, 8)
      .fillColor(color)
      .fill();
    const text = `${label} ${int(n)} (${pct(total > 0 ? n / total : 0)})`;
    doc.fillColor(INK).text(text, lx + 12, y + 21, { lineBreak: false });
    lx += 12 + doc.widthOfString(text) + 18;
  }
  return y + 32;
}

function figureBox(doc: Doc, x: number, y: number, w: number, label: string, value: string, note: string): void {
  doc.roundedRect(x, y, w, 62, 4).lineWidth(0.8).strokeColor(GRID).stroke();
  doc
    .font("Helvetica")
    .fontSize(8)
    .fillColor(MUTED)
    .text(label.toUpperCase(), x + 10, y + 8, { width: w - 20, lineBreak: false });
  doc.font("Helvetica-Bold").fontSize(18).fillColor(INK);
  doc.text(fitText(doc, value, w - 20), x + 10, y + 21, { lineBreak: false });
  doc.font("Helvetica").fontSize(8).fillColor(MUTED);
  doc.text(fitText(doc, note, w - 20), x + 10, y + 45, { lineBreak: false });
}

/** Renders the report; resolves to the PDF's bytes. */
export function renderReportPdf(r: AnalyticsReport, reportId: string): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    margin: M,
    bufferPages: true,
    info: { Title: printable(`${r.campaignName} - analytics report`), Author: "War Room", Subject: "Campaign analytics report", CreationDate: r.generatedAt },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const hourly = r.granularity === "hour";
  const period = `${dateLabel(r.dateRange.start, true)} to ${dateLabel(r.dateRange.end, true)} UTC`;
  const s = r.summary;

  // 1. Title page.
  doc.rect(0, 0, A4.width, 260).fillColor(ACCENT).fill();
  doc.fillColor("#ffffff").font("Helvetica").fontSize(12).text("WAR ROOM", M, 70, { characterSpacing: 3 });
  doc.font("Helvetica-Bold").fontSize(30).text("Campaign Analytics Report", M, 110, { width: W });
  doc.font("Helvetica").fontSize(20).text(printable(r.campaignName), M, 160, { width: W, height: 60, ellipsis: true });
  doc.fillColor(INK).font("Helvetica-Bold").fontSize(12).text("Period", M, 310);
  doc.font("Helvetica").fontSize(12).text(period, M, 328);
  doc.font("Helvetica-Bold").text("Generated", M, 360);
  doc.font("Helvetica").text(`${dateLabel(r.generatedAt, true)} UTC`, M, 378);
  doc.font("Helvetica-Bold").text("Report", M, 410);
  doc.font("Helvetica").text(reportId, M, 428);
  doc
    .font("Helvetica")
    .fontSize(9)
    .fillColor(MUTED)
    .text(
      "Figures come from War Room's rollups of every monitored mention (UTC hours and days). Sentiment ranges from -1 (negative) to +1 (positive); " +
        "engagement rate is engagement per person reached; growth compares the period with the equally long period before it.",
      M,
      700,
      { width: W },
    );

  // 2. Summary and recommendations.
  doc.addPage();
  heading(doc, "Summary", period);
  const boxW = (W - 10) / 2;
  const boxes: [string, string, string][] = [
    ["Total mentions", int(s.totalMentions), `previous period: ${int(s.previousPeriodMentions)}`],
    s.previousPeriodMentions > 0
      ? ["Growth rate", signedPct(s.growthRate), "mentions vs the previous period"]
      : ["Growth rate", "n/a", "no mentions in the previous period"],
    [
      "Average sentiment",
      fixed(s.averageSentiment, 3),
      `${int(s.positiveMentions)} positive, ${int(s.neutralMentions)} neutral, ${int(s.negativeMentions)} negative`,
    ],
    ["Total reach", int(s.totalReach), `${int(s.totalEngagement)} engagements`],
    ["Engagement rate", fixed(s.engagementRate, 4), "engagement per person reached"],
    ["Crisis events", int(s.crisisEvents), "crises opened in the period"],
    [
      "Top keywords",
      s.topKeywords.length > 0 ? s.topKeywords.slice(0, 3).join(", ") : "none",
      s.topKeywords.length > 3 ? `also: ${s.topKeywords.slice(3).join(", ")}` : "tracked keywords mentioned most",
    ],
    [
      "Platforms",
      int(r.platformBreakdown.length),
      r.platformBreakdown[0] ? `busiest: ${r.platformBreakdown[0].platform} (${pct(r.platformBreakdown[0].share)})` : "no mentions",
    ],
  ];
  let by = doc.y;
  boxes.forEach(([label, value, note], i) => {
    figureBox(doc, M + (i % 2) * (boxW + 10), by + Math.floor(i / 2) * 72, boxW, label, value, note);
  });
  by += 4 * 72 + 4;
  by = sentimentSplit(doc, s.positiveMentions, s.neutralMentions, s.negativeMentions, M, section(doc, "Sentiment split", by), W) + 14;
  let ry = section(doc, "Recommendations", by);
  if (r.recommendationDetails.length === 0) {
    doc.font("Helvetica").fontSize(10).fillColor(MUTED).text("No figure crossed a rule's threshold in this period.", M, ry, { width: W });
  }
  for (const a of r.recommendationDetails.slice(0, 8)) {
    if (ry > A4.height - 110) break;
    const color = a.priority === "high" ? NEGATIVE : a.priority === "medium" ? "#b45309" : MUTED;
    doc
      .rect(M, ry + 2, 4, 24)
      .fillColor(color)
      .fill();
    doc
      .font("Helvetica-Bold")
      .fontSize(8)
      .fillColor(color)
      .text(`${a.priority.toUpperCase()}  ·  ${a.figure}${a.subject ? ` (${printable(a.subject)})` : ""}`.replace("·", "-"), M + 10, ry, { width: W - 10 });
    doc
      .font("Helvetica")
      .fontSize(9)
      .fillColor(INK)
      .text(printable(a.message), M + 10, doc.y + 1, { width: W - 10, height: 36, ellipsis: true });
    ry = doc.y + 8;
  }

  // 3. Volume and sentiment over time.
  doc.addPage();
  heading(doc, "Mentions and sentiment over time", `${hourly ? "Per hour" : "Per day"} (UTC), ${period}`);
  let cy = section(doc, "Mention volume", doc.y);
  volumeChart(doc, r, M, cy + 4, W, 230);
  cy = section(doc, "Sentiment trend (mean per bucket, -1 to +1)", cy + 270);
  sentimentChart(doc, r, M, cy + 4, W, 230);

  // 4. Platforms and share of voice.
  doc.addPage();
  heading(doc, "Platforms and share of voice", period);
  cy = section(doc, "Platform breakdown", doc.y);
  const afterPlatforms = platformChart(doc, r, M, cy + 4, W);
  cy = section(doc, "Competitor share of voice", afterPlatforms + 24);
  shareOfVoiceChart(doc, r, M, cy + 6, W);
  if (r.competitorComparison.length > 0) {
    table(
      doc,
      [
        { title: "Competitor", width: 150 },
        { title: "Mentions", width: 75, align: "right" },
        { title: "Share of voice", width: 80, align: "right" },
        { title: "Avg. sentiment", width: 80, align: "right" },
        { title: "Positive", width: 55, align: "right" },
        { title: "Negative", width: W - 440, align: "right" },
      ],
      r.competitorComparison
        .slice(0, 10)
        .map((c) => [c.competitor, int(c.mentions), pct(c.shareOfVoice), fixed(c.averageSentiment, 3), int(c.positive), int(c.negative)]),
      M,
      cy + 190,
      20,
      "",
    );
  }

  // 5. Top mentions.
  doc.addPage();
  heading(doc, "Top mentions", `The most-read mentions of the period (by reach)`);
  table(
    doc,
    [
      { title: "#", width: 20, align: "right" },
      { title: "Platform", width: 62 },
      { title: "Author", width: 78 },
      { title: "Reach", width: 58, align: "right" },
      { title: "Sent.", width: 38, align: "right" },
      { title: "Mention", width: W - 256 },
    ],
    r.topMentions.map((m, i) => [
      String(i + 1),
      m.platform,
      m.author || "-",
      int(m.reach),
      fixed(m.sentiment, 2),
      `${dateLabel(m.timestamp, true)}  ${m.text}`,
    ]),
    M,
    doc.y,
    50,
    "No mentions in this period.",
  );

  // 6. Influencers and keywords.
  doc.addPage();
  heading(doc, "Influencers and keywords", "Authors of mentions reaching at least 10,000 people, or named as influencers in the monitoring configuration");
  let ty = table(
    doc,
    [
      { title: "#", width: 20, align: "right" },
      { title: "Author", width: 150 },
      { title: "Platform", width: 75 },
      { title: "Mentions", width: 60, align: "right" },
      { title: "Reach", width: 85, align: "right" },
      { title: "Engagement", width: 65, align: "right" },
      { title: "Sent.", width: W - 455, align: "right" },
    ],
    r.influencerPerformance.map((p, i) => [
      String(i + 1),
      p.author,
      p.platform,
      int(p.mentions),
      int(p.reach),
      int(p.engagement),
      fixed(p.averageSentiment, 2),
    ]),
    M,
    doc.y,
    22,
    "No influencer figures (included when the report asks for them).",
  );
  ty = section(doc, "Tracked keywords", ty + 10);
  table(
    doc,
    [
      { title: "Keyword", width: 200 },
      { title: "Mentions", width: 100, align: "right" },
      { title: "Reach", width: 110, align: "right" },
      { title: "Avg. sentiment", width: W - 410, align: "right" },
    ],
    r.keywordPerformance.slice(0, 12).map((k) => [k.keyword, int(k.mentions), int(k.reach), fixed(k.averageSentiment, 3)]),
    M,
    ty,
    20,
    "No tracked keyword was mentioned.",
  );

  // Page numbers (not on the title page).
  const pages = doc.bufferedPageRange();
  for (let i = pages.start + 1; i < pages.start + pages.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font("Helvetica").fontSize(8).fillColor(MUTED);
    doc.text(fitText(doc, `${r.campaignName} - analytics report`, W / 2 - 10), M, A4.height - 35, { lineBreak: false });
    doc.text(`Page ${i + 1} of ${pages.count}`, M + W / 2, A4.height - 35, { width: W / 2, align: "right", lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
