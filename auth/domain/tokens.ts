// Access tokens (JWT, signed with jose) and refresh tokens (opaque, stored hashed). Pure: keys,
// clock and configuration come in as arguments.
//
// Access tokens: the algorithm is pinned by the configured key (HS256 for a shared secret, EdDSA
// for an Ed25519 key), so `alg: none`, an HS256 token forged with an EdDSA public key and the like
// are refused before any signature check. `typ`, `iss`, `aud`, `exp`, `iat` and `sub` are all
// required and checked, with a small clock-skew allowance.
import { createHash, createPrivateKey, createPublicKey, createSecretKey, randomBytes, type KeyObject } from "node:crypto";
import { SignJWT, jwtVerify } from "jose";

export const ISSUER = "war-room";
export const AUDIENCE = "war-room-api";
/** The JOSE `typ` of our access tokens (RFC 9068), so no other JWT signed with the key passes. */
export const ACCESS_TOKEN_TYPE = "at+jwt";
export const ACCESS_TOKEN_TTL_SECONDS = 3600;
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
/** How far apart our clock and the issuer's may be (several processes, several machines). */
export const CLOCK_SKEW_SECONDS = 30;
/** The shortest HS256 secret accepted: 256 bits, the size of the HMAC-SHA-256 output. */
export const MIN_SECRET_BYTES = 32;

/** The configured signing and verification keys, with their one accepted algorithm. */
export interface SigningKeys {
  alg: "HS256" | "EdDSA";
  signKey: KeyObject;
  verifyKey: KeyObject;
}

/** The key configuration as read from secrets, plus whether this is production. */
export interface KeyConfig {
  /** JWT_SECRET: the HS256 shared secret (UTF-8), at least 32 bytes. */
  secret: string;
  /** JWT_PRIVATE_KEY: an Ed25519 private key in PKCS#8 PEM; when set, tokens are EdDSA. */
  privateKeyPem: string;
  production: boolean;
}

/** Either usable keys (with a warning to log loudly), or why there are none. */
export type KeyResolution = { keys: SigningKeys; warning?: string } | { error: string };

/**
 * Turns the configuration into keys. An Ed25519 key wins over a secret. Without either, a
 * development or test process gets a random key of its own (tokens die with the process, and other
 * processes refuse them); production refuses to run without a configured key.
 */
export function resolveSigningKeys(config: KeyConfig): KeyResolution {
  if (config.privateKeyPem.trim() !== "") {
    let key: KeyObject;
    try {
      key = createPrivateKey(config.privateKeyPem);
    } catch {
      return { error: "JWT_PRIVATE_KEY is not a PEM private key (expected an Ed25519 key in PKCS#8 PEM)" };
    }
    if (key.asymmetricKeyType !== "ed25519") {
      return { error: `JWT_PRIVATE_KEY is a ${key.asymmetricKeyType} key; only Ed25519 (EdDSA) is accepted` };
    }
    return { keys: { alg: "EdDSA", signKey: key, verifyKey: createPublicKey(key) } };
  }
  if (config.secret !== "") {
    const bytes = Buffer.byteLength(config.secret, "utf8");
    if (bytes < MIN_SECRET_BYTES) {
      return { error: `JWT_SECRET is ${bytes} bytes; it must be at least ${MIN_SECRET_BYTES} (e.g. \`openssl rand -base64 48\`)` };
    }
    const key = createSecretKey(Buffer.from(config.secret, "utf8"));
    return { keys: { alg: "HS256", signKey: key, verifyKey: key } };
  }
  if (config.production) return { error: "JWT_SECRET (or JWT_PRIVATE_KEY) is not set: production refuses to issue or accept tokens without it" };
  const key = createSecretKey(randomBytes(MIN_SECRET_BYTES));
  return {
    keys: { alg: "HS256", signKey: key, verifyKey: key },
    warning:
      "JWT_SECRET is not set: signing tokens with a random key of this process. Every token dies when it restarts, " +
      "and other processes refuse them. Set JWT_SECRET (at least 32 bytes) in .secrets.local.cue or the environment.",
  };
}

