// users' endpoints through the generated clients (auth data and schemas enforced), over auth's
// accounts in this file's own database.
import "../tests/fakes/auth-secrets";
import { beforeAll, describe, expect, test } from "vitest";
import { auth, users } from "~encore/clients";
import type { Role } from "../shared/permissions";
import { code } from "../tests/inproc";

const PASSWORD = "password-for-tests";
type Session = Awaited<ReturnType<typeof auth.register>>;

function authData(s: Session) {
  return { authData: { userID: s.user.id, email: s.user.email, role: s.user.role, permissions: s.user.permissions } };
}

let n = 0;
let admin: Session;

async function userWithRole(role: Role): Promise<Session> {
  const email = `u${++n}@example.org`;
  await users.createUser({ email, password: PASSWORD, name: `User ${n}`, role }, authData(admin));
  return auth.login({ email, password: PASSWORD });
}

beforeAll(async () => {
  admin = await auth.register({ email: "admin@example.org", password: PASSWORD, name: "Admin" });
});

describe("user management", () => {
  test("an admin creates, lists, reads, updates and deletes users", async () => {
    const { user } = await users.createUser({ email: "New.Person@Example.org", password: PASSWORD, name: "New Person", role: "manager" }, authData(admin));
    expect(user).toMatchObject({ email: "new.person@example.org", name: "New Person", role: "manager", lastLoginAt: null });
    expect((await users.getUsers({}, authData(admin))).users.map((u) => u.id)).toContain(user.id);
    expect((await users.getUserById({ id: user.id }, authData(admin))).user).toEqual(user);
    const updated = await users.updateUser({ id: user.id, name: "Renamed", role: "analyst" }, authData(admin));
    expect(updated.user).toMatchObject({
      name: "Renamed",
      role: "analyst",
      permissions: expect.arrayContaining([{ resource: "analytics", actions: ["read", "create"] }]),
    });
    expect(await users.deleteUser({ id: user.id }, authData(admin))).toEqual({ success: true });
    expect(await code(users.getUserById({ id: user.id }, authData(admin)))).toBe("not_found");
  });

  test("lists are paged, newest first, with the total", async () => {
    for (let i = 0; i < 3; i++) await userWithRole("viewer");
    const page = await users.getUsers({ limit: 2, offset: 0 }, authData(admin));
    expect(page.users).toHaveLength(2);
    expect(page.total).toBeGreaterThanOrEqual(4);
    expect(page.users[0].createdAt.getTime()).toBeGreaterThanOrEqual(page.users[1].createdAt.getTime());
    expect(await code(users.getUsers({ limit: 500 }, authData(admin)))).toBe("invalid_argument");
  });

  test("anyone reads and renames themselves, but cannot change their own role", async () => {
    const viewer = await userWithRole("viewer");
    expect((await users.getUserById({ id: viewer.user.id }, authData(viewer))).user.id).toBe(viewer.user.id);
    expect((await users.updateUser({ id: viewer.user.id, name: "Me, renamed" }, authData(viewer))).user.name).toBe("Me, renamed");
    expect(await code(users.updateUser({ id: viewer.user.id, role: "admin" }, authData(viewer)))).toBe("permission_denied");
    expect(await code(users.updateUser({ id: admin.user.id, role: "viewer" }, authData(admin)))).toBe("permission_denied");
  });

  test("a viewer cannot read or change anyone else; a manager reads but does not change", async () => {
    const viewer = await userWithRole("viewer");
    const manager = await userWithRole("manager");
    expect(await code(users.getUserById({ id: admin.user.id }, authData(viewer)))).toBe("permission_denied");
    expect(await code(users.updateUser({ id: admin.user.id, name: "Pwned" }, authData(viewer)))).toBe("permission_denied");
    expect((await users.getUserById({ id: viewer.user.id }, authData(manager))).user.id).toBe(viewer.user.id);
    expect(await code(users.updateUser({ id: viewer.user.id, name: "x" }, authData(manager)))).toBe("permission_denied");
    expect(await code(users.createUser({ email: "x@example.org", password: PASSWORD, name: "X", role: "viewer" }, authData(manager)))).toBe(
      "permission_denied",
    );
  });

  test("deleting a user ends their sessions; admins cannot delete themselves or the last admin", async () => {
    const victim = await userWithRole("analyst");
    await users.deleteUser({ id: victim.user.id }, authData(admin));
    expect(await code(auth.refreshToken({ refreshToken: victim.refreshToken }))).toBe("unauthenticated");
    expect(await code(auth.login({ email: victim.user.email, password: PASSWORD }))).toBe("unauthenticated");
    expect(await code(users.deleteUser({ id: admin.user.id }, authData(admin)))).toBe("permission_denied");
    // Another admin cannot remove the first while it is the last one either... once there are two, they can.
    const second = await userWithRole("admin");
    expect(await code(users.deleteUser({ id: admin.user.id }, authData(second)))).toBe("ok");
    expect(await code(users.deleteUser({ id: second.user.id }, authData(second)))).toBe("permission_denied");
    admin = second;
  });

  test("unknown users are 404; a taken email 409; bad input 400", async () => {
    expect(await code(users.getUserById({ id: "00000000-0000-4000-8000-000000000000" }, authData(admin)))).toBe("not_found");
    expect(await code(users.deleteUser({ id: "nope" }, authData(admin)))).toBe("not_found");
    expect(await code(users.createUser({ email: admin.user.email, password: PASSWORD, name: "Dup", role: "viewer" }, authData(admin)))).toBe("already_exists");
    expect(await code(users.createUser({ email: "bad", password: PASSWORD, name: "X", role: "viewer" }, authData(admin)))).toBe("invalid_argument");
    expect(await code(users.createUser({ email: "ok@example.org", password: PASSWORD, name: "X", role: "superuser" as Role }, authData(admin)))).toBe(
      "invalid_argument",
    );
  });

  test("every endpoint needs a signed-in caller", async () => {
    expect(await code(users.getUsers({}))).toBe("unauthenticated");
    expect(await code(users.getUserById({ id: admin.user.id }))).toBe("unauthenticated");
  });
});
