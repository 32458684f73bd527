import { describe, expect, test } from "vitest";
import { normalizeEmail, removesLastAdmin, roleForNewAccount, toProfile } from "./accounts";

describe("account rules", () => {
  test("emails are compared trimmed and lower-cased", () => {
    expect(normalizeEmail("  Alice@Example.ORG ")).toBe("alice@example.org");
  });

  test("a self-registered account is admin only when the platform has no admin", () => {
    expect(roleForNewAccount("viewer", false, true)).toBe("admin");
    expect(roleForNewAccount("viewer", true, true)).toBe("viewer");
    expect(roleForNewAccount("analyst", false, false)).toBe("analyst");
  });

  test("the last admin cannot be demoted or deleted; other admins can", () => {
    expect(removesLastAdmin({ role: "admin" }, "manager", 1)).toBe(true);
    expect(removesLastAdmin({ role: "admin" }, null, 1)).toBe(true);
    expect(removesLastAdmin({ role: "admin" }, "manager", 2)).toBe(false);
    expect(removesLastAdmin({ role: "admin" }, "admin", 1)).toBe(false);
    expect(removesLastAdmin({ role: "viewer" }, null, 1)).toBe(false);
  });

  test("the profile carries the role's permissions and never the hash", () => {
    const now = new Date();
    const p = toProfile({
      id: "i",
      email: "e",
      name: "n",
      role: "viewer",
      sessionVersion: 1,
      createdAt: now,
      updatedAt: now,
      lastLoginAt: null,
      deletedAt: null,
    });
    expect(p.permissions).toContainEqual({ resource: "campaigns", actions: ["read"] });
    expect(Object.keys(p).sort()).toEqual(["createdAt", "email", "id", "lastLoginAt", "name", "permissions", "role"]);
  });
});
