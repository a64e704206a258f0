/** The population outputs flag osteoarthritis without a stated joint, as the card says it beside the risk. */
import { describe, expect, it } from "vitest";
import { qualityFlags } from "../../../population/job/outputs/high-risk-csv.ts";
import { PopulationTally } from "../../../population/job/outputs/population-tally.ts";
import { prepare } from "../../../population/job/score-batch.ts";
import { condition, icd10, patient as patientResource } from "../../support/fhir-builders.ts";
import type { ScoreSettings } from "../../../population/job/score-settings.ts";
import { scoredPerson } from "../scored-person.ts";

const settings: ScoreSettings = { modelPath: "unused: prepare builds features only", indexDate: "2025-01-01", includeNames: false, explainFrom: 0.01 };

describe("osteoarthritis without a stated joint in the population outputs", () => {
  it("is read when the record is assembled, by the card's rule", () => {
    const person = patientResource({ id: "p1", birthDate: "1955-01-01", gender: "female" });
    const record = { patientId: "p1", resources: [person, condition(icd10("M19.90"), { onsetDateTime: "2022-08-09" })] };
    expect(prepare(record, settings).facts.oaSiteNotStated).toEqual({ date: "2022-08-09" });
    const hand = { patientId: "p1", resources: [person, condition(icd10("M19.041"), { onsetDateTime: "2022-08-09" })] };
    expect(prepare(hand, settings).facts.oaSiteNotStated).toBeNull();
  });

  it("is a data-quality flag of the row, with the date", () => {
    expect(qualityFlags(scoredPerson("p1", { reasons: [], oaSiteNotStated: { date: "2022-08-09" } }), "2025-12-01")).toBe(
      "osteoarthritis without a stated joint on record (may be knee OA already), 2022-08-09",
    );
    expect(qualityFlags(scoredPerson("p1", { reasons: [], warnings: ["no_bmi"], oaSiteNotStated: { date: null } }), "2025-12-01")).toBe(
      "no BMI on record;osteoarthritis without a stated joint on record (may be knee OA already), undated",
    );
    expect(qualityFlags(scoredPerson("p1", { reasons: [] }), "2025-12-01")).toBe("");
  });

  it("is counted among the scored patients only", () => {
    const tally = new PopulationTally("2025-01-01");
    tally.add(scoredPerson("a", { oaSiteNotStated: { date: "2022-08-09" } }));
    tally.add(scoredPerson("b", { oaSiteNotStated: null }));
    tally.add(scoredPerson("c", { probability: null, tier: null, ineligible: ["already_diagnosed"], oaSiteNotStated: { date: null } }));
    expect(tally.oaSiteNotStated).toBe(1);
  });
});
