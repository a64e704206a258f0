/** Dispensed medicines (the optional medicationDispenses prefetch) are model input, as in a population run. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CODES, medicationDispense } from "../../../../support/fhir-builders.ts";
import { fullPrefetch, searchset } from "../../../support/hook-requests.ts";
import { hookCard } from "../../../support/hook-card.ts";
import { startTestService, type TestService } from "../../../support/test-service.ts";

describe("koa-risk hook: dispensed medicines", () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService();
  });
  afterAll(() => svc.close());

  const cardFor = (prefetch: Record<string, unknown>) => hookCard(svc, prefetch);

  it("a year of monthly naproxen dispensations changes the estimate", async () => {
    // Index date 2024-06-01: twelve 30-day dispensations from 2023-06-05 to 2024-05-05.
    const dispensations = Array.from({ length: 12 }, (_, i) => {
      const month = ((5 + i) % 12) + 1;
      const year = 2023 + Math.floor((5 + i) / 12);
      return medicationDispense(CODES.naproxen500, `${year}-${String(month).padStart(2, "0")}-05`, { id: `d${i}`, daysSupply: 30 });
    });
    const without = await cardFor(fullPrefetch());
    const withDispenses = await cardFor({ ...fullPrefetch(), medicationDispenses: searchset(dispensations) });
    // More NSAID use raises the estimate (the simulator's prodrome, models/deep-koa/MODEL_CARD.md).
    const risk = (summary: string) => Number(/: (\d+\.\d)%/.exec(summary)?.[1]);
    expect(risk(withDispenses.summary)).toBeGreaterThan(risk(without.summary));
    // The last one (2024-05-05, 30 days) covers the week before the index date; the record's own
    // NSAID prescriptions end in 2023.
    expect(withDispenses.detail).toMatch(
      /\*\*Oral NSAIDs\*\*: covered by orders, dispensings or reports in \d+ of the 156 weeks before the index date \(3 years; about \d+ days in all, each drug of the class counted\), most recently in the 7 days before it — raises the estimate by [\d.]+ percentage points/,
    );
    expect(without.detail).not.toContain("most recently in the 7 days before it");
  });
});
