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
  gdpr: ["GDPR"],
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
  ],
  ccpa: [
    "§ 1798.105 right to delete: deletion requests and their completion times.",
    "§ 1798.100(a)(3) retention disclosure: retention period per category of personal information.",
    "§ 1798.185 record keeping: tamper-evident audit log.",
  ],
  tcpa: [
    "47 U.S.C. § 227(b): prior express consent for automated messages (tcpa-consent rule).",
    "47 CFR § 64.1200(a)(10) / CTIA: opt-outs honoured; STOP recorded and later messages skipped (opt-out counts).",
    "47 CFR § 64.1200(c)(1): quiet hours in the recipient's time zone (tcpa-quiet-hours rule).",
  ],
  fec: [
    "52 U.S.C. § 30120, 11 CFR § 110.11: disclaimers on public communications (fec-disclaimer rule).",
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
  return RULES.filter((r) => RULES_OF[regulation].includes(r.regulation)).map((r) => ({ id: r.id, regulation: r.regulation, citation: r.citation, requirement: r.requirement }));
}

/** Completion-time figures of erasure requests (seconds), over the completed ones. */
export function erasureTimings(requests: { requestedAt: Date; completedAt: Date | null }[]): { completed: number; pending: number; medianSeconds: number | null; maxSeconds: number | null } {
  const durations = requests
    .filter((r) => r.completedAt)
    .map((r) => (r.completedAt!.getTime() - r.requestedAt.getTime()) / 1000)
    .sort((a, b) => a - b);
  const median = durations.length === 0 ? null : durations.length % 2 ? durations[(durations.length - 1) / 2]! : (durations[durations.length / 2 - 1]! + durations[durations.length / 2]!) / 2;
  return { completed: durations.length, pending: requests.length - durations.length, medianSeconds: median, maxSeconds: durations.at(-1) ?? null };
}
