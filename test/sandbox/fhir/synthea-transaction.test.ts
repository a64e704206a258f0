/**
 * A Synthea patient Bundle POSTed at the sandbox's FHIR base, as Synthea writes it: every entry
 * `POST Type` with a `urn:uuid` fullUrl, references between entries as those urn:uuids, and the
 * directory (Practitioner, Organization) named by conditional references that a separate
 * practitioner/hospital Bundle, loaded first, answers. Built by hand in the shape of Synthea's
 * R4 export, small enough to check every reference.
 */
import type { Bundle, BundleEntry, Condition, Device, Encounter, FhirResource, OperationOutcome, Patient } from "fhir/r4";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { issueAccessToken } from "../../../sandbox/auth/access-token.ts";
import { startSandbox, type Sandbox } from "../../../sandbox/sandbox-server.ts";
import { FIXTURE_RESOURCES } from "../fixtures.ts";
import { messageOf, postBundle, searchResources, transaction } from "./fhir-calls.ts";

const SYNTHEA = "https://github.com/synthetichealth/synthea";
const NPI = "http://hl7.org/fhir/sid/us-npi";
const SYNTHEA_PATIENT_ID = "6c5d9ca9-54d7-42f5-bfae-a7c19cd217f2";
const PATIENT_URN = `urn:uuid:${SYNTHEA_PATIENT_ID}`;
const ENCOUNTER_URN = "urn:uuid:16eae2b6-b91a-4ed4-bcb8-95942f4bff08";
const PRACTITIONER_REF = `Practitioner?identifier=${NPI}|9999974493`;
const ORGANIZATION_REF = `Organization?identifier=${SYNTHEA}|a261e1fc-9361-3633-a2c4-8569a04b818d`;

const entry = (fullUrl: string, resource: FhirResource): BundleEntry => ({ fullUrl, resource, request: { method: "POST", url: resource.resourceType } });

/** A patient with one encounter, a knee OA diagnosis at it, and an implanted device. */
function patientBundle(overrides: { encounterPractitioner?: string; device?: Partial<Device> } = {}): Bundle {
  const patient: Patient = {
    resourceType: "Patient",
    id: SYNTHEA_PATIENT_ID,
    identifier: [{ system: SYNTHEA, value: SYNTHEA_PATIENT_ID }],
    gender: "female",
    birthDate: "1958-04-02",
  };
  const encounter: Encounter = {
    resourceType: "Encounter",
    status: "finished",
    class: { system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: "AMB" },
    subject: { reference: PATIENT_URN },
    participant: [{ individual: { reference: overrides.encounterPractitioner ?? PRACTITIONER_REF, display: "Dr. Test" } }],
    serviceProvider: { reference: ORGANIZATION_REF },
    period: { start: "2020-03-01T10:00:00Z", end: "2020-03-01T10:30:00Z" },
  };
  const condition: Condition = {
    resourceType: "Condition",
    subject: { reference: PATIENT_URN },
    encounter: { reference: ENCOUNTER_URN },
    code: { coding: [{ system: "http://snomed.info/sct", code: "239873007", display: "Osteoarthritis of knee" }] },
    onsetDateTime: "2020-03-01T10:00:00Z",
  };
  const device: Device = {
    resourceType: "Device",
    status: "active",
    type: { coding: [{ system: "http://snomed.info/sct", code: "706004007", display: "Implant" }] },
    patient: { reference: PATIENT_URN },
    ...overrides.device,
  };
  return transaction([
    entry(PATIENT_URN, patient),
    entry(ENCOUNTER_URN, encounter),
    entry("urn:uuid:7518242e-0b07-41d2-8c40-8acd1e3a7bb9", condition),
    entry("urn:uuid:f85c9571-e416-41e5-af6c-abac83f7107f", device),
  ]);
}

