/** A SMART Backend Services client for tests: an ES384 key pair, the public key registered with
 * a sandbox, the private JWK written to a file (what `--client-id ID --key FILE` options read). */
import { writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair } from "jose";
import type { Sandbox } from "../../sandbox/sandbox-server.ts";

export async function registerBackendClient(sandbox: Sandbox, clientId: string, options: { mayWrite: boolean }): Promise<string> {
  const pair = await generateKeyPair("ES384", { extractable: true });
  sandbox.backendClients.push({ clientId, mayWrite: options.mayWrite, jwks: { keys: [{ ...(await exportJWK(pair.publicKey)), kid: clientId, alg: "ES384" }] } });
  const keyFile = join(await mkdtemp(join(tmpdir(), "patella-client-key-")), `${clientId}.jwk.json`);
  writeFileSync(keyFile, JSON.stringify({ ...(await exportJWK(pair.privateKey)), kid: clientId, alg: "ES384" }), { mode: 0o600 });
  return keyFile;
}
