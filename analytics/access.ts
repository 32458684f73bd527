// The checks of analytics' endpoints (docs/architecture.md, "Campaign access"): the caller's role has
// the `analytics` permission (else 403, before any campaign is looked at), then the caller may see
// the campaign (else 404, like a missing campaign). Without a campaign, the caller's campaigns:
// admins every campaign with figures, everyone else the campaigns they are members of.
import { campaigns } from "~encore/clients";
import type { AuthData } from "~encore/auth";
import { requireCampaignAccess } from "../shared/access";
import { requirePermission, type Action, type Caller } from "../shared/permissions";
import * as store from "./store";

/** The most campaigns one summary covers. */
const MAX_CAMPAIGNS = 500;

/** Refuses the caller unless they may `action` analytics on the campaign (403 / 404). */
export async function requireCampaign(caller: Caller, campaignId: string, action: Action): Promise<void> {
  requireCampaignAccess(caller, await campaigns.getCampaignAccess({ campaignId, userID: caller.userID }), "analytics", action);
}

/** The signed-in caller, if their role may `action` analytics and they may see the campaign. */
export async function campaignCaller(campaignId: string, action: Action): Promise<NonNullable<AuthData>> {
  const caller = requirePermission("analytics", action);
  await requireCampaign(caller, campaignId, action);
  return caller;
}

/** The campaigns a window read covers: the one asked for (checked), or all the caller may see. */
export async function windowCampaigns(campaignId: string | undefined, first: string, last: string): Promise<string[]> {
  const caller = requirePermission("analytics", "read");
  if (campaignId) {
    await requireCampaign(caller, campaignId, "read");
    return [campaignId];
  }
  if (caller.role === "admin") return store.campaignsWithData(first, last, MAX_CAMPAIGNS);
  return (await campaigns.getUserCampaigns({ userID: caller.userID })).campaignIds.slice(0, MAX_CAMPAIGNS);
}
