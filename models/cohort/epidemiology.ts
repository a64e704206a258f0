/**
 * Checks a simulated population against the published epidemiology it was built from:
 * diagnosis incidence by age band and sex, and the odds ratios of the risk factors from a
 * pooled logistic regression (one row per person-year at risk; with ~1% yearly risk the odds
 * ratio approximates the hazard ratio the simulator used). Whole latent lives are used (the
 * latent process depends on age, not on the calendar), so a few thousand people give enough
 * person-years.
 */
import { fitLogistic } from "../stats/logistic.ts";
import { hazardExposures } from "./exposures.ts";
import type { LatentPatient } from "./latent.ts";
import { DAYS_PER_YEAR, HAZARD_RATIOS, KNEE_OA_INCIDENCE_PER_100K, STANDARD_POPULATION_WEIGHTS } from "./parameters.ts";

export interface BandIncidence {
  from: number;
  to: number;
  sex: "female" | "male";
  personYears: number;
  diagnoses: number;
  per100k: number;
  targetPer100k: number;
}

/** Diagnosis incidence among the undiagnosed, per published band and sex. */
export function incidenceByBand(people: readonly LatentPatient[]): BandIncidence[] {
  const out: BandIncidence[] = [];
  for (const band of KNEE_OA_INCIDENCE_PER_100K) {
    for (const sex of ["female", "male"] as const) {
      let days = 0;
      let diagnoses = 0;
      for (const p of people) {
        if (p.sex !== sex) continue;
        const start = p.exposures.birthdays[band.from] as number;
        const end = p.exposures.birthdays[band.to] as number;
        if (p.diagnosisDay < start) continue;
        days += Math.min(end, p.diagnosisDay) - start;
        if (p.diagnosisDay < end) diagnoses++;
      }
      const personYears = days / DAYS_PER_YEAR;
      out.push({ from: band.from, to: band.to, sex, personYears, diagnoses, per100k: (diagnoses / personYears) * 1e5, targetPer100k: band[sex] });
    }
  }
  return out;
}

/** Age/sex-standardized incidence (both sexes weighted equally) with the standard population. */
export function standardizedIncidence(bands: readonly BandIncidence[]): number {
  let sum = 0;
  let weights = 0;
  KNEE_OA_INCIDENCE_PER_100K.forEach((band, i) => {
    const w = STANDARD_POPULATION_WEIGHTS[i] as number;
    for (const b of bands) if (b.from === band.from) sum += (w / 2) * b.per100k;
    weights += w;
  });
  return sum / weights;
}

export const FITTED_EFFECTS = ["female", "overweight", "obese", "kneeInjury", "handOa", "hipOa", "smoker"] as const;
export type FittedEffect = (typeof FITTED_EFFECTS)[number];

/** The hazard ratios the simulator applies from age 50 (sex is in the baseline table instead). */
export const HAZARD_RATIOS_FROM_50: Readonly<Record<Exclude<FittedEffect, "female">, number>> = {
  overweight: HAZARD_RATIOS.overweight,
  obese: HAZARD_RATIOS.obese,
  kneeInjury: HAZARD_RATIOS.kneeInjuryFrom50,
  handOa: HAZARD_RATIOS.handOa,
  hipOa: HAZARD_RATIOS.hipOa,
  smoker: HAZARD_RATIOS.smoking,
};

export interface OddsRatio {
  estimate: number;
  low95: number;
  high95: number;
}

/**
 * Pooled logistic regression of "diagnosed during this year of age" on the exposures that act
 * in that year (intercept, age and age squared, sex and the risk factors), over ages
 * [fromAge, toAge).
 */
export function fitOddsRatios(people: readonly LatentPatient[], fromAge: number, toAge: number): Record<FittedEffect, OddsRatio> {
  const columns = 3 + FITTED_EFFECTS.length;
  const atRisk = (p: LatentPatient, age: number): boolean => p.diagnosisDay >= (p.exposures.birthdays[age] as number);
  let rows = 0;
  for (const p of people) for (let age = fromAge; age < toAge && atRisk(p, age); age++) rows++;
  const x = new Float64Array(rows * columns);
  const y = new Uint8Array(rows);
  let r = 0;
  for (const p of people) {
    const female = p.sex === "female" ? 1 : 0;
    for (let age = fromAge; age < toAge && atRisk(p, age); age++, r++) {
      const e = hazardExposures(p.exposures, age);
      const a = (age - 70) / 10;
      // Column order: intercept, age, age squared, then FITTED_EFFECTS.
      x.set([1, a, a * a, female, +e.overweight, +e.obese, +e.kneeInjury, +e.handOa, +e.hipOa, +e.smoker], r * columns);
      y[r] = p.diagnosisDay < (p.exposures.birthdays[age + 1] as number) ? 1 : 0;
    }
  }
  const fit = fitLogistic({ x, y, columns });
  const result = {} as Record<FittedEffect, OddsRatio>;
  FITTED_EFFECTS.forEach((k, i) => {
    const beta = fit.coefficients[3 + i] as number;
    const se = fit.standardErrors[3 + i] as number;
    result[k] = { estimate: Math.exp(beta), low95: Math.exp(beta - 1.96 * se), high95: Math.exp(beta + 1.96 * se) };
  });
  return result;
}
