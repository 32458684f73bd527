// auth's start-up work, run once when a process hosting the service loads it (encore.service.ts
// imports this file; every process that runs the service loads that file). Not under tests, which
// arrange their own accounts: say now, not at the first sign-in, when the token key or a sign-in
// provider is missing or wrong, and make sure the platform has an admin (auth/README.md).
import log from "encore.dev/log";
import { ensureFirstAdmin } from "./flows/accounts";
import { isTest, oidcFrontendRedirect, oidcProviders, signingKeys } from "./secrets";

if (!isTest()) {
  try {
    signingKeys();
  } catch {
    // Logged by signingKeys; sign-in answers 503 until the key is fixed.
  }
  oidcProviders(); // logs any provider entry that is left out, now rather than at the first sign-in
  oidcFrontendRedirect();
  ensureFirstAdmin().catch((err: unknown) =>
    log.error("could not make sure the platform has an admin", { error: err instanceof Error ? err.message : String(err) }),
  );
}