/** Synthea's practitioner and hospital Bundles: conditional creates on the identifier. */
function directoryBundle(npis: string[]): Bundle {
  const organization = { resourceType: "Organization" as const, identifier: [{ system: SYNTHEA, value: "a261e1fc-9361-3633-a2c4-8569a04b818d" }], name: "Test Hospital" };
  return transaction([
    { fullUrl: "urn:uuid:ef58ea08-d883-3957-8300-150554edc8fb", resource: organization, request: { method: "POST", url: "Organization", ifNoneExist: `identifier=${SYNTHEA}|a261e1fc-9361-3633-a2c4-8569a04b818d` } },
    ...npis.map((npi, i): BundleEntry => ({
      fullUrl: `urn:uuid:0953dd44-90bb-4805-badd-169a761a6a${String(i).padStart(2, "0")}`,
      resource: { resourceType: "Practitioner", identifier: [{ system: NPI, value: npi }], name: [{ family: "Test" }] },
      request: { method: "POST", url: "Practitioner" },
    })),
  ]);
}

let sandbox: Sandbox;
let token: string;
beforeEach(async () => {
  sandbox = await startSandbox({ port: 0, resources: FIXTURE_RESOURCES });
  token = await issueAccessToken(sandbox.tokenSigner, { clientId: "loader", scopes: ["system/*.cu", "system/*.rs"] }, 600);
});
afterEach(() => sandbox.close());

const post = (bundle: Bundle) => postBundle(sandbox.fhirBaseUrl, bundle, token);
const search = (path: string) => searchResources(sandbox.fhirBaseUrl, path, token);
const idOf = (location: string | undefined) => location?.split("/")[1] ?? "";
const storedDirectory = async () => ({ organization: (await search("Organization"))[0]?.id, practitioner: (await search(`Practitioner?identifier=${NPI}|9999974493`))[0]?.id });

describe("a Synthea patient Bundle", () => {
  it("loads after its directory: new ids for every entry, urn:uuid and conditional references resolved to them", async () => {
    expect((await post(directoryBundle(["9999974493", "9999974500"]))).status).toBe(200);
    const { organization, practitioner } = await storedDirectory();
    const { status, body } = await post(patientBundle());
    expect(status).toBe(200);
    const response = (body as Bundle).entry ?? [];
    expect(response.map((e) => e.response?.status)).toEqual(["201 Created", "201 Created", "201 Created", "201 Created"]);
    expect(response.map((e) => e.response?.outcome)).toEqual([undefined, undefined, undefined, undefined]);
    const [patientId, encounterId, conditionId, deviceId] = response.map((e) => idOf(e.response?.location));
    // POST: the server chooses the ids, whatever id Synthea wrote into the resource.
    expect(patientId).not.toBe(SYNTHEA_PATIENT_ID);

    const [encounter] = (await search(`Encounter?_id=${encounterId}`)) as Encounter[];
    expect(encounter?.subject?.reference).toBe(`Patient/${patientId}`);
    expect(encounter?.participant?.[0]?.individual?.reference).toBe(`Practitioner/${practitioner}`);
    expect(encounter?.serviceProvider?.reference).toBe(`Organization/${organization}`);
    const [condition] = (await search(`Condition?_id=${conditionId}`)) as Condition[];
    expect([condition?.subject.reference, condition?.encounter?.reference]).toEqual([`Patient/${patientId}`, `Encounter/${encounterId}`]);
    const [device] = (await search(`Device?_id=${deviceId}`)) as Device[];
    expect(device?.patient?.reference).toBe(`Patient/${patientId}`);
    // ...and the record is the new patient's compartment, Device included.
    const patientToken = await issueAccessToken(sandbox.tokenSigner, { clientId: "app", scopes: ["patient/*.rs"], patient: patientId }, 60);
    expect((await searchResources(sandbox.fhirBaseUrl, `Condition?patient=${patientId}`, patientToken)).map((r) => r.id)).toEqual([conditionId]);
    expect((await searchResources(sandbox.fhirBaseUrl, "Device", patientToken)).map((r) => r.id)).toEqual([deviceId]);
  });

  it("loads before its directory: the directory's conditional references are kept as written and listed in the entry's response", async () => {
    const { status, body } = await post(patientBundle());
    expect(status).toBe(200);
    const response = (body as Bundle).entry ?? [];
    expect(response.map((e) => (e.response?.outcome as OperationOutcome | undefined)?.issue.map((i) => [i.severity, i.diagnostics]))).toEqual([
      undefined,
      [
        ["warning", `reference "${PRACTITIONER_REF}" matches nothing stored here and was kept as written`],
        ["warning", `reference "${ORGANIZATION_REF}" matches nothing stored here and was kept as written`],
      ],
      undefined,
      undefined,
    ]);
    const [encounter] = (await search(`Encounter?_id=${idOf(response[1]?.response?.location)}`)) as Encounter[];
    expect([encounter?.participant?.[0]?.individual?.reference, encounter?.serviceProvider?.reference]).toEqual([PRACTITIONER_REF, ORGANIZATION_REF]);
  });

  it("refuses a conditional reference that matches several resources (412), naming the entry, and writes nothing", async () => {
    expect((await post(directoryBundle(["9999974493", "9999974493"]))).status).toBe(200);
    const { status, body } = await post(patientBundle());
    expect(status).toBe(412);
    expect(messageOf(body)).toBe(`entry 1: reference "${PRACTITIONER_REF}" matches more than one Practitioner; nothing was written`);
    expect(await search(`Patient?identifier=${SYNTHEA}|${SYNTHEA_PATIENT_ID}`)).toEqual([]);
  });

  it("refuses a conditional reference to a patient's record that matches nothing, naming the entry, and writes nothing", async () => {
    const { status, body } = await post(patientBundle({ encounterPractitioner: "Patient?identifier=urn:example|nobody" }));
    expect(status).toBe(400);
    expect(messageOf(body)).toBe('entry 1: reference "Patient?identifier=urn:example|nobody" matches no Patient; nothing was written');
    expect(await search("Encounter")).toEqual([]);
  });

  it("rolls the whole Bundle back when its last entry fails: no Patient, Encounter or Device of it is stored", async () => {
    const devicesBefore = (await search("Device")).length;
    const { status, body } = await post(patientBundle({ device: { manufactureDate: "the first of March" } }));
    expect(status).toBe(400);
    expect(messageOf(body)).toMatch(/^entry 3: .*Device\.manufactureDate.*; nothing was written$/);
    expect(await search(`Patient?identifier=${SYNTHEA}|${SYNTHEA_PATIENT_ID}`)).toEqual([]);
    expect(await search("Encounter")).toEqual([]);
    expect(await search("Device")).toHaveLength(devicesBefore);
  });
});

