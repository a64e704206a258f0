/**
 * The sandbox answers the app's and the CDS service's Procedure query (the `procedures` key of
 * shared/risk-record-queries.ts): `Procedure?patient=` with a patient/ token finds that
 * patient's Procedures only, and without the scope it is refused.
 */
import type { Bundle, Procedure } from "fhir/r4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueAccessToken } from "../../../sandbox/auth/access-token.ts";
import { startSandbox, type Sandbox } from "../../../sandbox/sandbox-server.ts";
import { fillTemplate, KOA_RISK_PREFETCH } from "../../../shared/risk-record-queries.ts";
import { FIXTURE_RESOURCES } from "../fixtures.ts";

const kneeReplacement = (id: string, patient: string): Procedure => ({
  resourceType: "Procedure",
  id,
  status: "completed",
  subject: { reference: `Patient/${patient}` },
  code: { coding: [{ system: "http://snomed.info/sct", code: "609588000", display: "Total knee replacement" }] },
  performedDateTime: "2022-05-10",
});

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, resources: [...FIXTURE_RESOURCES, kneeReplacement("alice-tkr", "alice"), kneeReplacement("bob-tkr", "bob")] });
});
afterAll(() => sandbox.close());

async function search(scopes: string[]): Promise<Response> {
  const token = await issueAccessToken(sandbox.tokenSigner, { clientId: "t", scopes, patient: "alice" }, 600);
  const procedures = KOA_RISK_PREFETCH.find((k) => k.key === "procedures")!;
  return fetch(`${sandbox.fhirBaseUrl}/${fillTemplate(procedures.template, "alice")}`, { headers: { Authorization: `Bearer ${token}` } });
}

describe("the sandbox's Procedure search", () => {
  it("finds the patient in context's procedures, not another patient's", async () => {
    const res = await search(["patient/Procedure.rs"]);
    expect(res.status).toBe(200);
    const bundle = (await res.json()) as Bundle;
    expect(bundle.entry?.map((e) => e.resource?.id)).toEqual(["alice-tkr"]);
  });

  it("is refused without the Procedure scope, with an OperationOutcome", async () => {
    const res = await search(["patient/Condition.rs"]);
    expect(res.status).toBe(403);
    expect(JSON.stringify(await res.json())).toContain("do not allow searching Procedure");
  });
});
