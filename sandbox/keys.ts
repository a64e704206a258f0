/**
 * Keys of one sandbox run, generated at start and kept in memory only (never written, never
 * committed): one signs SMART access tokens, the other signs CDS Hooks requests and is
 * published as the EHR's JWKS.
 */
import { exportJWK, generateKeyPair, type CryptoKey, type JSONWebKeySet } from "jose";

export interface SandboxKeys {
  tokenKeys: { privateKey: CryptoKey; publicKey: CryptoKey };
  hookKeys: { privateKey: CryptoKey; kid: string };
  /** The public half of hookKeys, served at the EHR's JWKS URL for CDS services. */
  hookJwks: JSONWebKeySet;
}

export async function generateSandboxKeys(): Promise<SandboxKeys> {
  const tokenKeys = await generateKeyPair("ES256");
  const hook = await generateKeyPair("ES384", { extractable: true });
  const kid = `sandbox-ehr-${crypto.randomUUID().slice(0, 8)}`;
  const publicJwk = await exportJWK(hook.publicKey);
  return {
    tokenKeys,
    hookKeys: { privateKey: hook.privateKey, kid },
    hookJwks: { keys: [{ ...publicJwk, kid, alg: "ES384", use: "sig" }] },
  };
}
