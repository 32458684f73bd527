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
  /**
   * GDPR Art. 9(2)(d): a member, former member or regular contact of the sending political body
   * (whose political opinions it may process without explicit consent, within its own activities).
   */
  member?: boolean;
  /** IANA time zone ("America/Chicago"); required for SMS/WhatsApp (quiet hours are local). */
  timeZone?: string;
  /** Where the recipient lives: ISO country ("DE"), "US-OH", or "EU". */
  region?: string;
  consent?: ConsentFacts;
}

/** Who pays for a communication, for the FEC disclaimer (11 CFR § 110.11(b)). */
export type SenderType = "candidate_committee" | "pac" | "party" | "other";
export const SENDER_TYPES: readonly SenderType[] = ["candidate_committee", "pac", "party", "other"];

export interface Sender {
  name: string;
  /** Default "candidate_committee" (a campaign's own communications). */
  type?: string;
  /** For a PAC, a party or another payer: the communication is authorized by a candidate or their committee (§ 110.11(b)(2)); else not (§ 110.11(b)(3)). */
  authorized?: boolean;
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
  /** A political message (the platform's default): political opinions are special-category data (GDPR Art. 9). */
  political?: boolean;
  /** SMS/WhatsApp: sent by an autodialer or as a mass text (default); false for a person-to-person text typed and sent by a person. */
  autodialed?: boolean;
  /** The campaign the communication is for (the check's audit entry and regulation reports are filed under it). */
  campaignId?: string;
}

export interface Finding {
  rule: string;
  regulation: "FEC" | "TCPA" | "CTIA" | "CAN-SPAM" | "GDPR" | "ePrivacy";
  citation: string;
  message: string;
  /** The recipient concerned, for per-recipient rules (their id, or their index as "#3"). */
  recipient?: string;
}

export class CheckInputError extends Error {
  override readonly name = "CheckInputError";
}

const EU = new Set([
  "AT",
  "BE",
  "BG",
  "HR",
  "CY",
  "CZ",
  "DK",
  "EE",
  "FI",
  "FR",
  "DE",
  "GR",
  "HU",
  "IE",
  "IT",
  "LV",
  "LT",
  "LU",
  "MT",
  "NL",
  "PL",
  "PT",
  "RO",
  "SK",
  "SI",
  "ES",
  "SE",
]);

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

