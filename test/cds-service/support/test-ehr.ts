/**
 * A test EHR: its own signing keys (generated per run), a JWKS document, and a signer for the
 * JWTs it sends with CDS Hooks calls. Each token gets a fresh jti unless the test sets one.
 */
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type CryptoKey } from "jose";

export interface TokenOptions {
  /** `aud`; default the endpoint URL the test calls. */
  aud?: string | string[];
  iss?: string;
  jti?: string;
  /** Seconds relative to now. */
  expIn?: number;
  iatIn?: number;
  nbfIn?: number;
  alg?: "ES384" | "RS384" | "ES256";
  kid?: string;
  jku?: string;
  /** Sign with this key instead of the EHR's own. */
  key?: CryptoKey;
  omit?: ("exp" | "iat" | "jti")[];
}

export interface TestEhr {
  iss: string;
  jwksUrl: string;
  jwks: { keys: JWK[] };
  sign(audience: string, options?: TokenOptions): Promise<string>;
}

let counter = 0;

export async function createTestEhr(iss = "https://ehr.test.example", alg: "ES384" | "RS384" = "ES384"): Promise<TestEhr> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `${alg}-key-1`;
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return {
    iss,
    jwksUrl: `${iss}/.well-known/jwks.json`,
    jwks: { keys: [jwk] },
    async sign(audience, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const claims: JWTPayload = {
        iss: options.iss ?? iss,
        sub: "test-client",
        aud: options.aud ?? audience,
        exp: now + (options.expIn ?? 300),
        iat: now + (options.iatIn ?? 0),
        jti: options.jti ?? `jti-${process.pid}-${Date.now()}-${++counter}`,
      };
      if (options.nbfIn !== undefined) claims.nbf = now + options.nbfIn;
      for (const name of options.omit ?? []) delete claims[name];
      const header = {
        alg: options.alg ?? alg,
        typ: "JWT",
        kid: options.kid ?? kid,
        ...(options.jku ? { jku: options.jku } : {}),
      };
      return new SignJWT(claims).setProtectedHeader(header).sign(options.key ?? privateKey);
    },
  };
}

/** A token with `alg: none` and no signature, as an attacker would send it. */
export function unsignedToken(claims: JWTPayload): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  return `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`;
}
