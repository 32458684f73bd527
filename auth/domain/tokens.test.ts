import { describe, expect, test } from "vitest";
import { generateKeyPairSync } from "node:crypto";
import { SignJWT } from "jose";
import {
  ACCESS_TOKEN_TTL_SECONDS,
  AUDIENCE,
  CLOCK_SKEW_SECONDS,
  ISSUER,
  InvalidTokenError,
  bearerToken,
  isStreamHandshake,
  hashRefreshToken,
  isRefreshTokenShaped,
  newRefreshToken,
  resolveSigningKeys,
  signAccessToken,
  verifyAccessToken,
  type SigningKeys,
} from "./tokens";

const SECRET = "a-shared-secret-of-at-least-32-bytes!";
const claims = { userID: "5d13e550-5daf-409b-b70d-1c073f29aba2", email: "a@b.org", role: "viewer", sessionVersion: 3 };

function hs256(secret = SECRET): SigningKeys {
  const r = resolveSigningKeys({ secret, privateKeyPem: "", production: true });
  if ("error" in r) throw new Error(r.error);
  return r.keys;
}

function ed25519(): SigningKeys {
  const pem = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const r = resolveSigningKeys({ secret: "", privateKeyPem: pem, production: true });
  if ("error" in r) throw new Error(r.error);
  return r.keys;
}

function b64(json: object): string {
  return Buffer.from(JSON.stringify(json)).toString("base64url");
}

describe("signing keys from configuration", () => {
  test("a secret of 32 bytes or more gives HS256", () => {
    expect(hs256().alg).toBe("HS256");
  });

  test("a secret shorter than 32 bytes is refused, saying how long it is", () => {
    const r = resolveSigningKeys({ secret: "short", privateKeyPem: "", production: false });
    expect(r).toEqual({ error: expect.stringContaining("5 bytes") });
  });

  test("an Ed25519 private key gives EdDSA and wins over a secret", () => {
    const pem = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const r = resolveSigningKeys({ secret: SECRET, privateKeyPem: pem, production: true });
    expect("keys" in r && r.keys.alg).toBe("EdDSA");
  });

  test("other key types and junk are refused", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    expect(resolveSigningKeys({ secret: "", privateKeyPem: rsa, production: false })).toEqual({ error: expect.stringContaining("rsa") });
    expect(resolveSigningKeys({ secret: "", privateKeyPem: "not a key", production: false })).toEqual({ error: expect.stringContaining("PEM") });
  });

  test("without a key, development gets a random one with a warning, and production refuses", () => {
    const dev = resolveSigningKeys({ secret: "", privateKeyPem: "", production: false });
    expect("keys" in dev && dev.warning).toMatch(/JWT_SECRET is not set/);
    expect(resolveSigningKeys({ secret: "", privateKeyPem: "", production: true })).toEqual({ error: expect.stringContaining("production") });
  });
});

