/**
 * A private key (--key) that its group or other users may read is warned of on stderr, naming the
 * file and saying `chmod 600`; it is not refused. One readable by its owner only is not.
 */
import { chmodSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { exportJWK, generateKeyPair } from "jose";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { backendServicesToken, keyFileWarning } from "../../../population/bulk/backend-services-token.ts";
import { tempDir } from "../fixtures.ts";
import { populationCli } from "../job/job-fixtures.ts";
import { FAST_RETRY, localExportServers } from "./export-harness.ts";

const FILE = "/keys/private.jwk.json";
const REGULAR_FILE = 0o100000;

describe("keyFileWarning", () => {
  it("names the readers a mode lets in, the mode, the file and the fix", () => {
    expect(keyFileWarning(FILE, REGULAR_FILE | 0o644, "linux")).toBe(
      "/keys/private.jwk.json, the private key, is readable by its group and other users (mode 0644): whoever reads it can get this client's tokens; chmod 600 /keys/private.jwk.json",
    );
    expect(keyFileWarning(FILE, REGULAR_FILE | 0o640, "linux")).toMatch(/is readable by its group \(mode 0640\)/);
    expect(keyFileWarning(FILE, REGULAR_FILE | 0o604, "darwin")).toMatch(/is readable by other users \(mode 0604\)/);
  });

  it("says nothing of a key only its owner may read, of one others may only write or run, or on Windows (its modes do not say)", () => {
    for (const mode of [0o600, 0o400, 0o700, 0o622, 0o611]) expect(keyFileWarning(FILE, REGULAR_FILE | mode, "linux"), mode.toString(8)).toBeNull();
    expect(keyFileWarning(FILE, REGULAR_FILE | 0o644, "win32")).toBeNull();
  });
});

/** A private JWK written to a new folder, its mode set after (whatever the umask). */
async function keyWithMode(mode: number): Promise<string> {
  const pair = await generateKeyPair("ES384", { extractable: true });
  const file = join(tempDir("patella-key-mode-"), "private.jwk.json");
  writeFileSync(file, JSON.stringify({ ...(await exportJWK(pair.privateKey)), alg: "ES384" }));
  chmodSync(file, mode);
  return file;
}

describe.skipIf(process.platform === "win32")("the key file's mode, when the token is asked for", () => {
  const { start } = localExportServers();
  let worldReadable: string;
  let ownerOnly: string;
  beforeAll(async () => {
    worldReadable = await keyWithMode(0o644);
    ownerOnly = await keyWithMode(0o600);
  });

  it("warns of a key others may read, once, and goes on to get the token", async () => {
    const { base } = await start([], () => undefined);
    const warnings: string[] = [];
    const token = await backendServicesToken(base, { clientId: "c", keyFile: worldReadable, scope: "system/Patient.rs", warn: (text) => warnings.push(text) }, FAST_RETRY);
    expect(await token()).toBe("tok");
    expect(warnings).toEqual([
      `${worldReadable}, the private key, is readable by its group and other users (mode 0644): whoever reads it can get this client's tokens; chmod 600 ${worldReadable}`,
    ]);
  });

  it("does not warn of a key readable by its owner only", async () => {
    const { base } = await start([], () => undefined);
    const warnings: string[] = [];
    const token = await backendServicesToken(base, { clientId: "c", keyFile: ownerOnly, scope: "system/Patient.rs", warn: (text) => warnings.push(text) }, FAST_RETRY);
    expect(await token()).toBe("tok");
    expect(warnings).toEqual([]);
  });

  describe("npm run population -- --fhir ... --key FILE", () => {
    let server: Server | null = null;
    afterEach(() => server?.close());

    /** The run against a server that answers 404 to everything: it stops at the smart-configuration, after the key is read. */
    async function runWithKey(keyFile: string) {
      server = createServer((_request, response) => response.writeHead(404).end());
      await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
      const run = await populationCli(["--fhir", base, "--client-id", "c", "--key", keyFile, "--out", join(tempDir("patella-key-mode-out-"), "out")]).done;
      return { ...run, base };
    }

    it("says on stderr that a key others may read should be chmod 600, and runs on (here, to the server's 404)", async () => {
      const run = await runWithKey(worldReadable);
      expect(run.code).toBe(1);
      expect(run.stderr.split("\n")).toEqual([
        `warning: ${worldReadable}, the private key, is readable by its group and other users (mode 0644): whoever reads it can get this client's tokens; chmod 600 ${worldReadable}`,
        `error: ${run.base}/.well-known/smart-configuration: HTTP 404`,
        "",
      ]);
    }, 30_000);

    it("says nothing of a key readable by its owner only", async () => {
      const run = await runWithKey(ownerOnly);
      expect(run.code).toBe(1);
      expect(run.stderr).not.toContain("warning");
      expect(run.stderr).toBe(`error: ${run.base}/.well-known/smart-configuration: HTTP 404\n`);
    }, 30_000);
  });
});
