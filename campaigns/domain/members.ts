// Campaign members: the rules of a campaign's team. Pure. (Who may see or run a campaign is shared/access.ts.)
import type { MemberRole } from "../../shared/access";
import { roleAtLeast, type Role } from "../../shared/permissions";

/** Why `platformRole` cannot hold `memberRole` on a campaign, or null. */
export function memberRoleError(platformRole: Role, memberRole: MemberRole): string | null {
  if (memberRole === "manager" && !roleAtLeast(platformRole, "manager")) {
    return `a campaign manager must have the manager or admin role (this user is ${platformRole === "analyst" ? "an" : "a"} ${platformRole})`;
  }
  return null;
}

/**
 * Why a change of one member's role (null: removed) is refused, or null. A campaign always keeps a
 * manager, so that someone besides the admins can run it.
 */
export function teamChangeError(managers: number, before: MemberRole | null, after: MemberRole | null): string | null {
  if (before === "manager" && after !== "manager" && managers <= 1) {
    return after === null
      ? "cannot remove the campaign's last manager: make someone else a manager first"
      : "cannot demote the campaign's last manager: make someone else a manager first";
  }
  return null;
}
