/**
 * Every file the population job and its Bulk Data client write holds patients' data, or may, and
 * is readable by its owner only (files 0600, folders 0700), whatever the umask. The tests run
 * under a umask of 0, with which a file created with the defaults is 0666 (0644 under the usual
 * 022) and a folder 0777, and stat every file and folder a run leaves, and those it keeps only
 * while it runs (the checkpoint's write-ahead log, the spill of unordered NDJSON).
 */
import { chmodSync, existsSync, lstatSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, relative } from "node:path";
import type { Resource } from "fhir/r4";
import { exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simulateCohort } from "../../../models/cohort/simulate.ts";
import { bulkExport } from "../../../population/bulk/bulk-export.ts";
import { Checkpoint, type RunIdentity } from "../../../population/job/checkpoint.ts";
import { spillAndGroup } from "../../../population/ndjson-sqlite-spill.ts";
import { tempDir, writeNdjson } from "../fixtures.ts";
import { INDEX_DATE, populationCli } from "./job-fixtures.ts";
import { useUmaskZero } from "../../support/umask-zero.ts";

useUmaskZero();

/** Every file and folder under `root` (itself included), with its permission bits. */
function modesUnder(root: string): Map<string, number> {
  const modes = new Map<string, number>([[".", lstatSync(root).mode & 0o777]]);
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      const stat = lstatSync(path);
      modes.set(relative(root, path), stat.mode & 0o777);
      if (stat.isDirectory()) walk(path);
    }
  };
  walk(root);
  return modes;
}

const mode = (path: string) => statSync(path).mode & 0o777;

describe("a --fhir run of npm run population under umask 0", () => {
  let server: Server;
  let base: string;
  let keyFile: string;
  beforeAll(async () => {
    // A FHIR server with SMART Backend Services (any assertion takes a token) and an export whose
    // output files are not ordered by patient (the run regroups them in its spill), with an error
    // file and a deleted-resource file.
    const resources: Resource[] = [...simulateCohort({ patients: 12, seed: 7 })].flatMap((p) => p.resources);
    const ofType = (type: string) => resources.filter((r) => r.resourceType === type);
    const files: Record<string, string> = {
      "patient.ndjson": ofType("Patient").map((r) => `${JSON.stringify(r)}\n`).join(""),
      "encounter.ndjson": ofType("Encounter").reverse().map((r) => `${JSON.stringify(r)}\n`).join(""),
      "condition.ndjson": ofType("Condition").map((r) => `${JSON.stringify(r)}\n`).join(""),
      "observation.ndjson": ofType("Observation").map((r) => `${JSON.stringify(r)}\n`).join(""),
      "errors.ndjson": `${JSON.stringify({ resourceType: "OperationOutcome", issue: [{ severity: "error", code: "processing", diagnostics: "could not export" }] })}\n`,
      "deleted.ndjson": `${JSON.stringify({ resourceType: "Bundle", type: "transaction", entry: [{ request: { method: "DELETE", url: "Patient/gone" } }] })}\n`,
    };
    server = createServer((request, response) => {
      const url = request.url!;
      if (url === "/fhir/.well-known/smart-configuration") return void response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token_endpoint: `${base}/token` }));
      if (url === "/fhir/token") return void response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ access_token: "tok", token_type: "bearer", expires_in: 3600 }));
      if (url.includes("$export")) return void response.writeHead(202, { "content-location": `${base}/status/1` }).end();
      if (url === "/fhir/status/1" && request.method === "DELETE") return void response.writeHead(202).end();
      if (url === "/fhir/status/1") {
        const output = ["Patient", "Encounter", "Condition", "Observation"].map((type) => ({ type, url: `${base}/files/${type.toLowerCase()}.ndjson` }));
        const manifest = { transactionTime: "2026-01-01T00:00:00Z", requiresAccessToken: true, output, error: [{ type: "OperationOutcome", url: `${base}/files/errors.ndjson` }], deleted: [{ type: "Bundle", url: `${base}/files/deleted.ndjson` }] };
        return void response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(manifest));
      }
      const body = files[url.replace("/fhir/files/", "")];
      if (body === undefined) return void response.writeHead(404).end();
      response.writeHead(200, { "content-type": "application/fhir+ndjson" }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
    const pair = await generateKeyPair("ES384", { extractable: true });
    keyFile = join(tempDir("patella-modes-key-"), "private.jwk.json");
    writeFileSync(keyFile, JSON.stringify({ ...(await exportJWK(pair.privateKey)), alg: "ES384" }));
  });
  afterAll(() => server.close());

  it("leaves every file it wrote 0600 and every folder it made 0700: outputs, checkpoint, lock, the export's files, errors and deleted", async () => {
    const out = join(tempDir("patella-modes-"), "runs", "out");
    // The child inherits this process's umask (0).
    const run = await populationCli(["--fhir", base, "--client-id", "c", "--key", keyFile, "--out", out, "--index-date", INDEX_DATE, "--threshold", "0.01", "--workers", "1"]).done;
    expect(run.code, run.stderr).toBe(0);
    // The spill was used (and removed at the end); its modes are checked below, while in use.
    expect(run.stderr).toContain('"event":"regrouping"');
    const modes = modesUnder(join(out, ".."));
    const names = [...modes.keys()].sort();
    for (const expected of [
      "out",
      "out/high-risk.csv",
      "out/risk-assessments.ndjson",
      "out/high-risk-group.json",
      "out/imaging-knee-oa.csv",
      "out/imaging-knee-oa-group.json",
      "out/summary.html",
      "out/job-state.sqlite",
      "out/run.lock",
      "out/export",
      "out/export/export-state.json",
      "out/export/files",
      "out/export/files/Patient.00000.ndjson",
      "out/export/files/Observation.00003.ndjson",
      "out/export/errors",
      "out/export/errors/OperationOutcome.00000.ndjson",
      "out/export/deleted",
      "out/export/deleted/Bundle.00000.ndjson",
    ]) {
      expect(names).toContain(expected);
    }
    // "." (runs/), the parent the run made on the way to --out, gets the umask's mode, as mkdir -p
    // gives: an --out deep in a shared tree must not lock the others out of its parents.
    const wrong = [...modes].filter(([name, bits]) => bits !== (name === "." ? 0o777 : lstatSync(join(out, "..", name)).isDirectory() ? 0o700 : 0o600));
    expect(wrong.map(([name, bits]) => `${name} ${bits.toString(8)}`)).toEqual([]);
  }, 120_000);

  it("makes owner-only, when the export is run again, the files and folders an earlier version downloaded with the umask's modes", async () => {
    const dir = join(tempDir("patella-modes-resume-"), "export");
    const request = { fhirBaseUrl: base, types: ["Patient"], parallel: 2, retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 }, token: async () => "tok", dir, onEvent: () => undefined };
    await bulkExport(request);
    for (const folder of ["", "files", "errors", "deleted"]) chmodSync(join(dir, folder), 0o755);
    for (const file of ["files/Patient.00000.ndjson", "errors/OperationOutcome.00000.ndjson", "deleted/Bundle.00000.ndjson"]) chmodSync(join(dir, file), 0o644);
    await bulkExport(request);
    const modes = modesUnder(dir);
    const wrong = [...modes].filter(([name, bits]) => bits !== (lstatSync(join(dir, name)).isDirectory() ? 0o700 : 0o600));
    expect(wrong.map(([name, bits]) => `${name} ${bits.toString(8)}`)).toEqual([]);
    expect(modes.size).toBe(11);
  });
});

