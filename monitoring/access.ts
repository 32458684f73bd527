// The two checks of every campaign-scoped monitoring endpoint (docs/architecture.md,
// "Campaign access"): the caller's role has the `monitoring` permission (else 403, before the campaign is
// looked at), then the caller may see the campaign (else 404, like a missing campaign).
import { APIError } from "encore.dev/api";
import { campaigns } from "~encore/clients";
import type { CampaignScope } from "./store";
import type { AuthData } from "~encore/auth";
import { requireCampaignAccess } from "../shared/access";
import { requirePermission, type Action, type Caller } from "../shared/permissions";

/** The signed-in caller, if their role may `action` monitoring and they may see the campaign. */
export async function campaignCaller(campaignId: string, action: Action): Promise<NonNullable<AuthData>> {
  const caller = requirePermission("monitoring", action);
  requireCampaignAccess(caller, await campaigns.getCampaignAccess({ campaignId, userID: caller.userID }), "monitoring", action);
  return caller;
}

/** Whether the caller may still `action` monitoring on the campaign (a live stream re-checks on every heartbeat). */
export async function stillAllowed(caller: Caller, campaignId: string, action: Action): Promise<boolean> {
  try {
    requireCampaignAccess(caller, await campaigns.getCampaignAccess({ campaignId, userID: caller.userID }), "monitoring", action);
    return true;
  } catch (err) {
    const code = (err as { code?: string }).code;
    // Only a refusal ends a stream; campaigns being briefly unreachable does not.
    return code !== "not_found" && code !== "permission_denied";
  }
}

/** 404 unless the campaign exists (internal endpoints, which have no caller). */
export async function requireCampaign(campaignId: string): Promise<void> {
  const access = await campaigns.getCampaignAccess({ campaignId, userID: "" });
  if (!access.exists) throw APIError.notFound("campaign not found");
}

/**
 * The campaigns a cross-campaign read covers (the seed's monitoring queries take no campaign): the
 * one asked for (checked as above), else every campaign the caller may see: null (all) for admins,
 * the campaigns they are members of for everyone else.
 */
export async function readScope(campaignId: string | undefined): Promise<CampaignScope> {
  if (campaignId !== undefined) {
    await campaignCaller(campaignId, "read");
    return [campaignId];
  }
  const caller = requirePermission("monitoring", "read");
  if (caller.role === "admin") return null;
  return (await campaigns.getUserCampaigns({ userID: caller.userID })).campaignIds;
}
