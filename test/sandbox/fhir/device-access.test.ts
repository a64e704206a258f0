/**
 * Devices under patient/ scopes: a Device that names a patient (`Device.patient`, as Synthea
 * writes implants and equipment) is that patient's alone; one that names none (an imaging
 * algorithm) is shared. The directory (Practitioner...) is shared too.
 */
import type { Bundle, Device, FhirResource } from "fhir/r4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueAccessToken } from "../../../sandbox/auth/access-token.ts";
import { startSandbox, type Sandbox } from "../../../sandbox/sandbox-server.ts";
import { FIXTURE_RESOURCES } from "../fixtures.ts";

const device = (id: string, patient?: string): Device => ({
  resourceType: "Device",
  id,
  status: "active",
  deviceName: [{ name: id, type: "user-friendly-name" }],
  ...(patient !== undefined && { patient: { reference: `Patient/${patient}` } }),
});

const RESOURCES: FhirResource[] = [
  ...FIXTURE_RESOURCES,
  device("algorithm"),
  device("alice-implant", "alice"),
  device("bob-implant", "bob"),
  { resourceType: "Practitioner", id: "dr-test", name: [{ family: "Test" }] },
];

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, resources: RESOURCES });
});
afterAll(() => sandbox.close());

async function get(path: string, scopes: string[], patient?: string): Promise<Response> {
  const token = await issueAccessToken(sandbox.tokenSigner, { clientId: "t", scopes, ...(patient !== undefined && { patient }) }, 600);
  return fetch(`${sandbox.fhirBaseUrl}/${path}`, { headers: { Authorization: `Bearer ${token}` } });
}

const asAlice = (path: string) => get(path, ["patient/Device.rs", "patient/Practitioner.rs"], "alice");

async function ids(response: Response): Promise<string[]> {
  expect(response.status).toBe(200);
  return (((await response.json()) as Bundle).entry ?? []).map((e) => e.resource?.id ?? "").sort();
}

describe("Devices under a patient/ token", () => {
  it("a Device search finds the shared algorithm and the patient's own Device, not another patient's", async () => {
    expect(await ids(await asAlice("Device"))).toEqual(["algorithm", "alice-implant"]);
    const page = (await (await asAlice("Device?_count=1")).json()) as Bundle;
    expect([page.total, page.entry?.length]).toEqual([2, 1]);
    expect(await ids(await asAlice("Device?_id=bob-implant"))).toEqual([]);
    expect(await ids(await asAlice("Device?patient=alice"))).toEqual(["alice-implant"]);
  });

  it("refuses a search of another patient's Devices and a read of one, reads the shared and its own", async () => {
    expect((await asAlice("Device?patient=bob")).status).toBe(403);
    const read = await asAlice("Device/bob-implant");
    expect(read.status).toBe(403);
    expect(JSON.stringify(await read.json())).toContain("outside the patient in context");
    expect((await asAlice("Device/algorithm")).status).toBe(200);
    expect((await asAlice("Device/alice-implant")).status).toBe(200);
  });

  it("a patient/ token without a patient in context sees only the shared Device", async () => {
    expect(await ids(await get("Device", ["patient/Device.rs"]))).toEqual(["algorithm"]);
    expect((await get("Device/alice-implant", ["patient/Device.rs"])).status).toBe(403);
  });

  it("system/ tokens see every Device; the directory is shared with patient/ tokens", async () => {
    expect(await ids(await get("Device", ["system/Device.rs"]))).toEqual(["algorithm", "alice-implant", "bob-implant"]);
    expect((await asAlice("Practitioner/dr-test")).status).toBe(200);
    expect(await ids(await asAlice("Practitioner"))).toEqual(["dr-test"]);
  });
});
