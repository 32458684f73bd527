// Political-communication checks (pure, table-driven): each rule says which communications it
// applies to, what it requires, and the regulation it comes from. `checkCommunication` runs every
// applicable rule and returns the findings; an unknown channel is a CheckInputError (400 at the edge).

export type Channel = "sms" | "whatsapp" | "email" | "ad" | "post";
export const CHANNELS: readonly Channel[] = ["sms", "whatsapp", "email", "ad", "post"];

/** GDPR Art. 6(1) lawful bases. */
export type LawfulBasis = "consent" | "contract" | "legal_obligation" | "vital_interests" | "public_task" | "legitimate_interests";
export const LAWFUL_BASES: readonly LawfulBasis[] = ["consent", "contract", "legal_obligation", "vital_interests", "public_task", "legitimate_interests"];

/** What is recorded about one recipient's consent. */
export interface ConsentFacts {
  /** Prior express (written) consent to receive this kind of message is on record. */
  recorded: boolean;
  recordedAt?: Date;
  /** The recipient has since opted out (STOP, unsubscribe). */
  optedOut?: boolean;
}

export interface Recipient {
  id?: string;
  /** IANA time zone ("America/Chicago"); required for SMS/WhatsApp (quiet hours are local). */
  timeZone?: string;
  /** Where the recipient lives: ISO country ("DE"), "US-OH", or "EU". */
  region?: string;
  consent?: ConsentFacts;
}

export interface Sender {
  name: string;
  /** Postal address of the sender (CAN-SPAM). */
  physicalAddress?: string;
}

/** One communication to check. */
export interface Communication {
  channel: string;
  text: string;
  sender: Sender;
  recipients: Recipient[];
  /** When it will be sent. */
  sendAt: Date;
  /** Where it is sent or targeted: "US", "US-OH", "EU", "DE", ... */
  region: string;
  /** Paid placement (ads always are; a post may be boosted). */
  paid?: boolean;
  /** Email: a commercial message (fundraising, merchandise). Treated as commercial unless false. */
  commercial?: boolean;
  /** Email: the unsubscribe link. */
  unsubscribeUrl?: string;
  /** GDPR: the lawful basis for processing the recipients' personal data. */
  lawfulBasis?: string;
}

export interface Finding {
  rule: string;
  regulation: "FEC" | "TCPA" | "CTIA" | "CAN-SPAM" | "GDPR";
  citation: string;
  message: string;
  /** The recipient concerned, for per-recipient rules (their id, or their index as "#3"). */
  recipient?: string;
}

export class CheckInputError extends Error {
  override readonly name = "CheckInputError";
}

const EU = new Set(["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"]);

/** True for "EU", "EU-…", or an EU member state's ISO code (optionally with a subdivision: "DE-BY"). */
export function isEuRegion(region: string | undefined): boolean {
  if (!region) return false;
  const r = region.trim().toUpperCase();
  return r === "EU" || r.startsWith("EU-") || EU.has(r.split("-")[0]!);
}

/** The hour (0–23) at `at` in time zone `tz`; throws CheckInputError for an unknown zone. */
export function localHour(at: Date, tz: string): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-US", { timeZone: tz, hour: "numeric", hourCycle: "h23" }).formatToParts(at);
  } catch {
    throw new CheckInputError(`unknown time zone ${JSON.stringify(tz)} (use an IANA name like "America/New_York")`);
  }
  return Number(parts.find((p) => p.type === "hour")!.value) % 24;
}

/** TCPA quiet hours: messages only between 8:00 and 21:00 at the recipient's location. */
export const QUIET_HOURS = { from: 21, until: 8 } as const;

const PAID_FOR_BY = /paid for by\s+\S+/i;
const OPT_OUT = /\b(reply|text|send)\s+"?(STOP|UNSUBSCRIBE|END|CANCEL|QUIT|STOPALL)\b/i;
const UNSUBSCRIBE = /unsubscribe|opt[\s-]?out/i;

interface Rule {
  id: string;
  regulation: Finding["regulation"];
  citation: string;
  /** What the rule requires, for the README and reports. */
  requirement: string;
  applies: (c: Communication & { channel: Channel }) => boolean;
  check: (c: Communication & { channel: Channel }) => Omit<Finding, "rule" | "regulation" | "citation">[];
}

const recipientName = (r: Recipient, i: number) => r.id?.trim() || `#${i + 1}`;
const isMessage = (c: { channel: Channel }) => c.channel === "sms" || c.channel === "whatsapp";