describe("conditional update (PUT Type?criteria)", () => {
  const put = (family: string, id?: string) =>
    post(
      transaction([
        { resource: { resourceType: "Patient", ...(id !== undefined && { id }), identifier: [{ system: SYNTHEA, value: "p-1" }], name: [{ family }] }, request: { method: "PUT", url: `Patient?identifier=${SYNTHEA}|p-1` } },
      ]),
    );

  it("creates when nothing matches (with the resource's own id), updates the one match, refuses several", async () => {
    const created = await put("First", "p-1");
    expect([created.status, (created.body as Bundle).entry?.[0]?.response?.status]).toEqual([200, "201 Created"]);
    expect(idOf((created.body as Bundle).entry?.[0]?.response?.location)).toBe("p-1");
    const updated = await put("Second");
    expect([(updated.body as Bundle).entry?.[0]?.response?.status, idOf((updated.body as Bundle).entry?.[0]?.response?.location)]).toEqual(["200 OK", "p-1"]);
    expect(((await search(`Patient?identifier=${SYNTHEA}|p-1`)) as Patient[]).map((p) => [p.id, p.name?.[0]?.family])).toEqual([["p-1", "Second"]]);

    const otherId = await put("Third", "p-2");
    expect([otherId.status, messageOf(otherId.body)]).toEqual([400, "entry 0: resource id p-2 differs from the url's p-1; nothing was written"]);
    await post(transaction([{ resource: { resourceType: "Patient", id: "p-3", identifier: [{ system: SYNTHEA, value: "p-1" }] }, request: { method: "PUT", url: "Patient/p-3" } }]));
    const ambiguous = await put("Fourth");
    expect([ambiguous.status, messageOf(ambiguous.body)]).toEqual([412, `entry 0: PUT url "Patient?identifier=${SYNTHEA}|p-1" matches more than one Patient; nothing was written`]);
  });
});
