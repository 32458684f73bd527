// The audit log's subscription: events stored once, whatever the delivery count.
import "../tests/fakes/auth-secrets";
import { describe, expect, test } from "vitest";
import { auth, users } from "~encore/clients";
import { auditEventsFor } from "./store";
import { recordAuditEvent } from "./subscriptions";

describe("the audit log", () => {
  test("a user change produces exactly one stored row, even when its message is delivered twice", async () => {
    const admin = await auth.register({ email: "admin@example.org", password: "Steady-Harbor-Lantern-42", name: "Admin" });
    const authData = { userID: admin.user.id, email: admin.user.email, role: admin.user.role, permissions: admin.user.permissions };
    const { user } = await users.createUser({ email: "v@example.org", password: "Steady-Harbor-Lantern-42", name: "V", role: "viewer" }, { authData });
    await users.updateUser({ id: user.id, role: "analyst" }, { authData });

    const updates = async () => (await auditEventsFor("user", user.id)).filter((e) => e.action === "user.updated");
    await expect.poll(async () => (await updates()).length, { timeout: 15_000 }).toBe(1);
    const [event] = await updates();
    expect(event).toMatchObject({ actorId: admin.user.id, service: "auth", details: { before: { role: "viewer" }, after: { role: "analyst" } } });

    // At-least-once delivery: the same message again (same id) is a no-op.
    await recordAuditEvent(event);
    await recordAuditEvent({ ...event });
    expect(await updates()).toHaveLength(1);
  });
});
