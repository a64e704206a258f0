/** The hook mentions a recent imaging AI KL grade of 2 or more, read from the optional kneeKlGrades prefetch. */
import type { Observation } from "fhir/r4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildImagingAiResources } from "../../../../../shared/imaging/build-resources.ts";
import { condition, encounter, icd10, observation, patient } from "../../../../support/fhir-builders.ts";
import { fullPrefetch, PATIENT_ID, searchset } from "../../../support/hook-requests.ts";
import { hookCard } from "../../../support/hook-card.ts";
import { startTestService, type TestService } from "../../../support/test-service.ts";

/** KL grade Observations of one grading on `day` (index date of the hook tests: 2024-06-01). */
function klObservations(day: string, grades: { left: number; right: number }): Observation[] {
  return buildImagingAiResources({
    idPrefix: `kl-${day}`,
    patientId: PATIENT_ID,
    issued: `${day}T12:00:00Z`,
    studyDate: `${day}T09:00:00Z`,
    algorithm: { name: "Knee KL grader", version: "1", manufacturer: "Example" },
    study: { reference: "ImagingStudy/s1" },
    studyUid: "2.25.1",
    findings: { kind: "kl", knees: [{ side: "left", grade: grades.left }, { side: "right", grade: grades.right }] },
  }).filter((r): r is Observation => r.resourceType === "Observation");
}

describe("koa-risk hook: recent KL grade", () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService();
  });
  afterAll(() => svc.close());

  const cardFor = (prefetch: Record<string, unknown>) => hookCard(svc, prefetch);

  it("mentions a KL grade of 3 from two months before, and the risk itself does not change", async () => {
    const without = await cardFor(fullPrefetch());
    const withKl = await cardFor({ ...fullPrefetch(), kneeKlGrades: searchset(klObservations("2024-04-02", { left: 1, right: 3 })) });
    expect(withKl.detail).toContain("an AI-graded radiograph of 2024-04-02 shows Kellgren-Lawrence grade 3 in the right knee");
    expect(withKl.summary).toBe(without.summary);
    expect(without.detail).not.toContain("Kellgren");
  });

  it("an older KL grade is not model input: it does not lengthen the history the risk is computed from", async () => {
    // A record that starts 2023-09-01: 274 days = 0.750 years before the index date 2024-06-01;
    // the radiograph is from 2021, which as a record day would give 3 years.
    const recent = {
      patient: patient({ birthDate: "1960-03-14", gender: "female" }),
      conditions: searchset([
        condition(icd10("M25.562"), { id: "c1", onsetDateTime: "2023-09-01", recordedDate: "2023-09-01" }),
        condition(icd10("E66.9"), { id: "c2", onsetDateTime: "2023-09-01", recordedDate: "2023-09-01" }),
      ]),
      encounters: searchset([encounter("2023-09-01", { id: "e1", reasons: [icd10("M25.562")] })]),
      medicationRequests: searchset([]),
      medicationStatements: searchset([]),
      medicationDispenses: searchset([]),
      bodyMeasures: searchset([observation("39156-5", 33.1, "kg/m2", "2023-09-01", { id: "o1" })]),
    };
    const without = await cardFor(recent);
    const withKl = await cardFor({ ...recent, kneeKlGrades: searchset(klObservations("2021-06-01", { left: 2, right: 1 })) });
    expect(without.detail).toContain("Only 0.8 of the 3 years of history");
    expect(withKl.detail).toContain("Only 0.8 of the 3 years of history");
    expect(withKl.summary).toBe(without.summary);
    expect(withKl.detail).toContain("Kellgren-Lawrence grade 2 in the left knee");
  });

  it("reads the first page of a paged KL prefetch, and fetches no more", async () => {
    const paged = searchset(klObservations("2024-04-02", { left: 3, right: 1 }), "https://fhir.test.example/r4/Observation?page=2");
    const card = await cardFor({ ...fullPrefetch(), kneeKlGrades: paged });
    expect(card.detail).toContain("Kellgren-Lawrence grade 3 in the left knee");
    expect(card.detail).not.toContain("imaging AI knee KL grades");
  });

  it("says nothing for grades below 2 and does not fetch the key when the EHR leaves it out", async () => {
    const low = await cardFor({ ...fullPrefetch(), kneeKlGrades: searchset(klObservations("2024-04-02", { left: 1, right: 1 })) });
    expect(low.detail).not.toContain("Kellgren");
    const absent = await cardFor(fullPrefetch());
    expect(absent.detail).not.toContain("imaging AI knee KL grades");
  });
});
