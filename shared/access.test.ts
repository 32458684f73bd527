import { describe, expect, test } from "vitest";
import {
  canManageCampaign,
  canSeeCampaign,
  decideCampaignAccess,
  decideCampaignManagement,
  requireCampaignAccess,
  type CampaignAccessView,
  type MemberRole,
} from "./access";
import { ROLES, type Role } from "./permissions";

const caller = (role: Role) => ({ userID: `u-${role}`, role });
type Standing = "manager" | "member" | "non-member";
const STANDINGS: Standing[] = ["manager", "member", "non-member"];
const memberRoleOf = (s: Standing): MemberRole | null => (s === "non-member" ? null : s);
const view = (s: Standing): CampaignAccessView => ({ exists: true, memberRole: memberRoleOf(s) });

// The expected matrix, role × standing with the campaign. Keep it literal: it is the policy as a reader sees it.
const SEES: Record<Role, Record<Standing, boolean>> = {
  admin: { manager: true, member: true, "non-member": true },
  manager: { manager: true, member: true, "non-member": false },
  analyst: { manager: true, member: true, "non-member": false },
  viewer: { manager: true, member: true, "non-member": false },
};
const MANAGES: Record<Role, Record<Standing, boolean>> = {
  admin: { manager: true, member: true, "non-member": true },
  manager: { manager: true, member: false, "non-member": false },
  // A campaign "manager" membership does not lift a role that may not update campaigns.
  analyst: { manager: false, member: false, "non-member": false },
  viewer: { manager: false, member: false, "non-member": false },
};

describe("campaign access: role × membership", () => {
  for (const role of ROLES) {
    for (const standing of STANDINGS) {
      test(`${role}, ${standing}: sees ${SEES[role][standing]}, manages ${MANAGES[role][standing]}`, () => {
        expect(canSeeCampaign(caller(role), memberRoleOf(standing))).toBe(SEES[role][standing]);
        expect(canManageCampaign(caller(role), memberRoleOf(standing))).toBe(MANAGES[role][standing]);
      });
    }
  }

  test("an unknown role sees and manages nothing", () => {
    const odd = { userID: "u", role: "owner" as Role };
    expect(canSeeCampaign(odd, "manager")).toBe(false);
    expect(canManageCampaign(odd, "manager")).toBe(false);
    expect(decideCampaignAccess(odd, view("manager"), "campaigns", "read")).toMatchObject({ allowed: false, code: "permission_denied" });
  });
});

describe("decisions for campaign-scoped calls", () => {
  test("a member reads with their role's permission; a non-member is told the campaign does not exist", () => {
    expect(decideCampaignAccess(caller("viewer"), view("member"), "monitoring", "read")).toEqual({ allowed: true });
    expect(decideCampaignAccess(caller("viewer"), view("non-member"), "monitoring", "read")).toEqual({
      allowed: false,
      code: "not_found",
      message: "campaign not found",
    });
    expect(decideCampaignAccess(caller("admin"), view("non-member"), "monitoring", "read")).toEqual({ allowed: true });
  });

  test("a missing campaign and a hidden one get the same answer", () => {
    const missing = decideCampaignAccess(caller("manager"), { exists: false, memberRole: null }, "campaigns", "update");
    const hidden = decideCampaignAccess(caller("manager"), view("non-member"), "campaigns", "update");
    expect(missing).toEqual(hidden);
    expect(decideCampaignAccess(caller("admin"), { exists: false, memberRole: null }, "campaigns", "read")).toMatchObject({ code: "not_found" });
  });

  test("a role without the permission is refused before the campaign is considered (403 leaks nothing)", () => {
    for (const standing of STANDINGS) {
      expect(decideCampaignAccess(caller("viewer"), view(standing), "campaigns", "update")).toMatchObject({ allowed: false, code: "permission_denied" });
    }
    expect(decideCampaignAccess(caller("viewer"), { exists: false, memberRole: null }, "campaigns", "update")).toMatchObject({ code: "permission_denied" });
  });

  test("managing the team: 404 for a campaign one cannot see, 403 for a plain member", () => {
    expect(decideCampaignManagement(caller("manager"), view("non-member"))).toMatchObject({ allowed: false, code: "not_found" });
    expect(decideCampaignManagement(caller("manager"), view("member"))).toMatchObject({ allowed: false, code: "permission_denied" });
    expect(decideCampaignManagement(caller("manager"), view("manager"))).toEqual({ allowed: true });
    expect(decideCampaignManagement(caller("admin"), { exists: false, memberRole: null })).toMatchObject({ code: "not_found" });
  });

  test("requireCampaignAccess throws Encore's errors", () => {
    expect(() => requireCampaignAccess(caller("analyst"), view("non-member"), "campaigns", "read")).toThrow(expect.objectContaining({ code: "not_found" }));
    expect(() => requireCampaignAccess(caller("analyst"), view("member"), "campaigns", "update")).toThrow(
      expect.objectContaining({ code: "permission_denied" }),
    );
    expect(() => requireCampaignAccess(caller("analyst"), view("member"), "campaigns", "read")).not.toThrow();
  });
});
