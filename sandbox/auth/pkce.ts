/** PKCE (RFC 7636), S256 only: the sandbox refuses `plain`, as SMART App Launch 2.x requires. */
import { createHash } from "node:crypto";

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const CHALLENGE = /^[A-Za-z0-9\-_]{43}$/;

export function isValidChallenge(challenge: string | undefined): challenge is string {
  return challenge !== undefined && CHALLENGE.test(challenge);
}

/** True when `verifier` is well formed and hashes to `challenge`. */
export function verifyPkce(verifier: string | undefined, challenge: string): boolean {
  if (verifier === undefined || !VERIFIER.test(verifier)) return false;
  return createHash("sha256").update(verifier).digest("base64url") === challenge;
}
