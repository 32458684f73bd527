// A fake OpenID Connect provider on 127.0.0.1 speaking the real protocol: discovery
// (/.well-known/openid-configuration), an authorization endpoint that auto-approves the configured
// user and redirects to redirect_uri with code and state, a token endpoint (authorization_code
// grant, client_secret_basic or _post, PKCE S256, codes used once), and a JWKS with an RSA key
// generated at start. ID tokens are RS256; `nextToken` makes the next one wrong on purpose
// (audience, issuer, expiry, nonce, signature).
import { createHash, randomBytes } from "node:crypto";
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from "jose";
import { json, startFake, type FakeServer } from "./provider-faults";

/** The person the authorization endpoint signs in. */
export interface FakeOidcUser {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

/** One-shot changes to the next ID token issued. */
export interface IdTokenTamper {
  aud?: string;
  iss?: string;
  /** Seconds from now (negative: already expired). */
  exp?: number;
  nonce?: string;
  /** Signed with another key under the published key's kid. */
  badSignature?: boolean;
}

export interface FakeOidc extends FakeServer {
  /** The issuer (this server's URL). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who the authorization endpoint approves next (and from then on). */
  user: FakeOidcUser;
  /** Applied to the next ID token only. */
  nextToken: IdTokenTamper | null;
  /** How many codes the token endpoint has redeemed. */
  redeemed: number;
}

interface Grant {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string | null;
  user: FakeOidcUser;
  used: boolean;
}

const KID = "fake-key-1";

export async function startFakeOidc(opts: { clientId?: string; clientSecret?: string } = {}): Promise<FakeOidc> {
  const clientId = opts.clientId ?? "war-room-test-client";
  const clientSecret = opts.clientSecret ?? "fake-client-secret";
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const rogue = (await generateKeyPair("RS256")).privateKey;
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: KID, alg: "RS256", use: "sig" };
  const grants = new Map<string, Grant>();
  let self: FakeOidc;

  const idToken = async (g: Grant): Promise<string> => {
    const t = self.nextToken ?? {};
    self.nextToken = null;
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = { nonce: t.nonce ?? g.nonce ?? undefined, azp: g.clientId };
    if (g.user.email !== undefined) claims.email = g.user.email;
    if (g.user.email_verified !== undefined) claims.email_verified = g.user.email_verified;
    if (g.user.name !== undefined) claims.name = g.user.name;
    if (t.aud !== undefined) delete claims.azp;
    const key: CryptoKey = t.badSignature ? rogue : privateKey;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: KID, typ: "JWT" })
      .setIssuer(t.iss ?? self.issuer)
      .setSubject(g.user.sub)
      .setAudience(t.aud ?? g.clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + (t.exp ?? 300))
      .sign(key);
  };

  const fake = await startFake(async (req, res) => {
    const issuer = self.issuer;
    if (req.method === "GET" && req.path === "/.well-known/openid-configuration") {
      return json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        code_challenge_methods_supported: ["S256"],
        token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
        scopes_supported: ["openid", "email", "profile"],
      });
    }
    if (req.method === "GET" && req.path === "/jwks") return json(res, 200, { keys: [jwk] });
    if (req.method === "GET" && req.path === "/authorize") {
      const q = req.query;
      if (q.get("client_id") !== clientId) return json(res, 400, { error: "invalid_client" });
      if (q.get("response_type") !== "code" || !q.get("scope")?.split(" ").includes("openid")) return json(res, 400, { error: "invalid_request" });
      if (q.get("code_challenge_method") !== "S256" || !q.get("code_challenge"))
        return json(res, 400, { error: "invalid_request", error_description: "PKCE S256 required" });
      const redirectUri = q.get("redirect_uri");
      if (!redirectUri) return json(res, 400, { error: "invalid_request" });
      const code = randomBytes(16).toString("hex");
      grants.set(code, { clientId, redirectUri, challenge: q.get("code_challenge")!, nonce: q.get("nonce"), user: { ...self.user }, used: false });
      const to = new URL(redirectUri);
      to.searchParams.set("code", code);
      if (q.get("state") !== null) to.searchParams.set("state", q.get("state")!);
      res.writeHead(302, { location: to.toString() }).end();
      return;
    }
    if (req.method === "POST" && req.path === "/token") {
      const form = new URLSearchParams(req.body);
      let id = form.get("client_id");
      let secret = form.get("client_secret");
      const basic = /^Basic (.+)$/.exec(String(req.headers.authorization ?? ""));
      if (basic) {
        const [u, p] = Buffer.from(basic[1], "base64").toString("utf8").split(":");
        id = decodeURIComponent(u.replace(/\+/g, " "));
        secret = decodeURIComponent((p ?? "").replace(/\+/g, " "));
      }
      if (id !== clientId || secret !== clientSecret) return json(res, 401, { error: "invalid_client" });
      if (form.get("grant_type") !== "authorization_code") return json(res, 400, { error: "unsupported_grant_type" });
      const grant = grants.get(form.get("code") ?? "");
      if (!grant || grant.used) return json(res, 400, { error: "invalid_grant", error_description: "unknown or used code" });
      grant.used = true;
      if (grant.redirectUri !== form.get("redirect_uri")) return json(res, 400, { error: "invalid_grant", error_description: "redirect_uri mismatch" });
      const verifier = form.get("code_verifier") ?? "";
      if (createHash("sha256").update(verifier).digest("base64url") !== grant.challenge)
        return json(res, 400, { error: "invalid_grant", error_description: "PKCE verification failed" });
      self.redeemed++;
      return json(res, 200, { access_token: randomBytes(16).toString("hex"), token_type: "Bearer", expires_in: 3600, id_token: await idToken(grant) });
    }
    json(res, 404, { error: "not_found" });
  });
  self = Object.assign(fake, {
    issuer: fake.url,
    clientId,
    clientSecret,
    user: { sub: "user-1", email: "someone@campaign.example", email_verified: true, name: "Some One" },
    nextToken: null,
    redeemed: 0,
  });
  return self;
}
