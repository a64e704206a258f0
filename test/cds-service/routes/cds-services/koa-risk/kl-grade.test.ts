/**
 * The hook mentions a recent imaging AI KL grade of 2 or more, read from the optional kneeKlGrades
 * prefetch (a failed or paged one: test/cds-service/fhir/prefetch-only-keys.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fullPrefetch, searchset, shortHistoryPrefetch } from "../../../support/hook-requests.ts";
import { hookCard } from "../../../support/hook-card.ts";
import { klObservations } from "../../../support/kl-observations.ts";
import { startTestService, type TestService } from "../../../support/test-service.ts";

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
    expect(withKl.detail).toContain("AI grading of a radiograph of 2024-04-02 suggests Kellgren-Lawrence grade 3 in the right knee");
    expect(withKl.summary).toBe(without.summary);
    expect(without.detail).not.toContain("Kellgren");
  });

  it("an older KL grade is not model input: it does not lengthen the history the risk is computed from", async () => {
    // The radiograph is from 2021, which as a record day would give 3 years.
    const recent = shortHistoryPrefetch();
    const without = await cardFor(recent);
    const withKl = await cardFor({ ...recent, kneeKlGrades: searchset(klObservations("2021-06-01", { left: 2, right: 1 })) });
    expect(without.detail).toContain("Only 9 months of the 3 years of history");
    expect(withKl.detail).toContain("Only 9 months of the 3 years of history");
    expect(withKl.summary).toBe(without.summary);
    expect(withKl.detail).toContain("Kellgren-Lawrence grade 2 in the left knee");
  });

  it("says nothing for grades below 2 and does not fetch the key when the EHR leaves it out", async () => {
    const low = await cardFor({ ...fullPrefetch(), kneeKlGrades: searchset(klObservations("2024-04-02", { left: 1, right: 1 })) });
    expect(low.detail).not.toContain("Kellgren");
    const absent = await cardFor(fullPrefetch());
    expect(absent.detail).not.toContain("imaging AI knee KL grades");
  });
});
