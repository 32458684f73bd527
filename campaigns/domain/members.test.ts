import { describe, expect, test } from "vitest";
import { memberRoleError, teamChangeError } from "./members";

describe("a campaign's team", () => {
  test("only managers and admins can be campaign managers; anyone can be a member", () => {
    expect(memberRoleError("admin", "manager")).toBeNull();
    expect(memberRoleError("manager", "manager")).toBeNull();
    expect(memberRoleError("analyst", "manager")).toBe("a campaign manager must have the manager or admin role (this user is an analyst)");
    expect(memberRoleError("viewer", "manager")).toContain("a viewer");
    expect(memberRoleError("viewer", "member")).toBeNull();
  });

  test("the last manager can be neither removed nor demoted", () => {
    expect(teamChangeError(1, "manager", null)).toContain("cannot remove the campaign's last manager");
    expect(teamChangeError(1, "manager", "member")).toContain("cannot demote the campaign's last manager");
    expect(teamChangeError(2, "manager", null)).toBeNull();
    expect(teamChangeError(1, "member", null)).toBeNull();
    expect(teamChangeError(1, null, "member")).toBeNull();
    expect(teamChangeError(1, "manager", "manager")).toBeNull();
  });
});
