/**
 * The sandbox FHIR server's one write path: a transaction Bundle POSTed at the base, all or
 * nothing, behind a SMART Backend Services token with system/ create or update scopes.
 * Each test has its own sandbox, so writes never reach another test's data.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Bundle, BundleEntry, DiagnosticReport, ImagingStudy, Observation, OperationOutcome, Resource } from "fhir/r4";
import { decodeJwt } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backendServicesToken } from "../../../population/bulk/backend-services-token.ts";
import { bulkExport } from "../../../population/bulk/bulk-export.ts";
import { issueAccessToken } from "../../../sandbox/auth/access-token.ts";
import { startSandbox, type Sandbox } from "../../../sandbox/sandbox-server.ts";
import { tempDir } from "../../population/fixtures.ts";
import { registerBackendClient } from "../../support/backend-client-key.ts";
import { FIXTURE_RESOURCES } from "../fixtures.ts";
import { messageOf, postBundle as post, searchResources, transaction } from "./fhir-calls.ts";

let sandbox: Sandbox;
let writerKeyFile: string;
let readerKeyFile: string;

beforeEach(async () => {
  sandbox = await startSandbox({ port: 0, resources: FIXTURE_RESOURCES });
  writerKeyFile = await registerBackendClient(sandbox, "importer", { mayWrite: true });
  readerKeyFile = await registerBackendClient(sandbox, "population", { mayWrite: false });
});
afterEach(() => sandbox.close());

const NO_RETRY = { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 };

/** A Backend Services token from the sandbox's token endpoint (the population job's client code). */
async function backendToken(clientId: string, keyFile: string, scope: string): Promise<string> {
  return (await backendServicesToken(sandbox.fhirBaseUrl, { clientId, keyFile, scope }, NO_RETRY))();
}

const writerToken = (scope = "system/*.cu system/*.rs") => backendToken("importer", writerKeyFile, scope);
const grantedScope = (token: string) => decodeJwt(token).scope;

const postBundle = (bundle: unknown, token: string | undefined) => post(sandbox.fhirBaseUrl, bundle, token);
const search = (path: string, token: string) => searchResources(sandbox.fhirBaseUrl, path, token);

const grade = (value: number | string): Observation =>
  ({
    resourceType: "Observation",
    status: "final",
    code: { coding: [{ system: "https://patella.example.org/fhir/CodeSystem/imaging-ai", code: "kl-grade" }] },
    subject: { reference: "Patient/alice" },
    valueInteger: value,
  }) as Observation;

const report = (resultRef: string): DiagnosticReport => ({
  resourceType: "DiagnosticReport",
  status: "final",
  code: { coding: [{ system: "http://loinc.org", code: "18748-4" }] },
  subject: { reference: "Patient/alice" },
  result: [{ reference: resultRef }],
});

const OBS_URN = "urn:uuid:0b0a9c1e-59a4-4c59-9d36-3c1b8e0c1a11";

