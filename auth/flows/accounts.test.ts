// Account management and the first admin, against a fresh database of this file's own (no admin at first).
import "../../tests/fakes/auth-secrets";
import { describe, expect, test } from "vitest";
import { auth as authClient } from "~encore/clients";
import { createAccount, deleteAccount, DEFAULT_ADMIN_EMAIL, ensureFirstAdmin, getAccount, listAccounts, updateAccount } from "./accounts";
import * as store from "../store";

async function code(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => "ok",
    (err: { code?: string }) => err.code ?? String(err),
  );
}

describe("the first admin", () => {
  test("is created once, even when several processes start at the same time; later starts change nothing", async () => {
    const seeds = await Promise.all(Array.from({ length: 5 }, () => ensureFirstAdmin()));
    expect(seeds.filter((s) => s.kind === "created")).toHaveLength(1);
    const admin = await store.findLiveAccountByEmail(DEFAULT_ADMIN_EMAIL);
    expect(admin?.role).toBe("admin");
    expect((await ensureFirstAdmin()).kind).toBe("exists");
    const { accounts } = await listAccounts(200, 0);
    expect(accounts.filter((a) => a.role === "admin")).toHaveLength(1);
  });

  test("with an admin present, self-registration gives a viewer", async () => {
    const s = await authClient.register({ email: "early-bird@example.org", password: "Steady-Harbor-Lantern-42", name: "Early" });
    expect(s.user.role).toBe("viewer");
  });
});

describe("managing accounts", () => {
  test("create, read, rename, change role, list, delete", async () => {
    const admin = (await store.findLiveAccountByEmail(DEFAULT_ADMIN_EMAIL))!;
    const created = await createAccount({
      email: "Analyst@Example.org",
      password: "Steady-Harbor-Lantern-42",
      name: " Ana ",
      role: "analyst",
      actorId: admin.id,
    });
    expect(created).toMatchObject({ email: "analyst@example.org", name: "Ana", role: "analyst" });
    expect(await getAccount(created.id)).toEqual(created);
    const renamed = await updateAccount({ id: created.id, name: "Ana Lyst", actorId: admin.id });
    expect(renamed).toMatchObject({ name: "Ana Lyst", role: "analyst" });
    expect((await updateAccount({ id: created.id, role: "manager", actorId: admin.id })).role).toBe("manager");
    expect((await listAccounts(200, 0)).accounts.map((a) => a.id)).toContain(created.id);
    await deleteAccount(created.id, admin.id);
    expect(await code(getAccount(created.id))).toBe("not_found");
    expect((await listAccounts(200, 0)).accounts.map((a) => a.id)).not.toContain(created.id);
    // The email is free again after deletion.
    const again = await createAccount({
      email: "analyst@example.org",
      password: "Steady-Harbor-Lantern-42",
      name: "New Ana",
      role: "viewer",
      actorId: admin.id,
    });
    expect(again.id).not.toBe(created.id);
  });

  test("unknown and malformed ids are 404, a taken email 409", async () => {
    expect(await code(getAccount("not-a-uuid"))).toBe("not_found");
    expect(await code(getAccount("00000000-0000-4000-8000-000000000000"))).toBe("not_found");
    expect(await code(updateAccount({ id: "00000000-0000-4000-8000-000000000000", name: "x", actorId: "a" }))).toBe("not_found");
    expect(await code(deleteAccount("nope", "a"))).toBe("not_found");
    expect(await code(createAccount({ email: DEFAULT_ADMIN_EMAIL, password: "Steady-Harbor-Lantern-42", name: "Dup", role: "viewer", actorId: "a" }))).toBe(
      "already_exists",
    );
  });

  test("the last admin can be neither demoted nor deleted; with two, one can", async () => {
    const admin = (await store.findLiveAccountByEmail(DEFAULT_ADMIN_EMAIL))!;
    expect(await code(updateAccount({ id: admin.id, role: "manager", actorId: admin.id }))).toBe("failed_precondition");
    expect(await code(deleteAccount(admin.id, admin.id))).toBe("failed_precondition");
    const second = await createAccount({
      email: "second-admin@example.org",
      password: "Steady-Harbor-Lantern-42",
      name: "Second",
      role: "admin",
      actorId: admin.id,
    });
    // Both demoted at once: the lock lets one through and refuses the other.
    const results = await Promise.all([
      code(updateAccount({ id: admin.id, role: "manager", actorId: second.id })),
      code(updateAccount({ id: second.id, role: "manager", actorId: admin.id })),
    ]);
    expect(results.sort()).toEqual(["failed_precondition", "ok"]);
    expect((await listAccounts(200, 0)).accounts.filter((a) => a.role === "admin")).toHaveLength(1);
  });
});
