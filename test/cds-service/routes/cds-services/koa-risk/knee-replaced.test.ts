/** The card says when a knee replacement is on record: the patient most likely has knee OA already. */
import type { Resource } from "fhir/r4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { condition, icd10, procedure, snomed } from "../../../../support/fhir-builders.ts";
import { fullPrefetch, patientRecord, searchset } from "../../../support/hook-requests.ts";
import { hookCard } from "../../../support/hook-card.ts";
import { startTestService, type TestService } from "../../../support/test-service.ts";

const SAID = "A knee replacement is on record";

describe("koa-risk hook: a knee replacement on record", () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService();
  });
  afterAll(() => svc.close());

  const withProcedures = (procedures: Resource[]) => ({ ...fullPrefetch(), procedures: searchset(procedures) });

  it("says it beside the risk from a prefetched Procedure, with its date (index date 2024-06-01)", async () => {
    const card = await hookCard(
      svc,
      withProcedures([
        procedure(snomed("609588000"), { performedDateTime: "2021-05-11" }, { id: "tkr" }),
        procedure(snomed("52734007"), { performedDateTime: "2023-01-20" }, { id: "hip" }), // a hip replacement, later
      ]),
    );
    expect(card.detail).toContain(`${SAID} (most recently 2021-05-11): knee replacement is done mostly for knee osteoarthritis`);
  });

  it("says it from an artificial knee on the problem list, without any Procedure", async () => {
    const card = await hookCard(svc, {
      ...fullPrefetch(),
      conditions: searchset([...patientRecord().conditions, condition(icd10("Z96.651"), { id: "z", onsetDateTime: "2022-02-02", recordedDate: "2022-02-02" })]),
    });
    expect(card.detail).toContain(`${SAID} (most recently 2022-02-02)`);
  });

  it("says nothing for another patient's knee replacement, one not done, or none; a missing procedures key is no caveat", async () => {
    const foreign = { ...procedure(snomed("609588000"), { performedDateTime: "2021-05-11" }), subject: { reference: "Patient/someone-else" } };
    const notDone = procedure(snomed("609588000"), { performedDateTime: "2021-05-11" }, { status: "not-done" });
    for (const prefetch of [withProcedures([foreign]), withProcedures([notDone]), fullPrefetch()]) {
      const card = await hookCard(svc, prefetch);
      expect(card.detail).not.toContain(SAID);
      expect(card.detail).not.toContain("procedures (knee replacement)");
    }
  });
});
