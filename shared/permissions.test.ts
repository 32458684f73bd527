import { describe, expect, test } from "vitest";
import { authorize, can, permissionsFor, roleAtLeast, ROLES, RESOURCES } from "./permissions";

describe("the permission policy", () => {
  test("admin may do everything on every resource", () => {
    for (const r of RESOURCES) for (const a of ["read", "create", "update", "delete", "manage"] as const) expect(can("admin", r, a)).toBe(true);
  });

  test("each role has no more than the role above it", () => {
    for (let i = 1; i < ROLES.length; i++) {
      for (const r of RESOURCES) {
        for (const a of ["read", "create", "update", "delete", "manage"] as const) {
          if (can(ROLES[i], r, a)) expect(can(ROLES[i - 1], r, a), `${ROLES[i - 1]} ${a} ${r}`).toBe(true);
        }
      }
    }
  });

  test("viewers only read; nobody but admins manages users", () => {
    for (const r of RESOURCES) for (const a of ["create", "update", "delete", "manage"] as const) expect(can("viewer", r, a)).toBe(false);
    expect(ROLES.filter((role) => can(role, "users", "manage"))).toEqual(["admin"]);
  });

  test("roles are ordered admin > manager > analyst > viewer", () => {
    expect(roleAtLeast("admin", "manager")).toBe(true);
    expect(roleAtLeast("analyst", "manager")).toBe(false);
    expect(roleAtLeast("viewer", "viewer")).toBe(true);
  });

  test("permissionsFor lists the seed's {resource, actions} for the role", () => {
    expect(permissionsFor("viewer")).toContainEqual({ resource: "campaigns", actions: ["read"] });
    expect(permissionsFor("viewer").some((p) => p.resource === "users")).toBe(false);
  });

  test("authorize: 401 without a caller, 403 without the permission, the caller otherwise", () => {
    expect(() => authorize(null, "campaigns", "read")).toThrow(expect.objectContaining({ code: "unauthenticated" }));
    expect(() => authorize({ userID: "u", role: "viewer" }, "campaigns", "create")).toThrow(expect.objectContaining({ code: "permission_denied" }));
    expect(authorize({ userID: "u", role: "manager" }, "campaigns", "create").userID).toBe("u");
  });
});
