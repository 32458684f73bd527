// The alert vocabulary monitoring's detector and alerting's incidents share (one definition).

/** What kind of alert: the seed's five types. */
export type AlertType = "CRISIS" | "SENTIMENT" | "MENTION_SPIKE" | "ENGAGEMENT_DROP" | "COMPETITOR";

/** How severe, lowest first. */
export type Severity = "LOW" | "MEDIUM" | "HIGH" | "CRITICAL";
