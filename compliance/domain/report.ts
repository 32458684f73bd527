// The evidence a compliance report carries, per regulation (pure): which rules and which evidence
// sections matter for each, and the erasure timing figures.
import { RULES } from "./rules";

export type Regulation = "gdpr" | "ccpa" | "tcpa" | "fec" | "can-spam";
export const REGULATIONS: readonly Regulation[] = ["gdpr", "ccpa", "tcpa", "fec", "can-spam"];

export const REGULATION_TITLES: Record<Regulation, string> = {
  gdpr: "GDPR (Regulation (EU) 2016/679)",
  ccpa: "CCPA/CPRA (Cal. Civ. Code § 1798.100 et seq.)",
  tcpa: "TCPA (47 U.S.C. § 227) and CTIA messaging principles",
  fec: "Federal Election Campaign Act (52 U.S.C. § 30101 et seq.) and FEC rules",
  "can-spam": "CAN-SPAM Act (15 U.S.C. § 7701 et seq.)",
};

/** The rule-set regulations whose rules a report lists. */
const RULES_OF: Record<Regulation, string[]> = {
  gdpr: ["GDPR", "ePrivacy"],
  ccpa: [],
  tcpa: ["TCPA", "CTIA"],
  fec: ["FEC"],
  "can-spam": ["CAN-SPAM"],
};

/** What the law asks that the evidence answers, per regulation. */
export const OBLIGATIONS: Record<Regulation, string[]> = {
  gdpr: [
    "Art. 5(1)(e) storage limitation: retention policy per data class, enforced daily (retention runs below).",
    "Art. 17 right to erasure: erasure requests, their completion across services and completion times.",
    "Art. 5(2) accountability / Art. 30 records: tamper-evident audit log (hash chain verification).",
    "Art. 6(1) lawful basis: checked per communication by the gdpr-lawful-basis rule; recorded per data class in the policy.",
    "Art. 9 special categories (political opinions) and ePrivacy Directive Art. 13 consent for electronic messages: gdpr-special-category and eprivacy-consent rules; the checks run in the period below.",
  ],
  ccpa: [
    "§ 1798.105 right to delete: deletion requests and their completion times.",
    "§ 1798.100(a)(3) retention disclosure: retention period per category of personal information.",
    "§ 1798.185 record keeping: tamper-evident audit log.",
  ],
  tcpa: [
    "47 U.S.C. § 227(b): prior express consent for autodialed or mass messages (tcpa-consent rule); revocations honoured for every text (tcpa-revocation rule).",
    "47 CFR § 64.1200(a)(10) / CTIA: opt-outs honoured; STOP recorded and later messages skipped (opt-out counts).",
    "47 CFR § 64.1200(c)(1): quiet hours in the recipient's time zone (tcpa-quiet-hours rule).",
  ],
  fec: [
    "52 U.S.C. § 30120, 11 CFR § 110.11(b)(1)-(3): disclaimers on public communications by payer type, authorized or not (fec-disclaimer rule).",
    "52 U.S.C. § 30102(d), 11 CFR § 102.9(c): records preserved 3 years (audit log retention and hash chain).",
  ],
  "can-spam": [
    "15 U.S.C. § 7704(a)(3)-(5): unsubscribe mechanism and physical address (can-spam rules).",
    "15 U.S.C. § 7704(a)(4): opt-out requests honoured (opt-out counts).",
  ],
};

export function isRegulation(value: string): value is Regulation {
  return (REGULATIONS as readonly string[]).includes(value);
}

export function rulesFor(regulation: Regulation): { id: string; regulation: string; citation: string; requirement: string }[] {
  return RULES.filter((r) => RULES_OF[regulation].includes(r.regulation)).map((r) => ({
    id: r.id,
    regulation: r.regulation,
    citation: r.citation,
    requirement: r.requirement,
  }));
}

/** Completion-time figures of erasure requests (seconds), over the completed ones. */
export function erasureTimings(requests: { requestedAt: Date; completedAt: Date | null }[]): {
  completed: number;
  pending: number;
  medianSeconds: number | null;
  maxSeconds: number | null;
} {
  const durations = requests
    .filter((r) => r.completedAt)
    .map((r) => (r.completedAt!.getTime() - r.requestedAt.getTime()) / 1000)
    .sort((a, b) => a - b);
  const median =
    durations.length === 0
      ? null
      : durations.length % 2
        ? durations[(durations.length - 1) / 2]!
        : (durations[durations.length / 2 - 1]! + durations[durations.length / 2]!) / 2;
  return { completed: durations.length, pending: requests.length - durations.length, medianSeconds: median, maxSeconds: durations.at(-1) ?? null };
}

/** A compliance check as its audit entry recorded it. */
export interface CheckEntry {
  at: string;
  actorId: string;
  campaignId: string | null;
  channel: string;
  compliant: boolean;
  rulesApplied: string[];
  findings: { rule: string; regulation: string; recipient?: string }[];
}

/** The checks of a period that concern a regulation (a rule of it applied), with the verdicts per rule. */
export function summariseChecks(
  regulation: Regulation,
  entries: CheckEntry[],
): { total: number; compliant: number; nonCompliant: number; byRule: { rule: string; applied: number; failed: number }[]; entries: CheckEntry[] } {
  const ruleIds = new Set(rulesFor(regulation).map((r) => r.id));
  const relevant = entries.filter((e) => e.rulesApplied.some((r) => ruleIds.has(r)));
  const byRule = new Map<string, { rule: string; applied: number; failed: number }>();
  for (const e of relevant) {
    for (const rule of e.rulesApplied.filter((r) => ruleIds.has(r))) {
      const row = byRule.get(rule) ?? { rule, applied: 0, failed: 0 };
      row.applied++;
      if (e.findings.some((f) => f.rule === rule)) row.failed++;
      byRule.set(rule, row);
    }
  }
  const compliant = relevant.filter((e) => e.compliant).length;
  return {
    total: relevant.length,
    compliant,
    nonCompliant: relevant.length - compliant,
    byRule: [...byRule.values()].sort((a, b) => (a.rule < b.rule ? -1 : 1)),
    entries: relevant,
  };
}
