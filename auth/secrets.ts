// auth's configuration: every secret it reads, and the configured objects built from them (token
// keys, bcrypt cost, cache). Logic elsewhere takes these as arguments.
import { appMeta } from "encore.dev";
import { APIError } from "encore.dev/api";
import { secret } from "encore.dev/config";
import { readSecret } from "../shared/secrets";
import log from "encore.dev/log";
import { countedCache } from "../shared/cache/counted";
export type { CacheHealth } from "../shared/cache/counted";
import { resolveSigningKeys, type SigningKeys } from "./domain/tokens";
import { parseProviders, urlProblem, type ProviderConfig } from "./domain/oidc";
import { decideCost } from "./domain/passwords";
import { parseRegistrationLimit } from "./domain/throttle";
import { databaseName } from "./store";

// HS256 shared secret, at least 32 bytes.
const jwtSecret = secret("JWT_SECRET");
// Optional Ed25519 private key (PKCS#8 PEM): when set, tokens are signed with EdDSA instead.
const jwtPrivateKey = secret("JWT_PRIVATE_KEY");
// bcrypt cost; default 12, lower values only outside production (tests use 4).
const bcryptCost = secret("BCRYPT_COST");
// The first admin, created at start when the platform has no admin.
const adminEmail = secret("WARROOM_ADMIN_EMAIL");
const adminPassword = secret("WARROOM_ADMIN_PASSWORD");
// OpenID Connect providers: a JSON array of {id, name, issuer, clientId, clientSecret, redirectUri,
// allowedDomains, defaultRole, scopes?} (README: Google and Microsoft Entra examples).
const oidcProvidersJson = secret("OIDC_PROVIDERS");
// Where the sign-in callback sends the browser with `?code=` (the one-time code); empty: the
// callback answers with JSON instead.
const oidcFrontendUrl = secret("OIDC_FRONTEND_URL");
// Redis for login throttling counters and the gateway's account cache; empty: in-process memory.
const redisUrl = secret("REDIS_URL");
// Self-registrations (attempts, whatever their outcome) allowed per client address per clock hour; default 10.
const registrationsPerHour = secret("REGISTRATIONS_PER_ADDRESS_PER_HOUR");

export function isProduction(): boolean {
  return appMeta().environment.type === "production";
}

/** True under `encore test` / Vitest: no admin is seeded at start, tests arrange their own accounts. */
export function isTest(): boolean {
  return appMeta().environment.type === "test";
}

let keys: { keys: SigningKeys } | { error: string } | undefined;

/** The token keys, resolved once; 503 (and a logged reason) when they are misconfigured. */
export function signingKeys(): SigningKeys {
  if (!keys) {
    const resolved = resolveSigningKeys({ secret: jwtSecret(), privateKeyPem: jwtPrivateKey(), production: isProduction() });
    if ("error" in resolved) log.error(`auth cannot issue or verify tokens: ${resolved.error}`);
    else if (resolved.warning) log.warn(`!!! ${resolved.warning}`);
    keys = resolved;
  }
  if ("error" in keys) throw APIError.unavailable("sign-in is unavailable: the server's token key is misconfigured (see the server log)");
  return keys.keys;
}

let cost: number | undefined;

/** The bcrypt cost for new hashes, decided once. */
export function passwordCost(): number {
  if (cost === undefined) {
    const configured = bcryptCost();
    const decided = decideCost(configured, isProduction());
    // Tests ask for a low cost on purpose; say nothing unless the value was not used as given.
    const asked = isTest() && String(decided.cost) === configured.trim();
    if (decided.warning && !asked) log.warn(decided.warning);
    cost = decided.cost;
  }
  return cost;
}

/** The configured first admin: email and password, either possibly empty. */
export function firstAdmin(): { email: string; password: string } {
  return { email: adminEmail(), password: adminPassword() };
}

/**
 * auth's cache, namespaced by the database's name so that deployments (and test databases)
 * sharing one Redis never see each other's keys. Its failures are counted, so throttling can tell
 * "no lock" from "the cache could not answer".
 */
export const authCache = countedCache(
  async () => ({ redisUrl: readSecret(redisUrl), namespace: `warroom:${await databaseName()}` }),
  "auth cache unavailable: account checks and login throttling use the database meanwhile",
);

let providers: ProviderConfig | undefined;

/** The configured OpenID Connect providers, parsed once; entries with a problem are logged and left out. */
export function oidcProviders(): ProviderConfig {
  if (!providers) {
    providers = parseProviders(oidcProvidersJson(), isProduction());
    for (const e of providers.errors) log.error(e);
  }
  return providers;
}

let frontend: string | null | undefined;

/** Where the callback redirects the browser with the one-time code; null: answer with JSON. */
export function oidcFrontendRedirect(): string | null {
  if (frontend === undefined) {
    const value = oidcFrontendUrl().trim();
    const problem = value === "" ? null : urlProblem(value, "OIDC_FRONTEND_URL", isProduction());
    if (problem) log.error(`${problem}; the sign-in callback answers with JSON instead`);
    frontend = value === "" || problem ? null : value;
  }
  return frontend;
}

let registrationsMax: number | undefined;

/** Self-registrations allowed per client address per hour, decided once (a bad value is logged and the default used). */
export function registrationsPerAddressPerHour(): number {
  if (registrationsMax === undefined) {
    const parsed = parseRegistrationLimit(registrationsPerHour());
    if (parsed.problem) log.error(parsed.problem);
    registrationsMax = parsed.max;
  }
  return registrationsMax;
}
