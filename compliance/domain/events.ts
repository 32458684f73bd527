// Facts derived from an audit event (pure).

/** The campaign an event concerns, if any: a campaign target, or a campaignId in its details. */
export function campaignOf(targetType: string, targetId: string, details: Record<string, unknown>): string | null {
  if (targetType === "campaign") return targetId;
  return typeof details.campaignId === "string" && details.campaignId ? details.campaignId : null;
}
