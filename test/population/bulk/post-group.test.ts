/**
 * `population --post-group` against a FHIR server that takes writes (the sandbox): the job's
 * Groups (the high-risk list's, the imaging list's) are PUT by their ids with a SMART Backend
 * Services token, land on the server, and a second run updates the same Group. The token needs a
 * write scope for Group, which the job's default scopes include only with --post-group: without
 * it the server refuses (403).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Group, Observation } from "fhir/r4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backendServicesToken } from "../../../population/bulk/backend-services-token.ts";
import { exportScope } from "../../../population/bulk/export-input.ts";
import { postGroup } from "../../../population/bulk/post-group.ts";
import { highRiskGroup } from "../../../population/job/outputs/high-risk-group.ts";
import { buildImagingAiResources } from "../../../shared/imaging/build-resources.ts";
import { issueAccessToken } from "../../../sandbox/auth/access-token.ts";
import { startSandbox, type Sandbox } from "../../../sandbox/sandbox-server.ts";
import { registerBackendClient } from "../../support/backend-client-key.ts";
import { FIXTURE_RESOURCES } from "../../sandbox/fixtures.ts";
import { tempDir } from "../fixtures.ts";
import { INDEX_DATE, populationCli, read } from "../job/job-fixtures.ts";
import { runIdentity } from "../run-identity.ts";

const NO_RETRY = { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 };
const IDENTITY = runIdentity({ source: "http://127.0.0.1/fhir", indexDate: "2026-01-15", minAgeYears: 40, explainFrom: 0.1, model: { name: "deep-koa", version: "1.2.0", specVersion: "1", sha256: "0".repeat(64) } });

let sandbox: Sandbox;
let keyFile: string;

/** Bob's knees graded by the imaging AI half a year before the run's index date: left KL 3 (radiographic knee OA). */
const BOB_KL = buildImagingAiResources({
  idPrefix: "bob-kl",
  patientId: "bob",
  issued: "2025-06-02T12:00:00Z",
  studyDate: "2025-06-02T09:00:00Z",
  algorithm: { name: "Knee KL grader", version: "1", manufacturer: "Example" },
  study: { reference: "ImagingStudy/bob-xr" },
  studyUid: "2.25.7",
  findings: { kind: "kl", knees: [{ side: "left", grade: 3 }, { side: "right", grade: 1 }] },
}).filter((r): r is Observation => r.resourceType === "Observation");

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, resources: [...FIXTURE_RESOURCES, ...BOB_KL] });
  keyFile = await registerBackendClient(sandbox, "population", { mayWrite: true });
});
afterAll(() => sandbox.close());

function groupFile(members: string[]): string {
  const file = join(tempDir("patella-post-group-"), "high-risk-group.json");
  writeFileSync(file, JSON.stringify(highRiskGroup(members, IDENTITY, { threshold: 0.2, top: null })));
  return file;
}

async function readGroup(id: string): Promise<{ status: number; group: Group }> {
  const token = await issueAccessToken(sandbox.tokenSigner, { clientId: "reader", scopes: ["system/Group.rs"] }, 60);
  const response = await fetch(`${sandbox.fhirBaseUrl}/Group/${id}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, group: (await response.json()) as Group };
}

describe("population --post-group against the sandbox", () => {
  it("PUTs the high-risk Group with a Group write scope, and a later run updates the same Group", async () => {
    // The scopes the job asks for by default with --post-group.
    const token = await backendServicesToken(sandbox.fhirBaseUrl, { clientId: "population", keyFile, scope: exportScope(true) }, NO_RETRY);
    const url = await postGroup(sandbox.fhirBaseUrl, groupFile(["alice"]), token, NO_RETRY);
    // The list of groupFile's selection, from 20%: the Group's id names its threshold.
    const id = "patella-koa-high-risk-2026-01-15-from-0.2";
    expect(url).toBe(`${sandbox.fhirBaseUrl}/Group/${id}`);
    const first = await readGroup(id);
    expect(first.status).toBe(200);
    expect(first.group.member?.map((m) => m.entity.reference)).toEqual(["Patient/alice"]);

    await postGroup(sandbox.fhirBaseUrl, groupFile(["alice", "bob"]), token, NO_RETRY);
    const second = await readGroup(id);
    expect([second.group.quantity, second.group.member?.map((m) => m.entity.reference)]).toEqual([2, ["Patient/alice", "Patient/bob"]]);
    expect(second.group.meta?.versionId).not.toBe(first.group.meta?.versionId);
  });

  it("a --fhir run with --post-group PUTs both of its Groups as it wrote them: the high-risk list's and the imaging list's (Bob, KL 3)", async () => {
    const out = tempDir("patella-post-group-run-");
    const run = await populationCli(["--fhir", sandbox.fhirBaseUrl, "--client-id", "population", "--key", keyFile, "--out", out, "--index-date", INDEX_DATE, "--workers", "1", "--post-group"]).done;
    expect(run.code, run.stderr).toBe(0);
    const posted = { "high-risk-group.json": `patella-koa-high-risk-${INDEX_DATE}`, "imaging-knee-oa-group.json": `patella-koa-imaging-kl2-${INDEX_DATE}` };
    for (const [file, id] of Object.entries(posted)) {
      expect(run.stdout).toContain(`posted ${file} to ${sandbox.fhirBaseUrl}/Group/${id}`);
      const written = JSON.parse(read(out, file)) as Group;
      const { status, group } = await readGroup(id);
      expect(status).toBe(200);
      expect([group.name, group.quantity, group.member]).toEqual([written.name, written.quantity, written.member]);
    }
    expect((await readGroup(posted["imaging-knee-oa-group.json"])).group.member?.map((m) => m.entity.reference)).toEqual(["Patient/bob"]);
  }, 120_000);

  it("is refused (403, nothing written) with the scopes the job asks for without --post-group", async () => {
    const token = await backendServicesToken(sandbox.fhirBaseUrl, { clientId: "population", keyFile, scope: exportScope(false) }, NO_RETRY);
    const file = join(tempDir("patella-post-group-ro-"), "high-risk-group.json");
    writeFileSync(file, JSON.stringify({ ...highRiskGroup(["bob"], IDENTITY, { threshold: 0.2, top: null }), id: "read-only-attempt" }));
    await expect(postGroup(sandbox.fhirBaseUrl, file, token, NO_RETRY)).rejects.toThrow(/HTTP 403 .*do not allow create of Group/);
    expect((await readGroup("read-only-attempt")).status).toBe(404);
  });
});
