/**
 * The population outputs flag a BMI older than the 3 years of history the model reads, as the CDS
 * card and the SMART app say it beside the risk (shared/old-bmi.ts): an analyst ranking patients
 * sees that a rank rests on a BMI measured years ago. The rule is the shared one, applied to the BMI
 * the features hold (demographics.bmi and bmiDate: the one the model used).
 *
 * The dates below were counted by hand from the index date (Python's date arithmetic, not this
 * code's): the history is 156 weeks, 1,092 days, so a BMI 1,093 days or more before the index date
 * is older than it, one 1,092 days or fewer before is within it.
 */
import type { Resource } from "fhir/r4";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { qualityFlags } from "../../../population/job/outputs/high-risk-csv.ts";
import { PopulationTally } from "../../../population/job/outputs/population-tally.ts";
import { prepare } from "../../../population/job/score-batch.ts";
import type { ScoreSettings } from "../../../population/job/score-settings.ts";
import { CODES, condition, encounter, LOINC, observation, patient } from "../../support/fhir-builders.ts";
import { tempDir } from "../fixtures.ts";
import { scoredPerson } from "../scored-person.ts";
import { flaggedRecordInput, INDEX_DATE, read, scorePopulation } from "./job-fixtures.ts";

const settings: ScoreSettings = { modelPath: "unused: prepare builds features only", indexDate: "2025-01-01", includeNames: false, explainFrom: 0.01 };
const bmi = (value: number, date: string) => observation(LOINC.bmi, value, "kg/m2", date);
const withBmi = (...measures: Resource[]) => ({ patientId: "p1", resources: [...flaggedRecordInput(), ...measures] });
const WORDS = "BMI older than the 3 years of history the model reads (weight may have changed since)";

describe("an old BMI in the population outputs", () => {
  it("is read from the BMI the features hold, by the card's rule, with its value and date", () => {
    // Index date 2025-01-01.
    expect(prepare(withBmi(bmi(31.2, "2021-12-28")), settings).facts.oldBmi).toEqual({ bmi: 31.2, date: "2021-12-28" }); // 1,100 days before
    expect(prepare(withBmi(bmi(31.2, "2020-11-23")), settings).facts.oldBmi).toEqual({ bmi: 31.2, date: "2020-11-23" }); // 1,500 days before
    expect(prepare(withBmi(bmi(31.2, "2022-01-04")), settings).facts.oldBmi).toEqual({ bmi: 31.2, date: "2022-01-04" }); // 1,093 days before
    expect(prepare(withBmi(bmi(31.2, "2022-01-05")), settings).facts.oldBmi).toBeNull(); // 1,092 days: the history's first day
    expect(prepare(withBmi(bmi(31.2, "2022-04-07")), settings).facts.oldBmi).toBeNull(); // 1,000 days before
    const none = prepare(withBmi(), settings);
    expect(none.facts.oldBmi).toBeNull();
    expect(none.features.eligibility.warnings).toContain("no_bmi");
  });

  it("is the latest BMI's date, the one the model used: an older one beside a recent one is not flagged", () => {
    expect(prepare(withBmi(bmi(35, "2019-03-01"), bmi(30.5, "2024-06-01")), settings).facts.oldBmi).toBeNull();
    // A BMI computed from weight and height is dated the later of the two (models/FEATURES.md):
    // 80 kg, 1.6 m, both measured 1,500 days before, is 31.25 and old.
    const computed = prepare(withBmi(observation(LOINC.weight, 80, "kg", "2020-11-23"), observation(LOINC.height, 160, "cm", "2020-11-23")), settings);
    expect(computed.facts.oldBmi?.date).toBe("2020-11-23");
    expect(computed.facts.oldBmi?.bmi).toBeCloseTo(31.25, 9);
  });

  it("changes neither the features nor the other facts", () => {
    const recent = prepare(withBmi(bmi(31.2, "2022-04-07")), settings);
    const old = prepare(withBmi(bmi(31.2, "2021-12-28")), settings);
    expect(old.features.demographics.bmi).toBe(recent.features.demographics.bmi);
    const { oldBmi: _old, ...otherFacts } = old.facts;
    const { oldBmi: _recent, ...recentOtherFacts } = recent.facts;
    expect(otherFacts).toEqual(recentOtherFacts);
  });

  it("is a data-quality flag of the row, with the BMI and its date, after the feature builder's warnings", () => {
    expect(qualityFlags(scoredPerson("p1", { reasons: [], oldBmi: { bmi: 31.24, date: "2021-12-28" } }), "2025-01-01")).toBe(`${WORDS}: 31.2 on 2021-12-28`);
    expect(
      qualityFlags(scoredPerson("p1", { reasons: [], warnings: ["short_history"], oldBmi: { bmi: 27.96, date: "2020-11-23" }, kneeReplaced: { date: "2021-05-11" } }), "2025-01-01"),
    ).toBe(`under 1 year of history on record;${WORDS}: 28.0 on 2020-11-23;knee replacement on record (likely knee OA already), 2021-05-11`);
    expect(qualityFlags(scoredPerson("p1", { reasons: [] }), "2025-01-01")).toBe("");
  });

  it("is counted among the scored patients only", () => {
    const tally = new PopulationTally("2025-01-01");
    tally.add(scoredPerson("a", { oldBmi: { bmi: 31.2, date: "2021-12-28" } }));
    tally.add(scoredPerson("b", { oldBmi: { bmi: 24, date: "2019-01-01" } }));
    tally.add(scoredPerson("c", { oldBmi: null }));
    tally.add(scoredPerson("d", { probability: null, tier: null, ineligible: ["already_diagnosed"], oldBmi: { bmi: 24, date: "2019-01-01" } }));
    expect(tally.oldBmi).toBe(2);
  });
});

