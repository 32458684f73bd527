// Helpers for tests that call endpoints in process through `~encore/clients` (type imports only:
// importing this file loads no service, so a test can still set env vars before importing the app).
import type { UserProfile } from "../auth/model";
import type { CreateCampaignRequest } from "../campaigns/model";

/** An account as the auth and users endpoints return it. */
export type Profile = UserProfile;

/** The call options that make `u` the caller (the auth data the gateway would build for them). */
export const as = (u: Pick<UserProfile, "id" | "email" | "role" | "permissions">) => ({
  authData: { userID: u.id, email: u.email, role: u.role, permissions: u.permissions },
});

/** "ok" when `p` resolves, else the error's code (APIError), else the error as text. */
export function code(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => "ok",
    (err: { code?: string }) => err.code ?? String(err),
  );
}

/**
 * A valid CreateCampaignRequest: "Rivera", 2026-01-01 to 2026-12-01, budget 1000, ages 18-65 of
 * every gender; `overrides` replace top-level fields.
 */
export function campaignRequest(overrides: Partial<CreateCampaignRequest> = {}): CreateCampaignRequest {
  return {
    name: "Rivera",
    description: "",
    startDate: new Date("2026-01-01T00:00:00Z"),
    endDate: new Date("2026-12-01T00:00:00Z"),
    budget: 1000,
    targetAudience: {
      demographics: { ageRange: { min: 18, max: 65 }, gender: ["all"], income: "", education: "" },
      interests: [],
      locations: [],
      platforms: [],
    },
    ...overrides,
  };
}