/** What an access token says about its holder. */
export interface AccessClaims {
  userID: string;
  email: string;
  role: string;
  /** The account's session version when the token was issued; a newer version revokes the token. */
  sessionVersion: number;
}

/** An access token that is not acceptable, for whatever reason (never said to the client in detail). */
export class InvalidTokenError extends Error {
  override readonly name = "InvalidTokenError";
}

/** Signs an access token valid for ACCESS_TOKEN_TTL_SECONDS from `now`. */
export function signAccessToken(keys: SigningKeys, claims: AccessClaims, now: Date = new Date()): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ email: claims.email, role: claims.role, ver: claims.sessionVersion })
    .setProtectedHeader({ alg: keys.alg, typ: ACCESS_TOKEN_TYPE })
    .setSubject(claims.userID)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
    .setJti(randomBytes(12).toString("base64url"))
    .sign(keys.signKey);
}

/** Verifies an access token and returns its claims; throws InvalidTokenError for anything wrong. */
export async function verifyAccessToken(keys: SigningKeys, token: string, now: Date = new Date()): Promise<AccessClaims> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, keys.verifyKey, {
      algorithms: [keys.alg],
      typ: ACCESS_TOKEN_TYPE,
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ["sub", "iat", "exp"],
      clockTolerance: CLOCK_SKEW_SECONDS,
      maxTokenAge: ACCESS_TOKEN_TTL_SECONDS,
      currentDate: now,
    }));
  } catch (err) {
    throw new InvalidTokenError(err instanceof Error ? err.message : "invalid token");
  }
  const iat = payload.iat as number;
  // jose bounds the token's age; a token issued in the future is as wrong as an expired one.
  if (iat > now.getTime() / 1000 + CLOCK_SKEW_SECONDS) throw new InvalidTokenError("token issued in the future");
  const { sub, email, role, ver } = payload;
  if (typeof sub !== "string" || typeof email !== "string" || typeof role !== "string" || typeof ver !== "number" || !Number.isInteger(ver)) {
    throw new InvalidTokenError("token claims are incomplete");
  }
  return { userID: sub, email, role, sessionVersion: ver };
}

/** The bearer token of an `Authorization` header value (scheme case-insensitive), or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]+)[ \t]*$/i.exec(header);
  return m ? m[1] : null;
}

/** A new refresh token (shown to the client once) and the hash we store instead of it. */
export interface NewRefreshToken {
  token: string;
  hash: string;
}

// 32 random bytes: a guess has a 2^-256 chance, so the token needs no signature; we keep only its hash.
const REFRESH_TOKEN_BYTES = 32;
const REFRESH_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newRefreshToken(): NewRefreshToken {
  const token = randomBytes(REFRESH_TOKEN_BYTES).toString("base64url");
  return { token, hash: hashRefreshToken(token) };
}

/** SHA-256 (hex) of a refresh token: a database leak reveals no usable token. */
export function hashRefreshToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Whether a string could be one of our refresh tokens at all (saves a lookup for junk). */
export function isRefreshTokenShaped(token: string): boolean {
  return REFRESH_TOKEN_PATTERN.test(token);
}

/**
 * True when a request is a WebSocket handshake to one of the app's streams: every stream lives
 * under /ws/ (a convention of this app), and the request asks for the upgrade. The only requests
 * on which `?token=` is honoured (browsers cannot set headers on a WebSocket). Under Encore's own
 * runtime the auth handler is not told the request's path, so this is false there and streams
 * take the token in a header (Encore's client packs headers into the WebSocket subprotocol).
 */
export function isStreamHandshake(path: string, headers: Record<string, string | string[] | undefined>): boolean {
  if (!path.startsWith("/ws/")) return false;
  const upgrade = headers.upgrade ?? headers.Upgrade;
  const value = Array.isArray(upgrade) ? upgrade.join(",") : (upgrade ?? "");
  return value
    .toLowerCase()
    .split(",")
    .some((v) => v.trim() === "websocket");
}
