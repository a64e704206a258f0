/**
 * npx tsx models/cohort/report.ts [--people N] [--seed S]
 *
 * Prints how a simulated population compares with the published epidemiology it was built
 * from: incidence by age band and sex against the targets, the standardized rate, and the odds
 * ratios of a pooled logistic fit against the hazard ratios used (figures for the docs; the
 * tests in test/models/cohort/epidemiology.test.ts check the same things).
 */
import { parseArgs } from "node:util";
import { dayFromCivil } from "../../shared/fhir-dates.ts";
import { fitOddsRatios, HAZARD_RATIOS_FROM_50, incidenceByBand, standardizedIncidence } from "./epidemiology.ts";
import { drawLatentPatient } from "./latent.ts";
import { PUBLISHED_STANDARDIZED_INCIDENCE_PER_100K } from "./parameters.ts";

const { values } = parseArgs({ options: { people: { type: "string", default: "20000" }, seed: { type: "string", default: "1" } } });
const people = Number(values.people);
const seed = Number(values.seed);
if (!Number.isSafeInteger(people) || people < 1000 || !Number.isSafeInteger(seed) || seed < 0) {
  console.error("report: --people must be a whole number >= 1000 and --seed a whole number >= 0");
  process.exit(2);
}
const end = dayFromCivil(2025, 12, 31);
const lives = Array.from({ length: people }, (_, i) => drawLatentPatient(seed, i, end));
const bands = incidenceByBand(lives);
console.log(`Knee OA diagnoses per 100,000 person-years (${people} simulated lives, ages 20-89)`);
console.log("band    sex     person-years  diagnoses  simulated  target");
for (const b of bands) {
  console.log(`${b.from}-${b.to - 1}`.padEnd(8) + b.sex.padEnd(8) + b.personYears.toFixed(0).padStart(12) + String(b.diagnoses).padStart(11) + b.per100k.toFixed(0).padStart(11) + String(b.targetPer100k).padStart(8));
}
console.log(`standardized: ${standardizedIncidence(bands).toFixed(0)} (published ${PUBLISHED_STANDARDIZED_INCIDENCE_PER_100K})`);
const used: Record<string, number | string> = { female: "(baseline table)", ...HAZARD_RATIOS_FROM_50 };
console.log("\nPooled logistic fit, ages 50-89: odds ratio (95% CI) vs hazard ratio used");
for (const [name, or] of Object.entries(fitOddsRatios(lives, 50, 90))) {
  console.log(`${name.padEnd(12)} ${or.estimate.toFixed(2)} (${or.low95.toFixed(2)}-${or.high95.toFixed(2)})  vs ${used[name]}`);
}
console.log("\nSynthetic data from a simulator: not real patients, not validated for clinical use.");
