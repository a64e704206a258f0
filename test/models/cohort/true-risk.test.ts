import { describe, expect, it } from "vitest";
import { drawLatentPatient, type LatentPatient } from "../../../models/cohort/latent.ts";
import { ageOnDay, dailyOnsetHazard, delayCdf, drawDelay } from "../../../models/cohort/onset.ts";
import { Random } from "../../../models/cohort/random.ts";
import { trueRisk1y, type RiskState } from "../../../models/cohort/true-risk.ts";
import { dayFromCivil } from "../../../shared/fhir-dates.ts";

const END = dayFromCivil(2025, 12, 31);

/** Monte Carlo of the same probability, by a different route: sample onset day by day. */
function sampledRisk(state: RiskState, index: number, draws: number, rng: Random): number {
  const dailyChance = Array.from({ length: 365 }, (_, d) => 1 - Math.exp(-dailyOnsetHazard(state.exposures, state.sex, ageOnDay(state.exposures, index + d))));
  let hits = 0;
  for (let k = 0; k < draws; k++) {
    let onset = state.onsetDay;
    if (!(onset < index)) {
      onset = Infinity;
      for (let d = 0; d < 365; d++) {
        if (rng.uniform() < (dailyChance[d] as number)) {
          onset = index + d + rng.uniform();
          break;
        }
      }
    }
    // Condition on no diagnosis before the index: redraw the delay until onset + delay >= index.
    let dx = onset + drawDelay(rng);
    while (dx < index) dx = onset + drawDelay(rng);
    if (dx < index + 365) hits++;
  }
  return hits / draws;
}

function personWith(predicate: (p: LatentPatient) => boolean): LatentPatient {
  for (let i = 0; ; i++) {
    const p = drawLatentPatient(99, i, END);
    if (predicate(p)) return p;
  }
}

describe("trueRisk1y", () => {
  it("equals the delay distribution's conditional probability once onset has happened", () => {
    const p = personWith((q) => Number.isFinite(q.onsetDay));
    const index = Math.ceil(p.onsetDay) + 100;
    const state = { sex: p.sex, exposures: p.exposures, onsetDay: p.onsetDay };
    const elapsed = index - p.onsetDay;
    const expected = (delayCdf(elapsed + 365) - delayCdf(elapsed)) / (1 - delayCdf(elapsed));
    expect(trueRisk1y(state, index)).toBeCloseTo(expected, 12);
    expect(sampledRisk(state, index, 20_000, new Random(1, 0, 0))).toBeCloseTo(expected, 1);
  });

  it("agrees with a day-by-day Monte Carlo before onset, across a birthday, for a high-risk person", () => {
    const p = personWith((q) => q.exposures.multipliers[71]! > 5 && q.exposures.multipliers[72]! > 5);
    const index = (p.exposures.birthdays[72] as number) - 120; // the window crosses the 72nd birthday
    const state = { sex: p.sex, exposures: p.exposures, onsetDay: Infinity };
    const exact = trueRisk1y(state, index);
    const draws = 40_000;
    const sampled = sampledRisk(state, index, draws, new Random(2, 0, 0));
    expect(exact).toBeGreaterThan(0.005);
    expect(Math.abs(sampled - exact)).toBeLessThan(4 * Math.sqrt((exact * (1 - exact)) / draws));
  });

  it("is calibrated: across many people and index dates, expected and observed diagnoses agree", () => {
    let expected = 0;
    let variance = 0;
    let observed = 0;
    let highExpected = 0;
    let highObserved = 0;
    for (let i = 0; i < 6000; i++) {
      const p = drawLatentPatient(7, i, END);
      const state = { sex: p.sex, exposures: p.exposures, onsetDay: p.onsetDay };
      for (let age = 45; age < 85; age += 2) {
        const index = (p.exposures.birthdays[age] as number) + 30;
        if (p.diagnosisDay < index) break;
        const risk = trueRisk1y(state, index);
        const outcome = p.diagnosisDay < index + 365 ? 1 : 0;
        expected += risk;
        variance += risk * (1 - risk);
        observed += outcome;
        if (risk > 0.2) {
          highExpected += risk;
          highObserved += outcome;
        }
      }
    }
    expect(observed).toBeGreaterThan(500);
    expect(Math.abs(observed - expected)).toBeLessThan(4 * Math.sqrt(variance));
    // People in the prodrome (onset already happened) carry most of the high risks.
    expect(highObserved).toBeGreaterThan(50);
    expect(Math.abs(highObserved - highExpected) / highExpected).toBeLessThan(0.2);
  });
});
