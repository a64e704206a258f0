/**
 * The imaging AI results through the sandbox FHIR server: a patient/ token reads its patient's
 * ImagingStudy, Media and Provenance (a Provenance through the patient who owns its targets),
 * the shared Devices and Endpoints, and nothing of another patient's.
 */
import type { Bundle, FhirResource, Resource } from "fhir/r4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueAccessToken } from "../../../sandbox/auth/access-token.ts";
import { startSandbox, type Sandbox } from "../../../sandbox/sandbox-server.ts";
import { buildImagingAiResources } from "../../../shared/imaging/build-resources.ts";
import { FIXTURE_RESOURCES } from "../fixtures.ts";

function deepResolveFor(patient: string): Resource[] {
  return buildImagingAiResources({
    idPrefix: `${patient}-i1`,
    patientId: patient,
    issued: "2024-03-02T10:00:00Z",
    studyDate: "2024-03-01T10:00:00Z",
    algorithm: { name: "DeepResolve", version: "t-1", manufacturer: "test" },
    study: { reference: `ImagingStudy/${patient}-src` },
    studyUid: "1.2.3",
    findings: { kind: "deepresolve", sourceSeriesUid: "1.2.3.4", series: { uid: "1.2.3.5", description: "recon", sliceCount: 160, sliceThicknessMm: 0.7 } },
  });
}

const ENDPOINT: FhirResource = { resourceType: "Endpoint", id: "pacs", status: "active", connectionType: { code: "dicom-wado-rs" }, payloadType: [{ text: "DICOM" }], address: "https://pacs.example.org/wado" };

let sandbox: Sandbox;
beforeAll(async () => {
  const resources = [...FIXTURE_RESOURCES, ...deepResolveFor("alice"), ...deepResolveFor("bob"), ENDPOINT] as FhirResource[];
  sandbox = await startSandbox({ port: 0, resources });
});
afterAll(() => sandbox.close());

const SCOPES = ["ImagingStudy", "Provenance", "Device", "Endpoint", "Media"].map((t) => `patient/${t}.rs`);

async function get(path: string, scopes = SCOPES): Promise<Response> {
  const token = await issueAccessToken(sandbox.tokenSigner, { clientId: "t", scopes, patient: "alice" }, 600);
  return fetch(`${sandbox.fhirBaseUrl}/${path}`, { headers: { Authorization: `Bearer ${token}` } });
}

async function ids(path: string): Promise<string[]> {
  const res = await get(path);
  expect(res.status).toBe(200);
  return (((await res.json()) as Bundle).entry ?? []).map((e) => `${e.resource?.resourceType}/${e.resource?.id}`).sort();
}

describe("imaging AI resources under patient/ scopes", () => {
  it("searches the patient's imaging studies and Provenance, and the shared Devices and Endpoints", async () => {
    expect(await ids("ImagingStudy?patient=alice")).toEqual(["ImagingStudy/alice-i1-recon"]);
    expect(await ids("Provenance?patient=alice")).toEqual(["Provenance/alice-i1-prov"]);
    expect(await ids("Device")).toHaveLength(1); // both reports name the same algorithm version
    expect(await ids("Endpoint")).toEqual(["Endpoint/pacs"]);
  });

  it("reads the patient's Provenance and refuses another patient's", async () => {
    expect((await get("Provenance/alice-i1-prov")).status).toBe(200);
    expect((await get("Provenance/bob-i1-prov")).status).toBe(403);
    expect((await get("Provenance?patient=bob")).status).toBe(403);
  });

  it("keeps the scopes: no Provenance without its scope", async () => {
    expect((await get("Provenance?patient=alice", ["patient/ImagingStudy.rs"])).status).toBe(403);
    expect((await get("Device", ["patient/ImagingStudy.rs"])).status).toBe(403);
  });
});