const PAID_FOR_BY = /\bpaid\s+for\s+by\s+\S+/i;
const AUTHORIZED_BY = /\bauthori[sz]ed\s+by\s+\S+/i;
const NOT_AUTHORIZED = /\bnot\s+authori[sz]ed\s+by\s+any\s+candidate(\s+or\s+candidate'?s?\s+committee)?/i;
/** How to reach the payer (§ 110.11(b)(3)): a street address, a telephone number or a web address. */
const STREET_ADDRESS =
  /\b\d{1,6}\s+(?:[A-Z0-9][\w.'-]*\s+){1,5}(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Pl|Place|Ct|Court|Pkwy|Parkway|Hwy|Highway|Sq|Square|Ter|Terrace)\b\.?/i;
const PHONE = /(?:\+?1[\s.-]?)?\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b/;
const WEB_ADDRESS = /\b(?:https?:\/\/)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|us|gov|info|co|io|vote|party|pac)\b/i;
/**
 * The opt-out instruction: a verb telling the recipient to send a keyword ("Reply STOP", "Txt STOP",
 * "Send END") or the keyword with its effect ("STOP to quit", "STOP 2 end"), in the short forms
 * carriers accept (CTIA Messaging Principles and Best Practices § 5.1.1).
 */
const OPT_OUT_KEYWORDS = "STOP|STOPALL|UNSUBSCRIBE|END|CANCEL|QUIT|OPTOUT|OPT-OUT";
const OPT_OUT = new RegExp(
  `\\b(?:reply|respond|text|txt|send|msg|message)\\b(?:\\s+(?:with|back))?[\\s:]*["'“‘]?(?:${OPT_OUT_KEYWORDS})["'”’]?(?![\\w-])` +
    `|\\b(?:${OPT_OUT_KEYWORDS})["'”’]?\\s+(?:to|2)\\s+(?:opt[\\s-]?out|quit|end|stop|unsubscribe|cancel|unsub)\\b`,
  "i",
);
const UNSUBSCRIBE = /unsubscribe|opt[\s-]?out/i;

/** True when the text tells recipients how to opt out (exported for the tests of its variants). */
export function hasOptOutInstruction(text: string): boolean {
  return OPT_OUT.test(text);
}

/** The sender's type ("candidate_committee" when not given); CheckInputError for an unknown one. */
export function senderType(s: Sender): SenderType {
  const t = (s.type ?? "candidate_committee").trim().toLowerCase();
  if (!(SENDER_TYPES as readonly string[]).includes(t))
    throw new CheckInputError(`unknown sender.type ${JSON.stringify(s.type)}: use one of ${SENDER_TYPES.join(", ")}`);
  return t as SenderType;
}

/**
 * The disclaimer elements 11 CFR § 110.11(b) requires of a communication's text, by who paid and
 * who authorized it: (b)(1) a candidate's committee: that it paid; (b)(2) paid by another, authorized
 * by a candidate: who paid and that the candidate authorized it; (b)(3) not authorized: who paid, the
 * payer's street address, telephone number or web address, and that no candidate authorized it.
 */
export function missingDisclaimerElements(text: string, sender: Sender): string[] {
  const type = senderType(sender);
  const missing: string[] = [];
  const name = sender.name?.trim();
  if (!PAID_FOR_BY.test(text)) missing.push(`who paid for it ("Paid for by ${name || "…"}")`);
  else if (name && !text.toLowerCase().includes(name.toLowerCase())) missing.push(`the payer's full name as registered (${name})`);
  if (type === "candidate_committee") return missing;
  if (sender.authorized === true) {
    if (!AUTHORIZED_BY.test(text) || NOT_AUTHORIZED.test(text))
      missing.push('that the candidate authorized it ("and authorized by <candidate> for <office>" / "Authorized by <committee>")');
    return missing;
  }
  if (!NOT_AUTHORIZED.test(text)) missing.push("that it is not authorized by any candidate or candidate's committee");
  if (!STREET_ADDRESS.test(text) && !PHONE.test(text) && !WEB_ADDRESS.test(text))
    missing.push("the payer's permanent street address, telephone number or web address");
  return missing;
}

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
/** An electronic message in the ePrivacy Directive's sense (Art. 2(h): text, voice, sound or image sent over a network, stored until collected). */
const isElectronicMail = (c: { channel: Channel }) => c.channel === "email" || isMessage(c);
const isPolitical = (c: Communication) => c.political !== false;
/** The EU recipients of a communication: those in the EU, or all of them when it targets the EU. */
const euRecipients = (c: Communication) =>
  c.recipients.map((r, i) => ({ r, i })).filter(({ r }) => isEuRegion(r.region) || (!r.region && isEuRegion(c.region)));

/** The rule set. Order is the order of findings. */
export const RULES: readonly Rule[] = [
  {
    id: "fec-disclaimer",
    regulation: "FEC",
    citation: "52 U.S.C. § 30120(a); 11 CFR § 110.11(b)(1)-(3)",
    requirement:
      'Paid political ads (and boosted posts) and campaign emails carry the disclaimer the payer\'s type requires: a candidate\'s committee "Paid for by <committee>" (b)(1); a PAC, party or other payer "Paid for by <payer>" and either "authorized by <candidate>" (b)(2) or, when not authorized, its street address, phone number or web address and "Not authorized by any candidate or candidate\'s committee" (b)(3).',
    applies: (c) => c.channel === "ad" || c.channel === "email" || (c.channel === "post" && c.paid === true),
    check: (c) => {
      const missing = missingDisclaimerElements(c.text, c.sender);
      if (!missing.length) return [];
      const what = c.channel === "post" ? "paid post" : c.channel;
      const type = senderType(c.sender);
      const clause = type === "candidate_committee" ? "(b)(1)" : c.sender.authorized ? "(b)(2)" : "(b)(3)";
      return [
        {
          message: `the ${what}'s disclaimer (11 CFR § 110.11${clause}, ${type.replace("_", " ")}${type === "candidate_committee" ? "" : c.sender.authorized ? ", authorized" : ", not authorized"}) lacks ${missing.join("; ")}`,
        },
      ];
    },
  },
  {
    id: "tcpa-consent",
    regulation: "TCPA",
    citation: "47 U.S.C. § 227(b)(1)(A)(iii); 47 CFR § 64.1200(a)(1)(iii), (a)(2)",
    requirement:
      "Autodialed or mass SMS/WhatsApp (autodialed, the default) only to recipients with recorded prior express consent; a person-to-person text (autodialed: false) needs none.",
    applies: (c) => isMessage(c) && c.autodialed !== false,
    check: (c) =>
      c.recipients.flatMap((r, i) =>
        r.consent?.recorded
          ? []
          : [
              {
                recipient: recipientName(r, i),
                message: `no recorded prior express consent for recipient ${recipientName(r, i)} (required for an autodialed or mass text)`,
              },
            ],
      ),
  },
  {
    id: "tcpa-revocation",
    regulation: "TCPA",
    citation: "47 CFR § 64.1200(a)(10)",
    requirement: "No SMS/WhatsApp, autodialed or person-to-person, to a recipient who has revoked consent (replied STOP or otherwise opted out).",
    applies: isMessage,
    check: (c) =>
      c.recipients.flatMap((r, i) =>
        r.consent?.optedOut ? [{ recipient: recipientName(r, i), message: `recipient ${recipientName(r, i)} has opted out` }] : [],
      ),
  },
  {
    id: "tcpa-quiet-hours",
    regulation: "TCPA",
    citation: "47 CFR § 64.1200(c)(1)",
    requirement: "No SMS/WhatsApp, autodialed or person-to-person, before 8:00 or after 21:00 in the recipient's own time zone.",
    applies: isMessage,
    check: (c) =>
      c.recipients.flatMap((r, i) => {
        if (!r.timeZone?.trim())
          return [{ recipient: recipientName(r, i), message: `recipient ${recipientName(r, i)} has no time zone: quiet hours cannot be checked` }];
        const hour = localHour(c.sendAt, r.timeZone.trim());
        return hour >= QUIET_HOURS.from || hour < QUIET_HOURS.until
          ? [
              {
                recipient: recipientName(r, i),
                message: `it is ${String(hour).padStart(2, "0")}:xx for recipient ${recipientName(r, i)} (${r.timeZone}): send between 08:00 and 21:00 local time`,
              },
            ]
          : [];
      }),
  },
  {
    id: "ctia-opt-out",
    regulation: "CTIA",
    citation: "CTIA Messaging Principles and Best Practices § 5.1.1-5.1.2; 47 CFR § 64.1200(a)(9)",
    requirement: 'SMS/WhatsApp include opt-out instructions in any clear form ("Reply STOP to opt out", "Txt STOP 2 quit", "Text STOP to end", "STOP to end").',
    applies: isMessage,
    check: (c) =>
      hasOptOutInstruction(c.text) ? [] : [{ message: 'the message must tell recipients how to opt out (e.g. "Reply STOP to opt out", "Txt STOP 2 quit")' }],
  },
  {
    id: "can-spam-address",
    regulation: "CAN-SPAM",
    citation: "15 U.S.C. § 7704(a)(5)(A)(iii)",
    requirement: "Commercial email shows the sender's valid physical postal address.",
    applies: (c) => c.channel === "email" && c.commercial !== false,
    check: (c) =>
      c.sender.physicalAddress?.trim() ? [] : [{ message: "a commercial email must include the sender's physical postal address (sender.physicalAddress)" }],
  },
  {
    id: "can-spam-unsubscribe",
    regulation: "CAN-SPAM",
    citation: "15 U.S.C. § 7704(a)(3), (a)(5)(A)(ii)",
    requirement: "Commercial email offers a working unsubscribe mechanism.",
    applies: (c) => c.channel === "email" && c.commercial !== false,
    check: (c) =>
      c.unsubscribeUrl?.trim() || UNSUBSCRIBE.test(c.text)
        ? []
        : [{ message: "a commercial email must offer a way to unsubscribe (unsubscribeUrl or an unsubscribe notice)" }],
  },
  {
    id: "gdpr-lawful-basis",
    regulation: "GDPR",
    citation: "Regulation (EU) 2016/679, Art. 6(1)",
    requirement:
      "Processing personal data of EU residents has a lawful basis under Art. 6(1); with consent as the basis, each recipient's consent is recorded.",
    applies: (c) => isEuRegion(c.region) || c.recipients.some((r) => isEuRegion(r.region)),
    check: (c) => {
      const basis = c.lawfulBasis?.trim();
      if (!basis) return [{ message: `EU residents' personal data needs a lawful basis (lawfulBasis: ${LAWFUL_BASES.join(", ")})` }];
      if (!(LAWFUL_BASES as readonly string[]).includes(basis))
        return [{ message: `"${basis}" is not a lawful basis under Art. 6(1) (${LAWFUL_BASES.join(", ")})` }];
      if (basis !== "consent") return [];
      return c.recipients.flatMap((r, i) =>
        (isEuRegion(r.region) || isEuRegion(c.region)) && !r.consent?.recorded
          ? [{ recipient: recipientName(r, i), message: `lawful basis is consent, but none is recorded for recipient ${recipientName(r, i)}` }]
          : [],
      );
    },
  },
  {
    id: "gdpr-special-category",
    regulation: "GDPR",
    citation: "Regulation (EU) 2016/679, Art. 9(1), 9(2)(a), 9(2)(d)",
    requirement:
      "A political message to EU residents processes data revealing political opinions (special-category data): it needs each recipient's explicit consent (lawfulBasis consent, recorded), unless the recipient is a member or regular contact of the sending political body (Art. 9(2)(d)).",
    applies: (c) => isPolitical(c) && euRecipients(c).length > 0,
    check: (c) =>
      euRecipients(c).flatMap(({ r, i }) => {
        if (r.member) return [];
        if (c.lawfulBasis?.trim() === "consent" && r.consent?.recorded && !r.consent.optedOut) return [];
        const why =
          c.lawfulBasis?.trim() && c.lawfulBasis.trim() !== "consent"
            ? `lawful basis ${c.lawfulBasis.trim()} does not lift Art. 9's prohibition`
            : "no explicit consent is recorded";
        return [
          {
            recipient: recipientName(r, i),
            message: `recipient ${recipientName(r, i)} is in the EU and a political message reveals political opinions: ${why} (explicit consent, or membership of the political body, is required)`,
          },
        ];
      }),
  },
  {
    id: "eprivacy-consent",
    regulation: "ePrivacy",
    citation: "Directive 2002/58/EC, Art. 13(1) and 13(3)",
    requirement:
      "Unsolicited electronic messages (email, SMS, WhatsApp) for political campaigning to EU recipients need their prior consent, and none after they object.",
    applies: (c) => isElectronicMail(c) && isPolitical(c) && euRecipients(c).length > 0,
    check: (c) =>
      euRecipients(c).flatMap(({ r, i }) =>
        r.consent?.recorded && !r.consent.optedOut
          ? []
          : [
              {
                recipient: recipientName(r, i),
                message: `recipient ${recipientName(r, i)} is in the EU: an electronic political message needs their prior consent${r.consent?.optedOut ? " (they have objected)" : ""}`,
              },
            ],
      ),
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
  if (!(CHANNELS as readonly string[]).includes(channel))
    throw new CheckInputError(`unknown channel ${JSON.stringify(c.channel)}: use one of ${CHANNELS.join(", ")}`);
  if (Number.isNaN(new Date(c.sendAt).getTime())) throw new CheckInputError("sendAt must be a valid time");
  senderType(c.sender ?? { name: "" });
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
