/** The hook mentions a recent imaging AI KL grade of 2 or more, read from the optional kneeKlGrades prefetch. */
import type { Observation } from "fhir/r4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildImagingAiResources } from "../../../../../shared/imaging/build-resources.ts";
import { fullPrefetch, PATIENT_ID, searchset, shortHistoryPrefetch } from "../../../support/hook-requests.ts";
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
    // The radiograph is from 2021, which as a record day would give 3 years.
    const recent = shortHistoryPrefetch();
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
