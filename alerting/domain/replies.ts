// Acknowledging by text reply: which incident "ACK 4821" (or a bare "ACK") from a number means,
// and the one line to answer with. Pure: the caller looks up the incidents that paged the number.
import type { Severity } from "./alert";
import { clipSeptets, toGsm7 } from "./sms";

/** An incident that paged the number. */
export interface PagedIncident {
  id: string;
  ref: number;
  campaignName: string;
  severity: Severity;
  state: "open" | "acknowledged" | "resolved" | "false_alarm";
  acknowledgedName: string | null;
  acknowledgedBy: string | null;
}

/** What a reply asks for. */
export type ReplyDecision =
  | { kind: "acknowledge"; incident: PagedIncident }
  | { kind: "already_acknowledged"; incident: PagedIncident }
  | { kind: "closed"; incident: PagedIncident }
  | { kind: "unknown_number" }
  | { kind: "unknown_ref"; ref: number; open: PagedIncident[] }
  | { kind: "none_open" }
  | { kind: "ambiguous"; open: PagedIncident[] };

/** Decides what `ACK <ref>` (ref given) or a bare `ACK` from a number paged by `paged` (newest first) does. */
export function decideReply(paged: readonly PagedIncident[], ref: number | undefined): ReplyDecision {
  if (paged.length === 0) return { kind: "unknown_number" };
  const open = paged.filter((p) => p.state === "open");
  if (ref === undefined) {
    if (open.length === 1) return { kind: "acknowledge", incident: open[0]! };
    return open.length === 0 ? { kind: "none_open" } : { kind: "ambiguous", open };
  }
  const incident = paged.find((p) => p.ref === ref);
  if (!incident) return { kind: "unknown_ref", ref, open };
  if (incident.state === "open") return { kind: "acknowledge", incident };
  if (incident.state === "acknowledged") return { kind: "already_acknowledged", incident };
  return { kind: "closed", incident };
}

const refs = (open: readonly PagedIncident[]) =>
  open
    .slice(0, 3)
    .map((p) => `#${p.ref}`)
    .join(", ");

/** The one-line answer (GSM-7, one segment). `by` names who acknowledged when it is this reply. */
export function replyText(d: ReplyDecision, by: string | null): string {
  let text: string;
  switch (d.kind) {
    case "acknowledge":
      text = `War Room: #${d.incident.ref} ${d.incident.campaignName} (${d.incident.severity}) acknowledged${by ? ` by ${by}` : ""}. Escalation stopped.`;
      break;
    case "already_acknowledged":
      text = `War Room: #${d.incident.ref} was already acknowledged${d.incident.acknowledgedName ? ` by ${d.incident.acknowledgedName}` : ""}. Nothing more to do.`;
      break;
    case "closed":
      text = `War Room: #${d.incident.ref} is already ${d.incident.state === "resolved" ? "resolved" : "closed as a false alarm"}. Nothing to acknowledge.`;
      break;
    case "unknown_number":
      text =
        "War Room: this number has not been paged for any incident, so there is nothing to acknowledge. Ask your campaign manager to add it as an alert contact.";
      break;
    case "unknown_ref":
      text = d.open.length
        ? `War Room: no incident #${d.ref} was sent to this number. Open: ${refs(d.open)}. Reply ACK ${d.open[0]!.ref} to acknowledge.`
        : `War Room: no incident #${d.ref} was sent to this number, and none is open.`;
      break;
    case "none_open":
      text = "War Room: no open incident was sent to this number. Nothing to acknowledge.";
      break;
    case "ambiguous":
      text = `War Room: ${d.open.length} incidents are open (${refs(d.open)}). Reply ACK with the number, e.g. ACK ${d.open[0]!.ref}.`;
      break;
  }
  return clipSeptets(toGsm7(text), 160);
}