describe("transaction Bundle at the FHIR base", () => {
  it("creates every entry, resolves urn:uuid references to the new ids, answers with status and location, and serves them in searches and $export", async () => {
    const token = await writerToken();
    const { status, body } = await postBundle(
      transaction([
        { fullUrl: OBS_URN, resource: grade(3), request: { method: "POST", url: "Observation" } },
        { fullUrl: "urn:uuid:5e1f7d7e-2c5f-4a43-8f0b-7f8f7bb0f0a2", resource: report(OBS_URN), request: { method: "POST", url: "DiagnosticReport" } },
      ]),
      token,
    );
    expect(status).toBe(200);
    const response = body as Bundle;
    expect(response.type).toBe("transaction-response");
    expect(response.entry?.map((e) => e.response?.status)).toEqual(["201 Created", "201 Created"]);
    const [obsLocation = "", reportLocation = ""] = response.entry!.map((e) => e.response!.location!);
    expect(obsLocation).toMatch(/^Observation\/[A-Za-z0-9\-.]+\/_history\/[^/]+$/);
    expect(reportLocation).toMatch(/^DiagnosticReport\/[A-Za-z0-9\-.]+\/_history\/[^/]+$/);
    const obsId = obsLocation.split("/")[1]!;
    const reportId = reportLocation.split("/")[1]!;

    // Read back: the report's result now names the server's id of the Observation.
    const stored = (await search(`DiagnosticReport?_id=${reportId}`, token))[0] as DiagnosticReport;
    expect(stored.result?.[0]?.reference).toBe(`Observation/${obsId}`);

    // A patient/ token of the app finds them in the patient's compartment.
    const appToken = await issueAccessToken(sandbox.tokenSigner, { clientId: "app", scopes: ["patient/Observation.rs", "patient/DiagnosticReport.rs"], patient: "alice" }, 60);
    const observations = await search("Observation?patient=alice&_count=100", appToken);
    expect(observations.map((o) => o.id)).toContain(obsId);
    expect(observations).toHaveLength(2); // the fixture's BMI and the new grade
    expect((await search("DiagnosticReport?patient=alice", appToken)).map((r) => r.id)).toEqual([reportId]);
    // ...and bob's compartment is untouched.
    const bobToken = await issueAccessToken(sandbox.tokenSigner, { clientId: "app", scopes: ["patient/Observation.rs"], patient: "bob" }, 60);
    expect(await search("Observation?patient=bob", bobToken)).toHaveLength(0);

    // Bulk Data export includes what was written.
    const { filesDir } = await bulkExport({
      fhirBaseUrl: sandbox.fhirBaseUrl,
      types: ["DiagnosticReport"],
      parallel: 1,
      retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 2000 },
      token: () => writerToken("system/DiagnosticReport.rs"),
      dir: tempDir("patella-tx-export-"),
      onEvent: () => undefined,
    });
    const exported = readdirSync(filesDir).flatMap((f) => readFileSync(join(filesDir, f), "utf8").trim().split("\n")).map((l) => JSON.parse(l) as Resource);
    expect(exported.map((r) => `${r.resourceType}/${r.id}`)).toEqual([`DiagnosticReport/${reportId}`]);
  }, 60_000);

  it("writes nothing when one entry is invalid, and says which entry and why", async () => {
    const token = await writerToken();
    const { status, body } = await postBundle(
      transaction([
        { resource: grade(2), request: { method: "POST", url: "Observation" } },
        { resource: grade("three"), request: { method: "POST", url: "Observation" } },
      ]),
      token,
    );
    expect(status).toBe(400);
    expect(messageOf(body)).toMatch(/^entry 1: .*Observation\.value\[x\].*; nothing was written$/);
    expect(await search("Observation?patient=alice", token)).toHaveLength(1);
  });

  it("refuses a urn:uuid reference that names no entry of the Bundle, writing nothing", async () => {
    const token = await writerToken();
    const { status, body } = await postBundle(
      transaction([
        { fullUrl: OBS_URN, resource: grade(1), request: { method: "POST", url: "Observation" } },
        { resource: report("urn:uuid:11111111-2222-4333-8444-555555555555"), request: { method: "POST", url: "DiagnosticReport" } },
      ]),
      token,
    );
    expect(status).toBe(400);
    expect(messageOf(body)).toContain("entry 1: reference urn:uuid:11111111-2222-4333-8444-555555555555 names no entry of the Bundle");
    expect(await search("Observation?patient=alice", token)).toHaveLength(1);
    expect(await search("DiagnosticReport?patient=alice", token)).toHaveLength(0);
  });

  it("PUT Type/id creates with the client's id, then updates it", async () => {
    const token = await writerToken();
    const put = (value: number) => postBundle(transaction([{ resource: { ...grade(value), id: "kl-1" }, request: { method: "PUT", url: "Observation/kl-1" } }]), token);
    const first = await put(2);
    expect((first.body as Bundle).entry?.[0]?.response?.status).toBe("201 Created");
    const second = await put(4);
    expect((second.body as Bundle).entry?.[0]?.response?.status).toBe("200 OK");
    const found = (await search("Observation?patient=alice&_id=kl-1", token)) as Observation[];
    expect(found.map((o) => o.valueInteger)).toEqual([4]);
    const wrongId = await postBundle(transaction([{ resource: { ...grade(1), id: "other" }, request: { method: "PUT", url: "Observation/kl-1" } }]), token);
    expect(wrongId.status).toBe(400);
  });

  it("PUT /Type/id outside a transaction: 201 with Location and the stored resource, then 200; errors name the PUT", async () => {
    const token = await writerToken();
    const put = (body: unknown) =>
      fetch(`${sandbox.fhirBaseUrl}/Observation/kl-2`, { method: "PUT", headers: { "content-type": "application/fhir+json", authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    const created = await put({ ...grade(2), id: "kl-2" });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toMatch(new RegExp(`^${sandbox.fhirBaseUrl}/Observation/kl-2/_history/[^/]+$`));
    expect(((await created.json()) as Observation).valueInteger).toBe(2);
    const updated = await put({ ...grade(3), id: "kl-2" });
    expect([updated.status, ((await updated.json()) as Observation).valueInteger]).toEqual([200, 3]);
    const bad = await put({ ...grade("three"), id: "kl-2" });
    expect(bad.status).toBe(400);
    expect(messageOf((await bad.json()) as OperationOutcome)).toMatch(/^PUT Observation\/kl-2: .*value\[x\]/);
  });

  it("a conditional create (ifNoneExist) that matches creates nothing and its urn:uuid resolves to the existing resource", async () => {
    const token = await writerToken();
    const study: ImagingStudy = { resourceType: "ImagingStudy", status: "available", subject: { reference: "Patient/alice" }, identifier: [{ system: "urn:dicom:uid", value: "urn:oid:1.2.3.4" }] };
    const studyUrn = "urn:uuid:9d2b6c55-0c1f-4f7e-b1f3-2e51c0b8a0d4";
    const bundle = transaction([
      { fullUrl: studyUrn, resource: study, request: { method: "POST", url: "ImagingStudy", ifNoneExist: "identifier=urn:dicom:uid|urn:oid:1.2.3.4" } },
      { resource: { ...grade(2), derivedFrom: [{ reference: studyUrn }] }, request: { method: "POST", url: "Observation" } },
    ]);
    const first = (await postBundle(bundle, token)).body as Bundle;
    const second = (await postBundle(bundle, token)).body as Bundle;
    expect(first.entry?.[0]?.response?.status).toBe("201 Created");
    expect(second.entry?.[0]?.response?.status).toBe("200 OK");
    const studyId = first.entry![0]!.response!.location!.split("/")[1];
    expect(second.entry![0]!.response!.location!.split("/")[1]).toBe(studyId);
    expect(await search("ImagingStudy?patient=alice", token)).toHaveLength(1);
    const grades = (await search("Observation?patient=alice&code=kl-grade", token)) as Observation[];
    expect(grades.map((o) => o.derivedFrom?.[0]?.reference)).toEqual([`ImagingStudy/${studyId}`, `ImagingStudy/${studyId}`]);
  });

  it("a Provenance written later belongs to the patient of the study it targets, written earlier", async () => {
    const token = await writerToken();
    const study: ImagingStudy = { resourceType: "ImagingStudy", id: "recon-1", status: "available", subject: { reference: "Patient/alice" } };
    expect((await postBundle(transaction([{ resource: study, request: { method: "PUT", url: "ImagingStudy/recon-1" } }]), token)).status).toBe(200);
    const provenance = { resourceType: "Provenance" as const, id: "prov-1", target: [{ reference: "ImagingStudy/recon-1" }], recorded: "2025-03-02T10:00:00Z", agent: [{ who: { display: "DeepResolve" } }] };
    expect((await postBundle(transaction([{ resource: provenance, request: { method: "PUT", url: "Provenance/prov-1" } }]), token)).status).toBe(200);
    const appToken = await issueAccessToken(sandbox.tokenSigner, { clientId: "app", scopes: ["patient/Provenance.rs"], patient: "alice" }, 60);
    expect((await search("Provenance?patient=alice", appToken)).map((r) => r.id)).toEqual(["prov-1"]);
  });

  it("refuses batches, other methods and types it does not serve", async () => {
    const token = await writerToken();
    expect((await postBundle({ resourceType: "Bundle", type: "batch", entry: [] }, token)).status).toBe(400);
    const del = await postBundle(transaction([{ request: { method: "DELETE", url: "Observation/alice-bmi" } } as BundleEntry]), token);
    expect(del.status).toBe(400);
    const unserved = await postBundle(transaction([{ resource: { resourceType: "Questionnaire", status: "active" }, request: { method: "POST", url: "Questionnaire" } }]), token);
    expect(messageOf(unserved.body)).toContain("resource type Questionnaire is not served here");
    const broken = await postBundle("{not json", token);
    expect(broken.status).toBe(400);
    expect(broken.body.resourceType).toBe("OperationOutcome");
  });
});

describe("who may write", () => {
  const oneGrade = transaction([{ resource: grade(2), request: { method: "POST", url: "Observation" } }]);

  it("refuses a request without a token (401) and a read-only token (403), with an OperationOutcome, writing nothing", async () => {
    const none = await postBundle(oneGrade, undefined);
    expect(none.status).toBe(401);
    expect(none.body.resourceType).toBe("OperationOutcome");
    const readOnly = await writerToken("system/*.rs");
    const refused = await postBundle(oneGrade, readOnly);
    expect(refused.status).toBe(403);
    expect(messageOf(refused.body)).toContain("entry 0: granted scopes do not allow create of Observation");
    const appToken = await issueAccessToken(sandbox.tokenSigner, { clientId: "app", scopes: ["patient/Observation.rs"], patient: "alice" }, 60);
    expect((await postBundle(oneGrade, appToken)).status).toBe(403);
    expect(await search("Observation?patient=alice", readOnly)).toHaveLength(1);
  });

  it("an update needs the u scope: create-only tokens may add but not replace", async () => {
    const createOnly = await writerToken("system/Observation.c");
    const refused = await postBundle(transaction([{ resource: { ...grade(1), id: "alice-bmi" }, request: { method: "PUT", url: "Observation/alice-bmi" } }]), createOnly);
    expect(refused.status).toBe(403);
    expect(messageOf(refused.body)).toContain("do not allow update of Observation");
    expect((await postBundle(oneGrade, createOnly)).status).toBe(200);
  });

  it("grants create and update scopes only to a client registered as a writer", async () => {
    expect(grantedScope(await writerToken("system/Observation.cu system/Patient.d"))).toBe("system/Observation.cu");
    await expect(backendToken("population", readerKeyFile, "system/Observation.cu")).rejects.toThrow(/HTTP 400 .*invalid_scope/);
    expect(grantedScope(await backendToken("population", readerKeyFile, "system/Observation.cu system/Observation.rs"))).toBe("system/Observation.rs");
  });
});
