/** The card says when the record holds nothing from the year before the index date: the risk is
 * still computed, for a year that follows one the record knows nothing of. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Resource } from "fhir/r4";
import { condition, icd10, observation, procedure, snomed } from "../../../../support/fhir-builders.ts";
import { fullPrefetch, INDEX_DATE, patientRecord, searchset } from "../../../support/hook-requests.ts";
import { hookCard } from "../../../support/hook-card.ts";
import { startTestService, type TestService } from "../../../support/test-service.ts";

const SAID = "Nothing the model reads (visits, diagnoses, medicines, BMI, weight and height) is dated in the 365 days before";

/** The example record as it stood before 2022: its latest entry is the visit of 2021-09-10. */
function recordUntil2022(): Record<string, unknown> {
  const r = patientRecord();
  const before2022 = (resources: readonly Resource[]) => resources.filter((x) => ["c1", "c3", "e1"].includes(x.id ?? ""));
  return {
    ...fullPrefetch(),
    conditions: searchset(before2022(r.conditions)),
    encounters: searchset(before2022(r.encounters)),
    medicationRequests: searchset([]),
    bodyMeasures: searchset([observation("39156-5", 33.1, "kg/m2", "2021-05-02", { id: "o1" })]),
  };
}

describe("koa-risk hook: a record with nothing in the year before the index date", () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService();
  });
  afterAll(() => svc.close());

  it(`says so among the data caveats, with the latest entry (index date ${INDEX_DATE})`, async () => {
    const card = await hookCard(svc, recordUntil2022());
    expect(card.detail!.split("Data caveats:")[1]).toContain(
      `- ${SAID} ${INDEX_DATE} (the latest such entry is from 2021-09-10): care given since, elsewhere or not yet recorded, is not in this estimate.`,
    );
  });

  it("is not made current by a Procedure, which the model does not read", async () => {
    const card = await hookCard(svc, {
      ...recordUntil2022(),
      procedures: searchset([procedure(snomed("80146002"), { performedDateTime: "2024-01-10" }, { id: "appendectomy" })]),
    });
    expect(card.detail).toContain("(the latest such entry is from 2021-09-10)");
  });

  it("says nothing of a record with an entry in that year (the example record's latest is 2023-08-12)", async () => {
    const card = await hookCard(svc, fullPrefetch());
    expect(card.detail).not.toContain(SAID);
    // A knee pain diagnosis in the year before makes the old record current.
    const kneePain = condition(icd10("M25.561"), { id: "late", onsetDateTime: "2024-01-15", recordedDate: "2024-01-15" });
    const visited = await hookCard(svc, { ...recordUntil2022(), conditions: searchset([...patientRecord().conditions.slice(0, 1), kneePain]) });
    expect(visited.detail).not.toContain(SAID);
  });
});