describe("access tokens", () => {
  test("a signed token verifies and gives back its claims (HS256 and EdDSA)", async () => {
    for (const keys of [hs256(), ed25519()]) {
      expect(await verifyAccessToken(keys, await signAccessToken(keys, claims))).toEqual(claims);
    }
  });

  test("an expired token is refused, within the clock-skew allowance it is not", async () => {
    const keys = hs256();
    const issued = new Date("2026-01-01T00:00:00Z");
    const token = await signAccessToken(keys, claims, issued);
    const at = (s: number) => new Date(issued.getTime() + s * 1000);
    await expect(verifyAccessToken(keys, token, at(ACCESS_TOKEN_TTL_SECONDS + CLOCK_SKEW_SECONDS - 1))).resolves.toEqual(claims);
    await expect(verifyAccessToken(keys, token, at(ACCESS_TOKEN_TTL_SECONDS + CLOCK_SKEW_SECONDS + 1))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  test("a token issued in the future (beyond the skew) is refused", async () => {
    const keys = hs256();
    const token = await signAccessToken(keys, claims, new Date(Date.now() + 5 * 60_000));
    await expect(verifyAccessToken(keys, token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  test("a tampered payload or signature is refused", async () => {
    const keys = hs256();
    const [h, p, s] = (await signAccessToken(keys, claims)).split(".");
    const raised = b64({ ...JSON.parse(Buffer.from(p, "base64url").toString()), role: "admin" });
    await expect(verifyAccessToken(keys, `${h}.${raised}.${s}`)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(verifyAccessToken(keys, `${h}.${p}.${s.slice(0, -2)}AA`)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  test("alg none is refused", async () => {
    const keys = hs256();
    const [, p] = (await signAccessToken(keys, claims)).split(".");
    await expect(verifyAccessToken(keys, `${b64({ alg: "none", typ: "at+jwt" })}.${p}.`)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  test("a token signed with another key, or another algorithm than the configured one, is refused", async () => {
    await expect(verifyAccessToken(hs256(), await signAccessToken(hs256("another-secret-that-is-32-bytes-long"), claims))).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
    await expect(verifyAccessToken(ed25519(), await signAccessToken(hs256(), claims))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  test("a JWT from the same key without our typ, issuer or audience is refused", async () => {
    const keys = hs256();
    const base = () => new SignJWT({ email: "a@b.org", role: "admin", ver: 1 }).setSubject(claims.userID).setIssuedAt().setExpirationTime("1h");
    const variants = [
      base().setProtectedHeader({ alg: "HS256" }).setIssuer(ISSUER).setAudience(AUDIENCE),
      base().setProtectedHeader({ alg: "HS256", typ: "at+jwt" }).setIssuer("someone-else").setAudience(AUDIENCE),
      base().setProtectedHeader({ alg: "HS256", typ: "at+jwt" }).setIssuer(ISSUER).setAudience("another-api"),
    ];
    for (const v of variants) await expect(verifyAccessToken(keys, await v.sign(keys.signKey))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  test("a token without our claims (session version) is refused", async () => {
    const keys = hs256();
    const token = await new SignJWT({ email: "a@b.org", role: "admin" })
      .setProtectedHeader({ alg: "HS256", typ: "at+jwt" })
      .setSubject(claims.userID)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(keys.signKey);
    await expect(verifyAccessToken(keys, token)).rejects.toBeInstanceOf(InvalidTokenError);
  });
});

describe("bearer header and refresh tokens", () => {
  test("Authorization: Bearer is read case-insensitively; other schemes are not tokens", () => {
    expect(bearerToken("Bearer abc.def.ghi")).toBe("abc.def.ghi");
    expect(bearerToken("bearer abc")).toBe("abc");
    expect(bearerToken("Basic dXNlcjpwYXNz")).toBeNull();
    expect(bearerToken("Bearer")).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });

  test("refresh tokens are random, 43 characters, and stored only as their SHA-256", () => {
    const a = newRefreshToken();
    const b = newRefreshToken();
    expect(a.token).not.toBe(b.token);
    expect(isRefreshTokenShaped(a.token)).toBe(true);
    expect(a.hash).toBe(hashRefreshToken(a.token));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(isRefreshTokenShaped("x")).toBe(false);
  });
});

describe("where a token may sit in the URL", () => {
  test("only on a WebSocket handshake to a stream (/ws/…)", () => {
    expect(isStreamHandshake("/ws/campaigns/x/stream", { upgrade: "websocket", connection: "Upgrade" })).toBe(true);
    expect(isStreamHandshake("/ws/campaigns/x/stream", { upgrade: "WebSocket" })).toBe(true);
    // A plain request to any endpoint, or an upgrade elsewhere, or a stream path without the upgrade.
    expect(isStreamHandshake("/api/v1/auth/me", {})).toBe(false);
    expect(isStreamHandshake("/api/v1/auth/me", { upgrade: "websocket" })).toBe(false);
    expect(isStreamHandshake("/ws/campaigns/x/stream", {})).toBe(false);
    expect(isStreamHandshake("/ws/campaigns/x/stream", { upgrade: "h2c" })).toBe(false);
    expect(isStreamHandshake("/api/ws/x", { upgrade: "websocket" })).toBe(false);
  });
});