/** A patient's record under `id`: a woman of 65 at the index date, with visits and diagnoses in the
 * 3 years before it, and `bmiDate`'s BMI (none when null). */
function record(id: string, bmiDate: string | null): Resource[] {
  const resources: Resource[] = [
    patient({ id, birthDate: "1960-05-20", gender: "female" }),
    encounter("2023-02-01", { id: `${id}-e1` }),
    encounter("2025-10-01", { id: `${id}-e2` }),
    condition(CODES.hypertension, { id: `${id}-c1`, onsetDateTime: "2023-02-01" }),
    condition(CODES.aclInjury, { id: `${id}-c2`, onsetDateTime: "2025-10-01" }),
    ...(bmiDate === null ? [] : [{ ...bmi(32.4, bmiDate), id: `${id}-bmi` }]),
  ];
  // The builders name patient p1.
  return JSON.parse(JSON.stringify(resources).replaceAll('"Patient/p1"', `"Patient/${id}"`)) as Resource[];
}

describe("a run on NDJSON files", () => {
  it("flags the patients whose BMI is older than the history in high-risk.csv, and counts them in summary.html", async () => {
    // Index date 2026-01-01: 1,500 and 1,100 days before are old, 1,000 days before is not.
    const patients = { "a-1500": "2021-11-23", "b-1100": "2022-12-28", "c-1000": "2023-04-07", "d-none": null };
    const byType = new Map<string, Resource[]>();
    for (const [id, date] of Object.entries(patients)) {
      for (const resource of record(id, date)) byType.set(resource.resourceType, [...(byType.get(resource.resourceType) ?? []), resource]);
    }
    const input = tempDir("patella-old-bmi-in-");
    for (const [type, resources] of byType) writeFileSync(join(input, `${type}.ndjson`), resources.map((r) => `${JSON.stringify(r)}\n`).join(""));
    const out = tempDir("patella-old-bmi-out-");
    expect(INDEX_DATE).toBe("2026-01-01");
    // Threshold 0: every scored patient is listed.
    await scorePopulation(input, out, { selection: { threshold: 0, top: null } });

    const rows = read(out, "high-risk.csv").trim().split("\r\n").slice(1);
    const flagsOf = new Map(rows.map((row) => [row.split(",")[1]!, row]));
    expect([...flagsOf.keys()].sort()).toEqual(["a-1500", "b-1100", "c-1000", "d-none"]);
    expect(flagsOf.get("a-1500")).toContain(`${WORDS}: 32.4 on 2021-11-23`);
    expect(flagsOf.get("b-1100")).toContain(`${WORDS}: 32.4 on 2022-12-28`);
    expect(flagsOf.get("c-1000")).not.toContain("BMI older");
    expect(flagsOf.get("d-none")).not.toContain("BMI older");
    expect(flagsOf.get("d-none")).toContain("no BMI on record");
    expect(read(out, "summary.html")).toContain(`<tr><td>scored with: ${WORDS}</td><td class="n">2</td></tr>`);
  }, 120_000);
});
