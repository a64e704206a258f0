import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { readBackendClient } from "../../sandbox/backend-client-file.ts";

async function jwksFile(content: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), "patella-jwks-")), "jwks.json");
  await writeFile(path, content);
  return path;
}

describe("readBackendClient", () => {
  it("registers the public keys under the client id", async () => {
    const { publicKey } = await generateKeyPair("ES384");
    const jwk = await exportJWK(publicKey);
    const client = await readBackendClient("bulk", await jwksFile(JSON.stringify({ keys: [jwk] })));
    expect(client).toEqual({ clientId: "bulk", jwks: { keys: [jwk] } });
  });

  it("refuses a private key, naming the file", async () => {
    const { privateKey } = await generateKeyPair("ES384", { extractable: true });
    const path = await jwksFile(JSON.stringify({ keys: [await exportJWK(privateKey)] }));
    await expect(readBackendClient("bulk", path)).rejects.toThrow(`The JWKS file ${path} must be`);
  });

  it("refuses a file that is not JSON, naming the file", async () => {
    const path = await jwksFile("not json");
    await expect(readBackendClient("bulk", path)).rejects.toThrow(`Cannot read the JWKS file ${path}`);
  });
});
