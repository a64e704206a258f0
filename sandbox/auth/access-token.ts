/**
 * Access tokens of the sandbox: JWTs signed with a key generated when the sandbox starts, read
 * back only by the sandbox's own FHIR server. Nothing outside the sandbox should ever trust them.
 */
import { SignJWT, jwtVerify, type CryptoKey, type JWTPayload } from "jose";

/** A fault the FHIR server injects for requests made with this token, so the EHR page can
 * demonstrate a CDS service's fallback paths without touching the data or other clients. */
export type FhirFault = "slow" | "fail";

export interface AccessClaims {
  clientId: string;
  scopes: string[];
  /** Patient in context; patient/ scopes are limited to this patient's compartment. */
  patient?: string;
  fault?: FhirFault;
}

export interface TokenSigner {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The authorization server's URL, the tokens' `iss`. */
  issuer: string;
  /** The FHIR base URL, the tokens' `aud`. */
  audience: string;
  now?: () => number;
}

const ALG = "ES256";

export async function issueAccessToken(signer: TokenSigner, claims: AccessClaims, ttlSeconds: number): Promise<string> {
  const nowSeconds = Math.floor((signer.now ?? Date.now)() / 1000);
  const payload: JWTPayload = { client_id: claims.clientId, scope: claims.scopes.join(" ") };
  if (claims.patient !== undefined) payload.patient = claims.patient;
  if (claims.fault !== undefined) payload.fault = claims.fault;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: ALG, typ: "at+jwt" })
    .setIssuer(signer.issuer)
    .setAudience(signer.audience)
    .setSubject(claims.clientId)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + ttlSeconds)
    .setJti(crypto.randomUUID())
    .sign(signer.privateKey);
}

/** Returns the claims of a valid token, or undefined for an invalid, expired or foreign one. */
export async function verifyAccessToken(signer: TokenSigner, token: string): Promise<AccessClaims | undefined> {
  try {
    const { payload } = await jwtVerify(token, signer.publicKey, {
      algorithms: [ALG],
      issuer: signer.issuer,
      audience: signer.audience,
      currentDate: new Date((signer.now ?? Date.now)()),
      clockTolerance: 0,
    });
    const claims: AccessClaims = {
      clientId: String(payload.client_id),
      scopes: String(payload.scope ?? "").split(" ").filter(Boolean),
    };
    if (typeof payload.patient === "string") claims.patient = payload.patient;
    if (payload.fault === "slow" || payload.fault === "fail") claims.fault = payload.fault;
    return claims;
  } catch {
    return undefined;
  }
}
