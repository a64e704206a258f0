/** The hook mentions a recent imaging AI KL grade of 2 or more, read from the optional kneeKlGrades prefetch. */
import type { Observation } from "fhir/r4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildImagingAiResources } from "../../../../../shared/imaging/build-resources.ts";
import { fullPrefetch, hookBody, PATIENT_ID, searchset } from "../../../support/hook-requests.ts";
import { HOOK_PATH, startTestService, type TestService } from "../../../support/test-service.ts";

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

  const cardFor = async (prefetch: Record<string, unknown>) => {
    const res = await svc.call("POST", HOOK_PATH, { body: hookBody({ prefetch }) });
    expect(res.status).toBe(200);
    return res.body.cards[0] as { summary: string; detail: string };
  };

  it("mentions a KL grade of 3 from two months before, and the risk itself does not change", async () => {
    const without = await cardFor(fullPrefetch());
    const withKl = await cardFor({ ...fullPrefetch(), kneeKlGrades: searchset(klObservations("2024-04-02", { left: 1, right: 3 })) });
    expect(withKl.detail).toContain("an AI-graded radiograph of 2024-04-02 shows Kellgren-Lawrence grade 3 in the right knee");
    expect(withKl.summary).toBe(without.summary);
    expect(without.detail).not.toContain("Kellgren");
  });

  it("says nothing for grades below 2 and does not fetch the key when the EHR leaves it out", async () => {
    const low = await cardFor({ ...fullPrefetch(), kneeKlGrades: searchset(klObservations("2024-04-02", { left: 1, right: 1 })) });
    expect(low.detail).not.toContain("Kellgren");
    const absent = await cardFor(fullPrefetch());
    expect(absent.detail).not.toContain("imaging AI knee KL grades");
  });
});
