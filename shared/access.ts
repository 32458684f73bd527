// Campaign access: who may see and who may run a campaign (docs/architecture.md, "Campaign access").
// Pure: every campaign-scoped endpoint, in every service, fetches the caller's membership (campaigns'
// internal `getCampaignAccess`) and asks these functions.
//
//   const access = await campaigns.getCampaignAccess({ campaignId, userID: caller.userID });
//   requireCampaignAccess(caller, access, "monitoring", "read");
//
// The rule: admins see every campaign; everyone else sees only the campaigns they are members of.
// What a caller may DO on a campaign they see is their role's permission (shared/permissions.ts);
// a member whose membership role is "manager" (and whose platform role may update campaigns) also
// runs the campaign's team.
import { APIError } from "encore.dev/api";
import { can, isRole, type Action, type Caller, type Resource } from "./permissions";

/** A member's role within one campaign: managers run the team, members work on it. */
export type MemberRole = "manager" | "member";

/** A caller's standing with one campaign, as campaigns' `getCampaignAccess` reports it. */
export interface CampaignAccessView {
  /** False when there is no such campaign. */
  exists: boolean;
  /** The caller's membership role, or null when they are not a member. */
  memberRole: MemberRole | null;
}

/** True when the caller may know the campaign exists: admins always, others when they are members. */
export function canSeeCampaign(caller: Caller, memberRole: MemberRole | null): boolean {
  if (!isRole(caller.role)) return false;
  return caller.role === "admin" || memberRole !== null;
}

/**
 * True when the caller may run the campaign's team (list, add, remove members): admins, and the
 * campaign's managers while their platform role may still update campaigns (a demoted user loses it).
 */
export function canManageCampaign(caller: Caller, memberRole: MemberRole | null): boolean {
  if (!isRole(caller.role)) return false;
  if (caller.role === "admin") return true;
  return memberRole === "manager" && can(caller.role, "campaigns", "update");
}

/** The verdict on one campaign-scoped call. */
export type AccessDecision =
  | { allowed: true }
  /** not_found: the caller may not know the campaign exists (or it does not); permission_denied: they see it but may not do this. */
  | { allowed: false; code: "not_found" | "permission_denied"; message: string };

/**
 * The decision for `action` on `resource` within a campaign. In this order, so that nothing leaks:
 * a role without the permission is refused before the campaign is looked at (403 says nothing
 * about the campaign); a campaign the caller may not see is "not found", exactly like a missing one.
 */
export function decideCampaignAccess(caller: Caller, view: CampaignAccessView, resource: Resource, action: Action): AccessDecision {
  if (!isRole(caller.role) || !can(caller.role, resource, action)) {
    return { allowed: false, code: "permission_denied", message: `your role (${caller.role}) may not ${action} ${resource}` };
  }
  if (!view.exists || !canSeeCampaign(caller, view.memberRole)) {
    return { allowed: false, code: "not_found", message: "campaign not found" };
  }
  return { allowed: true };
}

/** The decision for running a campaign's team: 404 for a campaign the caller does not see, 403 for a member who is not its manager. */
export function decideCampaignManagement(caller: Caller, view: CampaignAccessView): AccessDecision {
  if (!view.exists || !canSeeCampaign(caller, view.memberRole)) {
    return { allowed: false, code: "not_found", message: "campaign not found" };
  }
  if (!canManageCampaign(caller, view.memberRole)) {
    return { allowed: false, code: "permission_denied", message: "only admins and the campaign's managers may manage its members" };
  }
  return { allowed: true };
}

/** Throws the decision's APIError (404 or 403) unless it allows the call. */
export function enforceAccess(decision: AccessDecision): void {
  if (decision.allowed) return;
  throw decision.code === "not_found" ? APIError.notFound(decision.message) : APIError.permissionDenied(decision.message);
}

/** Refuses the call unless the caller may do `action` on `resource` within the campaign (see decideCampaignAccess). */
export function requireCampaignAccess(caller: Caller, view: CampaignAccessView, resource: Resource, action: Action): void {
  enforceAccess(decideCampaignAccess(caller, view, resource, action));
}

/** Refuses the call unless the caller may run the campaign's team (see decideCampaignManagement). */
export function requireCampaignManagement(caller: Caller, view: CampaignAccessView): void {
  enforceAccess(decideCampaignManagement(caller, view));
}
