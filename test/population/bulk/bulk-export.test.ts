import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import type { Resource } from "fhir/r4";
import { exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simulateCohort } from "../../../models/cohort/simulate.ts";
import { backendServicesToken } from "../../../population/bulk/backend-services-token.ts";
import { bulkExport } from "../../../population/bulk/bulk-export.ts";
import { exportFromFhir } from "../../../population/bulk/export-input.ts";
import { lockOut } from "../../../population/job/out-lock.ts";
import { startSandbox, type Sandbox } from "../../../sandbox/sandbox-server.ts";
import { tempDir } from "../fixtures.ts";
import { INDEX_DATE, populationCli, read, scorePopulation, simulatedPopulation } from "../job/job-fixtures.ts";

const PATIENTS = 60;
const SEED = 41;
const FAST_RETRY = { attempts: 5, baseDelayMs: 20, maxDelayMs: 1500 };
let sandbox: Sandbox;
let keyFile: string;
let patientIds: string[];

beforeAll(async () => {
  const resources: Resource[] = [...simulateCohort({ patients: PATIENTS, seed: SEED })].flatMap((p) => p.resources);
  patientIds = resources.filter((r) => r.resourceType === "Patient").map((r) => r.id!);
  sandbox = await startSandbox({ port: 0, resources, bulkExport: { filesOf: 250, faults: true, groups: new Map([["registry", patientIds.slice(0, 20)]]) } });
  const pair = await generateKeyPair("ES384", { extractable: true });
  sandbox.backendClients.push({ clientId: "population", jwks: { keys: [{ ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES384" }] } });
  keyFile = join(tempDir("patella-bulk-key-"), "private.jwk.json");
  writeFileSync(keyFile, JSON.stringify({ ...(await exportJWK(pair.privateKey)), kid: "k1", alg: "ES384" }), { mode: 0o600 });
}, 180_000);
afterAll(() => sandbox.close());

const options = (outDir: string, extra: Partial<Parameters<typeof exportFromFhir>[0]> = {}) => ({
  fhirBaseUrl: sandbox.fhirBaseUrl,
  clientId: "population",
  keyFile,
  jobObservationsOnly: false,
  parallel: 3,
  outDir,
  onEvent: () => undefined,
  retry: FAST_RETRY,
  ...extra,
});

describe("Bulk Data export end to end (sandbox on 127.0.0.1)", () => {
  it("exports, downloads through 429s, 500s and dropped connections, scores, and equals a run on the same data as local files", async () => {
    const out = tempDir("patella-bulk-out-");
    const run = await populationCli([
      "--fhir", sandbox.fhirBaseUrl, "--client-id", "population", "--key", keyFile, "--out", out,
      "--index-date", INDEX_DATE, "--threshold", "0.01", "--workers", "1",
    ]).done;
    expect(run.stderr).not.toMatch(/"event":"bad line/);
    expect(run.code, run.stderr).toBe(0);
    // A 429 is the server asking to come back later (Retry-After: 1), not an error to retry.
    expect(run.stderr).toMatch(/"event":"download busy","file":"[^"]+","status":429,"retryAfterMs":1000/);
    expect(run.stderr).not.toMatch(/"event":"retry","why":"download [^"]+: HTTP 429"/);
    expect(run.stderr).toMatch(/"event":"retry","why":"download [^"]+: HTTP 500"/);
    // fetch's message, then its cause's ("fetch failed (other side closed)").
    expect(run.stderr).toMatch(/"event":"retry","why":"download [^"]+: (terminated|fetch failed|[^"]*socket[^"]*)( \([^"]+\))?"/);
    expect(run.stderr).toContain('"event":"export in progress"');
    const state = JSON.parse(read(join(out, "export"), "export-state.json")) as { statusUrl: string; deleted: boolean; manifest: { output: unknown[] } };
    expect(state.deleted).toBe(true);
    expect(readdirSync(join(out, "export/files"))).toHaveLength(state.manifest.output.length);
    expect(state.manifest.output.length).toBeGreaterThan(8);

    const local = tempDir("patella-bulk-local-");
    await scorePopulation(simulatedPopulation(PATIENTS, SEED).dir, local);
    for (const file of ["high-risk.csv", "risk-assessments.ndjson", "high-risk-group.json"]) expect(read(out, file), file).toBe(read(local, file));
    expect(read(out, "summary.html")).toContain(sandbox.fhirBaseUrl);
  }, 240_000);

  it("exports a Group's members only", async () => {
    const out = tempDir("patella-bulk-group-");
    const { filesDir } = await exportFromFhir(options(out, { groupId: "registry" }));
    const patients = readdirSync(filesDir)
      .filter((f) => f.startsWith("Patient."))
      .flatMap((f) => readFileSync(join(filesDir, f), "utf8").trim().split("\n"))
      .map((line) => JSON.parse(line).id as string);
    expect(patients.sort()).toEqual(patientIds.slice(0, 20).sort());
  }, 60_000);

  it("resumes a stopped download from the saved status URL, fetching only the missing files and starting no new export", async () => {
    const out = tempDir("patella-bulk-resume-");
    const dir = join(out, "export");
    const token = await backendServicesToken(sandbox.fhirBaseUrl, { clientId: "population", keyFile, scope: "system/*.rs" }, FAST_RETRY);
    let calls = 0;
    // Kick-off, two polls, then downloads without retries: the first fault (or the lost
    // connection after a few calls) stops the run with files missing.
    const failingToken = async () => {
      if (++calls > 6) throw new TypeError("fetch failed");
      return token();
    };
    const request = {
      fhirBaseUrl: sandbox.fhirBaseUrl,
      types: ["Patient", "Condition", "Encounter", "Observation"],
      parallel: 1,
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      dir,
      onEvent: () => undefined,
    };
    await expect(bulkExport({ ...request, token: failingToken })).rejects.toThrow(/HTTP 429|HTTP 500|fetch failed|terminated/);
    const state = JSON.parse(read(dir, "export-state.json")) as { statusUrl: string; manifest?: { output: unknown[] } };
    expect(state.manifest).toBeDefined();
    const before = readdirSync(join(dir, "files")).filter((f) => f.endsWith(".ndjson"));
    expect(before.length).toBeLessThan(state.manifest!.output.length);

    const events: string[] = [];
    const result = await bulkExport({ ...request, retry: FAST_RETRY, token, onEvent: (event, fields) => events.push(`${event} ${JSON.stringify(fields ?? {})}`) });
    expect(events).not.toContain("export started {}");
    expect(events).toContain(`downloading {"files":${state.manifest!.output.length},"alreadyDownloaded":${before.length}}`);
    expect(readdirSync(result.filesDir)).toHaveLength(state.manifest!.output.length);
    const gone = await fetch(state.statusUrl, { headers: { authorization: `Bearer ${await token()}` } });
    expect(gone.status).toBe(404);
    rmSync(out, { recursive: true });
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});

describe("a --fhir run refused before anything is downloaded", () => {
  /** `npm run population -- --fhir ...` into a folder that does not exist yet. */
  const refusedRun = async (fhir: string, clientId: string, key: string, out = join(tempDir("patella-bulk-refused-"), "runs", "out"), extra: string[] = []) => {
    const run = await populationCli(["--fhir", fhir, "--client-id", clientId, "--key", key, "--out", out, "--index-date", INDEX_DATE, "--workers", "1", ...extra]).done;
    return { ...run, out };
  };
  const unknownGroup = ["--group", "no-such-group"];
  /** Every file and folder under `dir`, with each file's text. */
  const contents = (dir: string) => readdirSync(dir, { recursive: true, encoding: "utf8" }).sort().map((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? `${name}/` : `${name}: ${readFileSync(path).toString("base64")}`;
  });

  it("by the kick-off (a Group the server does not know: 404 with an OperationOutcome): stored nothing, so leaves no --out, nor the folders it made for it", async () => {
    const run = await refusedRun(sandbox.fhirBaseUrl, "population", keyFile, undefined, unknownGroup);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("error: export kick-off: HTTP 404 no such Group");
    expect(existsSync(run.out)).toBe(false);
    expect(existsSync(dirname(run.out))).toBe(false);
  }, 60_000);

  it("by the kick-off, into an --out that exists: leaves it as it was, its files and an earlier run's lock file included", async () => {
    const empty = tempDir("patella-bulk-refused-empty-");
    const emptyRun = await refusedRun(sandbox.fhirBaseUrl, "population", keyFile, empty, unknownGroup);
    expect(emptyRun.code).toBe(1);
    expect(readdirSync(empty)).toEqual([]);

    const earlier = tempDir("patella-bulk-refused-earlier-");
    writeFileSync(join(earlier, "notes.txt"), "a site's notes\n");
    // As an earlier run leaves its lock file.
    lockOut(earlier).release();
    const before = contents(earlier);
    const earlierRun = await refusedRun(sandbox.fhirBaseUrl, "population", keyFile, earlier, unknownGroup);
    expect(earlierRun.code).toBe(1);
    expect(contents(earlier)).toEqual(before);
  }, 60_000);

  it("by the kick-off, into an --out that holds empty export folders and no export state: leaves it as it was, without this run's lock file", async () => {
    // The export folders are there, as a run stopped before its kick-off was answered leaves them,
    // so the run cannot tell the refusal by their absence; it made only the lock file, which goes.
    const earlier = tempDir("patella-bulk-refused-folders-");
    mkdirSync(join(earlier, "export", "files"), { recursive: true });
    const before = contents(earlier);
    const run = await refusedRun(sandbox.fhirBaseUrl, "population", keyFile, earlier, unknownGroup);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("error: export kick-off: HTTP 404 no such Group");
    expect(contents(earlier)).toEqual(before);
  }, 60_000);

  it("by the token endpoint, for a client it does not know: says to register the client's public key, and leaves no --out", async () => {
    const run = await refusedRun(sandbox.fhirBaseUrl, "not-registered", keyFile);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      "error: token request: HTTP 401 invalid_client; unknown client. The authorization server does not accept client not-registered: " +
        "register it there with the public key (a JWKS) of the private key given with --key " +
        '(npm run backend-client-keys makes the pair; population/README.md, "A Backend Services client", says how for npm start\'s sandbox)',
    );
    expect(existsSync(run.out)).toBe(false);
    expect(existsSync(dirname(run.out))).toBe(false);
  }, 60_000);

  it("for a key it cannot read, or a server it cannot reach: leaves no --out", async () => {
    const missingKey = await refusedRun(sandbox.fhirBaseUrl, "population", "/nonexistent/private.jwk.json");
    expect(missingKey.code).toBe(1);
    expect(missingKey.stderr).toContain("error: /nonexistent/private.jwk.json: cannot read the private key");
    expect(existsSync(dirname(missingKey.out))).toBe(false);
    // A port of this machine nothing listens on any more: 6 tries, then the error.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await refusedRun(`http://127.0.0.1:${port}/fhir`, "population", keyFile);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`error: smart-configuration: fetch failed (connect ECONNREFUSED 127.0.0.1:${port})`);
    expect(existsSync(dirname(refused.out))).toBe(false);
  }, 120_000);
});
