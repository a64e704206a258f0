/**
 * `npm run backend-client-keys -- --out DIR`: the key pair of a SMART Backend Services client, its
 * private JWK for the job's --key and its public JWKS for the server (npm start's sandbox reads it
 * from PATELLA_SANDBOX_BULK_JWKS), checked by getting a token from the sandbox with them.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backendServicesToken } from "../../../population/bulk/backend-services-token.ts";
import { exportScope } from "../../../population/bulk/export-input.ts";
import { makeClientKeys, PRIVATE_KEY_FILE, PUBLIC_JWKS_FILE } from "../../../population/bulk/client-keys.ts";
import { readBackendClient } from "../../../sandbox/backend-client-file.ts";
import { startSandbox, type Sandbox } from "../../../sandbox/sandbox-server.ts";
import { FIXTURE_RESOURCES } from "../../sandbox/fixtures.ts";
import { tempDir } from "../fixtures.ts";

const NO_RETRY = { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 };
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, resources: FIXTURE_RESOURCES });
});
afterAll(() => sandbox.close());

describe("the Backend Services client's key pair", () => {
  it("writes a private JWK (owner only) and its public JWKS, which the sandbox registers and accepts for a token", async () => {
    const dir = join(tempDir("patella-client-keys-"), "keys");
    const files = await makeClientKeys(dir);
    expect(files).toEqual({ privateKey: join(dir, PRIVATE_KEY_FILE), publicJwks: join(dir, PUBLIC_JWKS_FILE) });
    const privateJwk = JSON.parse(readFileSync(files.privateKey, "utf8")) as Record<string, unknown>;
    const publicJwks = JSON.parse(readFileSync(files.publicJwks, "utf8")) as { keys: Record<string, unknown>[] };
    expect(privateJwk).toMatchObject({ kty: "EC", crv: "P-384", alg: "ES384" });
    expect(typeof privateJwk.d).toBe("string");
    expect(statSync(files.privateKey).mode & 0o777).toBe(0o600);
    // The same key without its private part, under the same kid.
    const { d, ...publicPart } = privateJwk;
    expect(publicJwks).toEqual({ keys: [publicPart] });
    expect(typeof publicPart.kid).toBe("string");

    // As npm start registers PATELLA_SANDBOX_BULK_JWKS, under PATELLA_SANDBOX_BULK_CLIENT_ID's default.
    sandbox.backendClients.push(await readBackendClient("patella-population", files.publicJwks));
    const token = await backendServicesToken(sandbox.fhirBaseUrl, { clientId: "patella-population", keyFile: files.privateKey, scope: exportScope(false), requireEveryScope: true }, NO_RETRY);
    expect(await token()).toMatch(/^[A-Za-z0-9\-._~+/]+=*$/);
  });

  it("never replaces a key pair: the client registered with the old public key would be locked out", async () => {
    const dir = tempDir("patella-client-keys-kept-");
    writeFileSync(join(dir, PRIVATE_KEY_FILE), "{}");
    await expect(makeClientKeys(dir)).rejects.toThrow(`${join(dir, PRIVATE_KEY_FILE)} exists: a key pair is never replaced (the server knows its public key); give another folder`);
    expect(readFileSync(join(dir, PRIVATE_KEY_FILE), "utf8")).toBe("{}");
    expect(existsSync(join(dir, PUBLIC_JWKS_FILE))).toBe(false);
  });
});
