// Who may see what in intelligence (docs/architecture.md, "Campaign access"): a row with a campaign is
// seen by that campaign's members (admins see all); a row without one is private to its owner (and
// admins). Campaign-scoped calls check the role's `intelligence` permission first (403), then the
// campaign (404, like a missing one).
import { APIError } from "encore.dev/api";
import type { AuthData } from "~encore/auth";
import { campaigns } from "~encore/clients";
import { requireCampaignAccess } from "../shared/access";
import { requirePermission, type Action, type Caller } from "../shared/permissions";
import type { Visibility } from "./store";
import { isUuid } from "../shared/ids";

/** 400 unless `value` is a UUID (ids in paths, queries and bodies). */
export function requireUuid(value: string, what: string): void {
  if (!isUuid(value)) throw APIError.invalidArgument(`${what} must be a UUID`);
}

/** The caller may `action` intelligence within the campaign (403 for the role, 404 for a campaign they do not see). */
export async function campaignCaller(campaignId: string, action: Action): Promise<NonNullable<AuthData>> {
  const caller = requirePermission("intelligence", action);
  requireUuid(campaignId, "campaignId");
  await requireCampaign(caller, campaignId, action);
  return caller;
}

/** Refuses (404/403) a campaign the caller may not `action` intelligence on. */
export async function requireCampaign(caller: Caller, campaignId: string, action: Action): Promise<void> {
  requireCampaignAccess(caller, await campaigns.getCampaignAccess({ campaignId, userID: caller.userID }), "intelligence", action);
}

/** What the caller may see. */
export async function visibilityOf(caller: Caller): Promise<Visibility> {
  if (caller.role === "admin") return { all: true, userId: caller.userID, campaignIds: [] };
  const { campaignIds } = await campaigns.getUserCampaigns({ userID: caller.userID });
  return { all: false, userId: caller.userID, campaignIds };
}

/** Whether a row (its campaign, its owner) is visible. */
export function canSee(v: Visibility, campaignId: string | null, ownerId: string): boolean {
  if (v.all) return true;
  return campaignId ? v.campaignIds.includes(campaignId) : ownerId === v.userId;
}
