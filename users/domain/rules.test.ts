import { describe, expect, test } from "vitest";
import { ROLES, type Role } from "../../shared/permissions";
import { canCreate, canDelete, canDeleteAtAll, canRead, canUpdate, canUpdateAtAll } from "./rules";

const actor = (role: Role, userID = `${role}-id`) => ({ userID, role });
const allowed = { allowed: true };
const refused = expect.objectContaining({ allowed: false, code: "permission_denied" });

describe("reading users", () => {
  test("anyone reads their own profile; others need users:read (managers and admins)", () => {
    for (const role of ROLES) expect(canRead(actor(role), `${role}-id`)).toEqual(allowed);
    expect(canRead(actor("viewer"), "someone")).toEqual(refused);
    expect(canRead(actor("analyst"), "someone")).toEqual(refused);
    expect(canRead(actor("manager"), "someone")).toEqual(allowed);
  });
});

describe("creating users", () => {
  test("only admins create users, and nobody above their own role", () => {
    expect(canCreate(actor("admin"), "admin")).toEqual(allowed);
    expect(canCreate(actor("manager"), "viewer")).toEqual(refused);
  });
});

describe("changing users", () => {
  const target = (role: Role, id = "target") => ({ id, role });

  test("anyone may rename themselves, nobody may change their own role", () => {
    for (const role of ROLES) {
      expect(canUpdateAtAll(actor(role), `${role}-id`)).toEqual(allowed);
      expect(canUpdate(actor(role), target(role, `${role}-id`), { name: "New" })).toEqual(allowed);
      expect(canUpdate(actor(role), target(role, `${role}-id`), { name: "New", role })).toEqual(allowed); // unchanged role
    }
    expect(canUpdate(actor("viewer"), target("viewer", "viewer-id"), { role: "admin" })).toEqual(refused);
    expect(canUpdate(actor("admin"), target("admin", "admin-id"), { role: "viewer" })).toEqual(refused);
  });

  test("changing someone else needs users:update, and role changes users:manage (admins)", () => {
    for (const role of ["viewer", "analyst", "manager"] as const) {
      expect(canUpdateAtAll(actor(role), "target")).toEqual(refused);
      expect(canUpdate(actor(role), target("viewer"), { name: "x" })).toEqual(refused);
    }
    expect(canUpdate(actor("admin"), target("viewer"), { name: "x", role: "manager" })).toEqual(allowed);
    expect(canUpdate(actor("admin"), target("admin"), { role: "viewer" })).toEqual(allowed);
  });
});

describe("deleting users", () => {
  test("only admins delete, never themselves", () => {
    expect(canDelete(actor("admin"), { id: "target", role: "admin" })).toEqual(allowed);
    expect(canDeleteAtAll(actor("admin"), "admin-id")).toEqual(refused);
    for (const role of ["viewer", "analyst", "manager"] as const) expect(canDeleteAtAll(actor(role), "target")).toEqual(refused);
  });
});
