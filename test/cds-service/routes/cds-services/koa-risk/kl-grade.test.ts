/**
 * The hook mentions a recent imaging AI KL grade of 2 or more, read from the optional kneeKlGrades
 * prefetch (a failed or paged one: test/cds-service/fhir/fetch-only-alongside-keys.test.ts), in the
 * card's summary and detail, and answers with a card for it below the minimum tier.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModelRiskService } from "../../../../../cds-service/risk/model-risk-service.ts";
import { fixedProbabilityModel } from "../../../support/fixed-probability-model.ts";
import { fullPrefetch, hookBody, INDEX_DATE, searchset, shortHistoryPrefetch } from "../../../support/hook-requests.ts";
import { hookCard } from "../../../support/hook-card.ts";
import { klObservations } from "../../../support/kl-observations.ts";
import { committedBaselineModel, committedModel, HOOK_PATH, startTestService, type TestService } from "../../../support/test-service.ts";

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
    expect(withKl.summary).toBe(without.summary.replace("Knee OA risk in the next year: ", "Imaging AI suggests knee OA (KL 3), not coded; 1-year risk of a diagnosis: "));
    expect(without.summary).not.toContain("imaging");
    expect(without.detail).not.toContain("Kellgren");
  });

  it("an older KL grade is not model input: it does not lengthen the history the risk is computed from", async () => {
    // The radiograph is from 2021, which as a record day would give 3 years.
    const recent = shortHistoryPrefetch();
    const without = await cardFor(recent);
    const withKl = await cardFor({ ...recent, kneeKlGrades: searchset(klObservations("2021-06-01", { left: 2, right: 1 })) });
    expect(without.detail).toContain("Only 9 months of the 3 years of history");
    expect(withKl.detail).toContain("Only 9 months of the 3 years of history");
    expect(withKl.summary).toBe(without.summary.replace("Knee OA risk in the next year: ", "Imaging AI suggests knee OA (KL 2), not coded; 1-year risk of a diagnosis: "));
    expect(withKl.detail).toContain("Kellgren-Lawrence grade 2 in the left knee");
  });

  it("says nothing for grades below 2 and does not fetch the key when the EHR leaves it out", async () => {
    const low = await cardFor({ ...fullPrefetch(), kneeKlGrades: searchset(klObservations("2024-04-02", { left: 1, right: 1 })) });
    expect(low.detail).not.toContain("Kellgren");
    const absent = await cardFor(fullPrefetch());
    expect(absent.detail).not.toContain("imaging AI knee KL grades");
  });
});

describe("koa-risk hook: a KL grade of 2 or more below the minimum tier", () => {
  // A Low risk (0.4%: under the Moderate tier's 1%) with the default minimum tier, Moderate.
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService({
      risk: createModelRiskService(fixedProbabilityModel((await committedModel()).info, () => 0.004), await committedBaselineModel()),
      config: { cards: { minTier: "moderate", appLaunchUrl: "https://app.test.example/launch.html", indexDate: INDEX_DATE } },
    });
  });
  afterAll(() => svc.close());

  const answer = async (kneeKlGrades?: unknown) => {
    const res = await svc.call("POST", HOOK_PATH, { body: hookBody({ prefetch: { ...fullPrefetch(), ...(kneeKlGrades === undefined ? {} : { kneeKlGrades }) } }) });
    expect(res.status).toBe(200);
    return res.body as { cards: { summary: string; detail: string; indicator: string }[] };
  };

  it("answers with a card for the radiograph, saying why a Low risk has one", async () => {
    const { cards } = await answer(searchset(klObservations("2024-04-02", { left: 1, right: 3 })));
    expect(cards).toHaveLength(1);
    const [card] = cards;
    expect(card!.summary).toBe("Imaging AI suggests knee OA (KL 3), not coded; 1-year risk of a diagnosis: 0.4% (Low; synthetic-data model, not for clinical use)");
    expect(card!.indicator).toBe("info");
    expect(card!.detail).toContain("suggests Kellgren-Lawrence grade 3 in the right knee");
    expect(card!.detail).toContain("This card is shown for the imaging finding: the risk alone is below the Moderate tier, from which cards are shown.");
  });

  it("answers with no card for the same risk without the radiograph, or with grades below 2", async () => {
    expect(await answer()).toEqual({ cards: [] });
    expect(await answer(searchset(klObservations("2024-04-02", { left: 1, right: 1 })))).toEqual({ cards: [] });
  });
});
