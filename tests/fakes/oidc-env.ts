// Starts a fake OpenID Connect provider and points OIDC_PROVIDERS at it, before any app module is
// imported (secrets are read when auth loads): import this file first in in-process OIDC tests.
// Provider "fake" admits campaign.example (new accounts: analyst); "narrow" admits only narrow.example.
import { startFakeOidc } from "./oidc";

export const fake = await startFakeOidc();

export const REDIRECT_URI = "http://127.0.0.1/api/v1/auth/oauth/fake/callback";

process.env.OIDC_PROVIDERS = JSON.stringify([
  {
    id: "fake",
    name: "Fake IdP",
    issuer: fake.issuer,
    clientId: fake.clientId,
    clientSecret: fake.clientSecret,
    redirectUri: REDIRECT_URI,
    allowedDomains: ["campaign.example"],
    defaultRole: "analyst",
  },
  {
    id: "narrow",
    name: "Narrow IdP",
    issuer: fake.issuer,
    clientId: fake.clientId,
    clientSecret: fake.clientSecret,
    redirectUri: "http://127.0.0.1/api/v1/auth/oauth/narrow/callback",
    allowedDomains: ["narrow.example"],
  },
]);
