// A compliance report as a PDF for counsel and auditors (pdfkit, standard fonts): the obligations,
// then each piece of evidence as a titled section with its figures and tables.
import PDFDocument from "pdfkit";
import type { ReportContent } from "./reports";

const M = 50;
const INK = "#111827";
const MUTED = "#6b7280";
const BAD = "#b91c1c";
const GOOD = "#15803d";

// The standard fonts are WinAnsi: keep Latin-1 and a few typographic marks, replace the rest.
function printable(text: string): string {
  let out = "";
  for (const ch of String(text).replace(/[\r\n\t]+/g, " ")) {
    const c = ch.codePointAt(0)!;
    out += (c >= 32 && c < 127) || (c >= 160 && c <= 255) || "–—‘’“”•…".includes(ch) ? ch : "?";
  }
  return out;
}

/** Renders the report to PDF bytes. */
export function renderReportPdf(r: ReportContent): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4", margin: M, info: { Title: printable(r.title), Author: "War Room compliance" } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const h = (text: string) => doc.moveDown(0.8).font("Helvetica-Bold").fontSize(13).fillColor(INK).text(printable(text)).moveDown(0.3);
  const p = (text: string, color = INK) => doc.font("Helvetica").fontSize(10).fillColor(color).text(printable(text));
  const small = (text: string) => doc.font("Helvetica").fontSize(8.5).fillColor(MUTED).text(printable(text));

  doc.font("Helvetica-Bold").fontSize(18).fillColor(INK).text(printable(r.title));
  small(`Report ${r.reportId} generated ${r.generatedAt} by ${r.generatedBy}`);
  if (r.scope) small(`Period ${r.scope.start} to ${r.scope.end}; ${r.scope.campaignId ? `checks of campaign ${r.scope.campaignId}` : "all campaigns"}.`);

  h("Obligations and how they are evidenced");
  for (const o of r.obligations) p(`• ${o}`);

  h("Audit log integrity (hash chain)");
  p(`Hash chain: ${r.auditChain.valid ? "VALID" : "BROKEN"}`, r.auditChain.valid ? GOOD : BAD);
  p(
    `Entries verified: ${r.auditChain.checked}; redacted by retention or erasure (not broken): ${r.auditChain.redacted}; head entry ${r.auditChain.headSeq}; verified at ${r.auditChain.verifiedAt}.`,
  );
  if (r.auditChain.firstBroken)
    p(`First broken link: entry ${r.auditChain.firstBroken.seq} (${r.auditChain.firstBroken.reason}): ${r.auditChain.firstBroken.message}`, BAD);

  h("Retention policy");
  for (const c of r.retention.policy) p(`• ${c.dataClass} (held by ${c.owner}): ${c.periodDays} days. ${c.legalBasis}`);
  h(`Retention runs (${r.retention.runs.length} most recent)`);
  if (r.retention.runs.length === 0) p("No retention run yet.");
  for (const run of r.retention.runs.slice(0, 20)) {
    const counts = run.results.map((x) => `${x.dataClass} ${x.deleted !== undefined ? `-${x.deleted}` : "not purged"}`).join(", ");
    p(`• ${run.startedAt} ${run.status}: ${counts}`);
  }

  if (r.checks) {
    h(`Compliance checks run in the period (${r.checks.total})`);
    p(`Compliant: ${r.checks.compliant}; not compliant: ${r.checks.nonCompliant}.`, r.checks.nonCompliant ? BAD : GOOD);
    for (const x of r.checks.byRule) p(`• ${x.rule}: applied ${x.applied}, failed ${x.failed}`);
    for (const e of r.checks.entries.slice(0, 60))
      p(
        `• ${e.at} ${e.channel} by ${e.actorId}${e.campaignId ? ` (campaign ${e.campaignId})` : ""}: ${e.compliant ? "compliant" : `NOT compliant (${[...new Set(e.findings.map((f) => f.rule))].join(", ")})`}`,
      );
  }
  if (r.optOuts) {
    h("Opt-outs and opt-ins received in the period");
    p(`Opt-outs: ${r.optOuts.optOuts}; opt-ins: ${r.optOuts.optIns}.`);
    for (const e of r.optOuts.events.slice(0, 60)) p(`• ${e.at} ${e.kind} "${e.keyword}" by ${e.channel} (number hash ${e.addressHash.slice(0, 12)})`);
  }

  h("Erasure requests in the period");
  p(
    `Completed: ${r.erasure.completed}; pending: ${r.erasure.pending}; median completion: ${r.erasure.medianSeconds === null ? "n/a" : `${r.erasure.medianSeconds.toFixed(1)} s`}; longest: ${r.erasure.maxSeconds === null ? "n/a" : `${r.erasure.maxSeconds.toFixed(1)} s`}.`,
  );
  for (const e of r.erasure.requests.slice(0, 40))
    p(`• ${e.requestId}: requested ${e.requestedAt}, ${e.completedAt ? `completed ${e.completedAt} (${e.seconds!.toFixed(1)} s)` : "pending"}`);

  h("Consent and opt-outs (SMS/WhatsApp)");
  p(
    `Opt-outs received: ${r.consent.optOutEvents}; opt-ins received: ${r.consent.optInEvents}; numbers currently opted out: ${r.consent.currentlyOptedOut}; alert deliveries skipped for an opt-out: ${r.consent.deliveriesSkippedForOptOut}.`,
  );

  if (r.rules.length > 0) {
    h("Communication rules enforced by POST /api/v1/compliance/check");
    for (const rule of r.rules) p(`• ${rule.id} [${rule.regulation}: ${rule.citation}]: ${rule.requirement}`);
  }
  doc.end();
  return done;
}