const IDENTITY: RunIdentity = {
  source: "/data/in",
  inputFiles: "0".repeat(64),
  indexDate: INDEX_DATE,
  minAgeYears: null,
  explainFrom: 0.05,
  includeNames: false,
  rules: "test",
  model: { name: "m", version: "1", specVersion: "1", sha256: "0".repeat(64) },
  shard: { index: 0, count: 1 },
};

describe("files the job keeps open while it runs, under umask 0", () => {
  it("the checkpoint, its write-ahead log and shared memory are 0600 while it is open", () => {
    const out = tempDir("patella-modes-checkpoint-");
    const checkpoint = Checkpoint.open(out, IDENTITY);
    try {
      for (const name of ["job-state.sqlite", "job-state.sqlite-wal", "job-state.sqlite-shm"]) {
        expect(existsSync(join(out, name)), name).toBe(true);
        expect(mode(join(out, name)).toString(8), name).toBe("600");
      }
    } finally {
      checkpoint.close();
    }
  });

  it("a checkpoint an earlier version left readable by others is made 0600 when a run opens it", () => {
    const out = tempDir("patella-modes-old-checkpoint-");
    Checkpoint.open(out, IDENTITY).close();
    chmodSync(join(out, "job-state.sqlite"), 0o644);
    const checkpoint = Checkpoint.open(out, IDENTITY);
    try {
      for (const name of ["job-state.sqlite", "job-state.sqlite-wal", "job-state.sqlite-shm"]) expect(mode(join(out, name)).toString(8), name).toBe("600");
    } finally {
      checkpoint.close();
    }
  });

  it("the spill of unordered NDJSON: its folders 0700 and its database 0600 while it is read", async () => {
    const input = tempDir("patella-modes-spill-in-");
    writeNdjson(input, "Patient.ndjson", [
      { resourceType: "Patient", id: "b" },
      { resourceType: "Patient", id: "a" },
    ]);
    // The job's spill folder (job/spill-folder.ts), which does not exist yet.
    const parent = join(tempDir("patella-modes-spill-"), "out", "patella-spill");
    const groups = spillAndGroup({
      files: [join(input, "Patient.ndjson")],
      policy: { skipBadLines: true, onSkip: () => undefined },
      place: (resource) => ({ patientId: resource.id! }),
      keep: () => true,
      tempDir: parent,
    });
    const first = await groups.next();
    try {
      expect(first.value).toMatchObject({ patientId: "a" });
      const modes = modesUnder(join(parent, ".."));
      expect([...modes.keys()].some((name) => name.endsWith("spill.sqlite"))).toBe(true);
      // "." (out/) was made on the way, as mkdir -p makes it (the umask's mode).
      const wrong = [...modes].filter(([name, bits]) => bits !== (name === "." ? 0o777 : lstatSync(join(parent, "..", name)).isDirectory() ? 0o700 : 0o600));
      expect(wrong.map(([name, bits]) => `${name} ${bits.toString(8)}`)).toEqual([]);
    } finally {
      await groups.return(undefined);
    }
  });
});
