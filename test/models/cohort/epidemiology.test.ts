import { beforeAll, describe, expect, it } from "vitest";
import { fitOddsRatios, HAZARD_RATIOS_FROM_50, incidenceByBand, standardizedIncidence, type BandIncidence } from "../../../models/cohort/epidemiology.ts";
import { drawLatentPatient, type LatentPatient } from "../../../models/cohort/latent.ts";
import { PUBLISHED_STANDARDIZED_INCIDENCE_PER_100K } from "../../../models/cohort/parameters.ts";
import { dayFromCivil } from "../../../shared/fhir-dates.ts";

// Whole latent lives of 14,000 people: about 1.3 million person-years.
let people: LatentPatient[] = [];
beforeAll(() => {
  const end = dayFromCivil(2025, 12, 31);
  people = Array.from({ length: 14_000 }, (_, i) => drawLatentPatient(2024, i, end));
});

describe("knee OA incidence of the simulated population", () => {
  it("matches the published rate in every age band and sex (3 Poisson SE + 12% for the delay's blur at band edges)", () => {
    const bands = incidenceByBand(people);
    expect(bands).toHaveLength(14);
    for (const b of bands) {
      const se = (Math.sqrt(Math.max(b.diagnoses, 1)) / b.personYears) * 1e5;
      expect(Math.abs(b.per100k - b.targetPer100k), `${b.sex} ${b.from}-${b.to}: ${b.per100k.toFixed(0)} vs ${b.targetPer100k}`).toBeLessThan(3 * se + 0.12 * b.targetPer100k);
    }
  });

  it("reproduces the published age/sex-standardized 240 per 100,000 and ~1%/year in women 70-89", () => {
    const bands = incidenceByBand(people);
    expect(Math.abs(standardizedIncidence(bands) / PUBLISHED_STANDARDIZED_INCIDENCE_PER_100K - 1)).toBeLessThan(0.08);
    const oldWomen = bands.filter((b: BandIncidence) => b.sex === "female" && b.from >= 70);
    const rate = oldWomen.reduce((s, b) => s + b.diagnoses, 0) / oldWomen.reduce((s, b) => s + b.personYears, 0);
    expect(rate).toBeGreaterThan(0.0085);
    expect(rate).toBeLessThan(0.0105);
  });
});

describe("risk factors recovered by a pooled logistic fit, ages 50-89", () => {
  it("gives back each published effect within its 99.9% confidence interval", () => {
    const or = fitOddsRatios(people, 50, 90);
    // The values in parameters.ts, with their citations.
    expect(HAZARD_RATIOS_FROM_50).toEqual({ overweight: 1.98, obese: 2.63, kneeInjury: 2.83, handOa: 1.49, hipOa: 1.15, smoker: 1 });
    for (const [name, value] of Object.entries(HAZARD_RATIOS_FROM_50) as [keyof typeof HAZARD_RATIOS_FROM_50, number][]) {
      const { estimate, low95, high95 } = or[name];
      // Widen the 95% interval to 99.9% (z 3.29 instead of 1.96) on the log scale.
      const widen = (Math.log(high95) - Math.log(low95)) * (3.29 / 1.96 / 2);
      expect(Math.abs(Math.log(estimate / value)), `${name}: ${estimate.toFixed(2)} vs ${value}`).toBeLessThan(widen);
    }
    // The intervals are narrow enough for the check to mean something.
    expect(or.obese.high95 / or.obese.low95).toBeLessThan(1.5);
    expect(or.kneeInjury.low95).toBeGreaterThan(2);
    // Sex is in the baseline table, not a hazard ratio: women come out near the published 1.68.
    expect(or.female.estimate).toBeGreaterThan(1.4);
    expect(or.female.estimate).toBeLessThan(2);
  });
});
