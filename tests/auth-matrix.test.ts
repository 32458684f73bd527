// The permission matrix: every role against every protected endpoint that exists so far, plus an
// anonymous caller. A row names the endpoint (and the case), the lowest role allowed (null: no role
// may), and how to call it as someone. Services add their rows here as they land.
import "./fakes/auth-secrets";
import { beforeAll, describe, expect, test } from "vitest";
import { auth, users } from "~encore/clients";
import { ROLES, roleAtLeast, type Role } from "../shared/permissions";

const PASSWORD = "matrix-password-1";
type Session = Awaited<ReturnType<typeof auth.register>>;
type As = { authData: { userID: string; email: string; role: Role; permissions: { resource: string; actions: string[] }[] } } | undefined;

/** The users a call may need: the caller's own id, and a fresh victim made for this call. */
interface Ctx {
  self: string;
  role: Role;
  other: () => Promise<string>;
}

interface Row {
  endpoint: string;
  minRole: Role | null;
  call: (ctx: Ctx, as: As) => Promise<unknown>;
}

let n = 0;
let admin: Session;
const sessions = new Map<Role, Session>();

async function newUser(role: Role): Promise<Session> {
  const email = `matrix-${role}-${++n}@example.org`;
  await users.createUser({ email, password: PASSWORD, name: `${role} ${n}`, role }, as(admin));
  return auth.login({ email, password: PASSWORD });
}

function as(s: Session): As {
  return { authData: { userID: s.user.id, email: s.user.email, role: s.user.role, permissions: s.user.permissions } };
}

const ROWS: Row[] = [
  { endpoint: "GET /api/v1/auth/me", minRole: "viewer", call: (_c, a) => auth.me(a) },
  { endpoint: "POST /api/v1/auth/logout", minRole: "viewer", call: (_c, a) => auth.logout(a) },
  { endpoint: "POST /api/v1/auth/password", minRole: "viewer", call: (_c, a) => auth.changePassword({ currentPassword: PASSWORD, newPassword: PASSWORD }, a) },
  { endpoint: "GET /api/v1/users", minRole: "manager", call: (_c, a) => users.getUsers({}, a) },
  { endpoint: "GET /api/v1/users/:id (self)", minRole: "viewer", call: (c, a) => users.getUserById({ id: c.self }, a) },
  { endpoint: "GET /api/v1/users/:id (other)", minRole: "manager", call: async (c, a) => users.getUserById({ id: await c.other() }, a) },
  { endpoint: "POST /api/v1/users (viewer)", minRole: "admin", call: (_c, a) => users.createUser({ email: `created-${++n}@example.org`, password: PASSWORD, name: "C", role: "viewer" }, a) },
  { endpoint: "PUT /api/v1/users/:id (own name)", minRole: "viewer", call: (c, a) => users.updateUser({ id: c.self, name: `Renamed ${++n}` }, a) },
  { endpoint: "PUT /api/v1/users/:id (own role → another)", minRole: null, call: (c, a) => users.updateUser({ id: c.self, role: c.role === "admin" ? "viewer" : "admin" }, a) },
  { endpoint: "PUT /api/v1/users/:id (other's name)", minRole: "admin", call: async (c, a) => users.updateUser({ id: await c.other(), name: "Changed" }, a) },
  { endpoint: "PUT /api/v1/users/:id (other's role)", minRole: "admin", call: async (c, a) => users.updateUser({ id: await c.other(), role: "analyst" }, a) },
  { endpoint: "DELETE /api/v1/users/:id (other)", minRole: "admin", call: async (c, a) => users.deleteUser({ id: await c.other() }, a) },
];

async function outcome(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => "ok",
    (err: { code?: string }) => err.code ?? String(err),
  );
}

beforeAll(async () => {
  admin = await auth.register({ email: "matrix-admin@example.org", password: PASSWORD, name: "Admin" });
  sessions.set("admin", await newUser("admin"));
  for (const role of ["manager", "analyst", "viewer"] as const) sessions.set(role, await newUser(role));
});

const other = async () => (await newUser("viewer")).user.id;

describe.each(ROWS)("$endpoint", (row) => {
  test.each(ROLES.map((role) => ({ role })))("as $role", async ({ role }) => {
    const s = sessions.get(role)!;
    const expected = row.minRole !== null && roleAtLeast(role, row.minRole) ? "ok" : "permission_denied";
    expect(await outcome(row.call({ self: s.user.id, role, other }, as(s)))).toBe(expected);
  });

  test("anonymous: 401", async () => {
    expect(await outcome(row.call({ self: admin.user.id, role: "admin", other }, undefined))).toBe("unauthenticated");
  });
});
