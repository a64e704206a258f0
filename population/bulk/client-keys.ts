/**
 * npm run backend-client-keys -- --out DIR
 *
 * Makes the key pair of a SMART Backend Services client (the population job's --fhir, the imaging
 * import): `DIR/private.jwk.json`, the private JWK the client signs its assertions with (--key;
 * owner only), and `DIR/public.jwks.json`, its public key as a JWKS, to register with the FHIR
 * server's authorization server under the client id (npm start's sandbox reads it from
 * PATELLA_SANDBOX_BULK_JWKS). ES384 (P-384), which SMART Backend Services requires servers to
 * support; both keys carry the same `kid`, the key's RFC 7638 thumbprint.
 */
import { closeSync, existsSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";
import { isMainModule, parseCommandLine, runMain, UsageError } from "../../models/features/cli-args.ts";
import { mkdirOwnerOnly, openOwnerOnly } from "../owner-only-files.ts";

export const PRIVATE_KEY_FILE = "private.jwk.json";
export const PUBLIC_JWKS_FILE = "public.jwks.json";

const USAGE = `usage: npm run backend-client-keys -- --out DIR

Makes the ES384 key pair of a SMART Backend Services client:
  DIR/${PRIVATE_KEY_FILE}   the private key, for --key (readable by you only; keep it secret)
  DIR/${PUBLIC_JWKS_FILE}   its public key as a JWKS: register it with the FHIR server under the
                      client id (npm start's sandbox: PATELLA_SANDBOX_BULK_JWKS=DIR/${PUBLIC_JWKS_FILE})
An existing pair is never replaced.`;

/** Writes a new key pair into `dir` (created owner-only when missing); refuses a folder that
 * holds either file: the server would still hold the old public key, and the client be refused. */
export async function makeClientKeys(dir: string): Promise<{ privateKey: string; publicJwks: string }> {
  const files = { privateKey: join(dir, PRIVATE_KEY_FILE), publicJwks: join(dir, PUBLIC_JWKS_FILE) };
  for (const file of Object.values(files)) {
    if (existsSync(file)) throw new Error(`${file} exists: a key pair is never replaced (the server knows its public key); give another folder`);
  }
  const pair = await generateKeyPair("ES384", { extractable: true });
  const publicJwk = await exportJWK(pair.publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  mkdirOwnerOnly(dir);
  // "wx": created here or not at all, so a file that appeared since the check is not replaced.
  const fd = openOwnerOnly(files.privateKey, "wx");
  try {
    writeSync(fd, `${JSON.stringify({ ...(await exportJWK(pair.privateKey)), kid, alg: "ES384" }, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  writeFileSync(files.publicJwks, `${JSON.stringify({ keys: [{ ...publicJwk, kid, alg: "ES384" }] }, null, 2)}\n`, { flag: "wx" });
  return files;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, { out: { type: "string" }, help: { type: "boolean" } });
  if (values.out === undefined) throw new UsageError("--out DIR is required");
  const files = await makeClientKeys(values.out);
  process.stdout.write(`wrote ${files.privateKey} (give it to --key)\nwrote ${files.publicJwks} (register it with the FHIR server)\n`);
}

if (isMainModule(import.meta.url)) runMain(USAGE, () => main(process.argv.slice(2)));
