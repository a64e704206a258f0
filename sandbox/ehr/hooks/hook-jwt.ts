/**
 * The JWT an EHR puts on every CDS Hooks call (CDS Hooks 2.0, "Trusting CDS Clients"): ES384,
 * `kid` of a key in the EHR's JWKS, `aud` = the exact URL called, five-minute lifetime, fresh jti.
 */
import { SignJWT, type CryptoKey } from "jose";

export interface HookSigner {
  privateKey: CryptoKey;
  kid: string;
  /** The EHR's issuer, allow-listed by the CDS service. */
  issuer: string;
  /** Where the public key is published; sent as `jku`. */
  jwksUrl: string;
}

export async function signHookJwt(signer: HookSigner, audience: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "ES384", kid: signer.kid, typ: "JWT", jku: signer.jwksUrl })
    .setIssuer(signer.issuer)
    .setSubject("patella-sandbox-ehr")
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .setJti(crypto.randomUUID())
    .sign(signer.privateKey);
}