/** The rule set. Order is the order of findings. */
export const RULES: readonly Rule[] = [
  {
    id: "fec-disclaimer",
    regulation: "FEC",
    citation: "52 U.S.C. § 30120; 11 CFR § 110.11",
    requirement: 'Paid political ads (and boosted posts) and campaign emails carry a "Paid for by …" disclaimer.',
    applies: (c) => c.channel === "ad" || c.channel === "email" || (c.channel === "post" && c.paid === true),
    check: (c) => (PAID_FOR_BY.test(c.text) ? [] : [{ message: `a ${c.channel === "post" ? "paid post" : c.channel} must say who paid for it ("Paid for by ${c.sender.name || "…"}")` }]),
  },
  {
    id: "tcpa-consent",
    regulation: "TCPA",
    citation: "47 U.S.C. § 227(b)(1)(A)(iii); 47 CFR § 64.1200(a)(2)",
    requirement: "Automated SMS/WhatsApp only to recipients with recorded prior express consent who have not opted out.",
    applies: isMessage,
    check: (c) =>
      c.recipients.flatMap((r, i) => {
        if (r.consent?.optedOut) return [{ recipient: recipientName(r, i), message: `recipient ${recipientName(r, i)} has opted out` }];
        if (!r.consent?.recorded) return [{ recipient: recipientName(r, i), message: `no recorded consent for recipient ${recipientName(r, i)}` }];
        return [];
      }),
  },
  {
    id: "tcpa-quiet-hours",
    regulation: "TCPA",
    citation: "47 CFR § 64.1200(c)(1)",
    requirement: "No SMS/WhatsApp before 8:00 or after 21:00 in the recipient's own time zone.",
    applies: isMessage,
    check: (c) =>
      c.recipients.flatMap((r, i) => {
        if (!r.timeZone?.trim()) return [{ recipient: recipientName(r, i), message: `recipient ${recipientName(r, i)} has no time zone: quiet hours cannot be checked` }];
        const hour = localHour(c.sendAt, r.timeZone.trim());
        return hour >= QUIET_HOURS.from || hour < QUIET_HOURS.until
          ? [{ recipient: recipientName(r, i), message: `it is ${String(hour).padStart(2, "0")}:xx for recipient ${recipientName(r, i)} (${r.timeZone}): send between 08:00 and 21:00 local time` }]
          : [];
      }),
  },
  {
    id: "ctia-opt-out",
    regulation: "CTIA",
    citation: "CTIA Messaging Principles and Best Practices § 5.1.2; 47 CFR § 64.1200(a)(9)",
    requirement: 'SMS/WhatsApp include opt-out instructions ("Reply STOP to opt out").',
    applies: isMessage,
    check: (c) => (OPT_OUT.test(c.text) ? [] : [{ message: 'the message must tell recipients how to opt out (e.g. "Reply STOP to opt out")' }]),
  },
  {
    id: "can-spam-address",
    regulation: "CAN-SPAM",
    citation: "15 U.S.C. § 7704(a)(5)(A)(iii)",
    requirement: "Commercial email shows the sender's valid physical postal address.",
    applies: (c) => c.channel === "email" && c.commercial !== false,
    check: (c) => (c.sender.physicalAddress?.trim() ? [] : [{ message: "a commercial email must include the sender's physical postal address (sender.physicalAddress)" }]),
  },
  {
    id: "can-spam-unsubscribe",
    regulation: "CAN-SPAM",
    citation: "15 U.S.C. § 7704(a)(3), (a)(5)(A)(ii)",
    requirement: "Commercial email offers a working unsubscribe mechanism.",
    applies: (c) => c.channel === "email" && c.commercial !== false,
    check: (c) => (c.unsubscribeUrl?.trim() || UNSUBSCRIBE.test(c.text) ? [] : [{ message: "a commercial email must offer a way to unsubscribe (unsubscribeUrl or an unsubscribe notice)" }]),
  },
  {
    id: "gdpr-lawful-basis",
    regulation: "GDPR",
    citation: "Regulation (EU) 2016/679, Art. 6(1)",
    requirement: "Processing personal data of EU residents has a lawful basis under Art. 6(1); with consent as the basis, each recipient's consent is recorded.",
    applies: (c) => isEuRegion(c.region) || c.recipients.some((r) => isEuRegion(r.region)),
    check: (c) => {
      const basis = c.lawfulBasis?.trim();
      if (!basis) return [{ message: `EU residents' personal data needs a lawful basis (lawfulBasis: ${LAWFUL_BASES.join(", ")})` }];
      if (!(LAWFUL_BASES as readonly string[]).includes(basis)) return [{ message: `"${basis}" is not a lawful basis under Art. 6(1) (${LAWFUL_BASES.join(", ")})` }];
      if (basis !== "consent") return [];
      return c.recipients.flatMap((r, i) =>
        (isEuRegion(r.region) || isEuRegion(c.region)) && !r.consent?.recorded ? [{ recipient: recipientName(r, i), message: `lawful basis is consent, but none is recorded for recipient ${recipientName(r, i)}` }] : [],
      );
    },
  },
];

/** The result of checking one communication. */
export interface CheckResult {
  compliant: boolean;
  findings: Finding[];
  /** The ids of the rules that applied. */
  rulesApplied: string[];
}

/** Runs every applicable rule. Throws CheckInputError for an unknown channel or time zone. */
export function checkCommunication(c: Communication): CheckResult {
  const channel = c.channel?.trim().toLowerCase();
  if (!(CHANNELS as readonly string[]).includes(channel)) throw new CheckInputError(`unknown channel ${JSON.stringify(c.channel)}: use one of ${CHANNELS.join(", ")}`);
  if (Number.isNaN(new Date(c.sendAt).getTime())) throw new CheckInputError("sendAt must be a valid time");
  const comm = { ...c, channel: channel as Channel, sendAt: new Date(c.sendAt) };
  const findings: Finding[] = [];
  const rulesApplied: string[] = [];
  for (const rule of RULES) {
    if (!rule.applies(comm)) continue;
    rulesApplied.push(rule.id);
    for (const f of rule.check(comm)) findings.push({ rule: rule.id, regulation: rule.regulation, citation: rule.citation, ...f });
  }
  return { compliant: findings.length === 0, findings, rulesApplied };
}
