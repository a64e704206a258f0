/**
 * The population outputs flag a knee replacement on record, as the card says it beside the risk
 * (shared/knee-replaced.ts). Procedures are read for this flag only: they never reach the feature
 * builder, so a patient's features and risk are the same with them or without.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { qualityFlags } from "../../../population/job/outputs/high-risk-csv.ts";
import { PopulationTally } from "../../../population/job/outputs/population-tally.ts";
import { prepare } from "../../../population/job/score-batch.ts";
import type { ScoreSettings } from "../../../population/job/score-settings.ts";
import { CODES, condition, encounter, icd10, patient as patientResource, procedure, snomed } from "../../support/fhir-builders.ts";
import { tempDir } from "../fixtures.ts";
import { scoredPerson } from "../scored-person.ts";
import { read, scorePopulation, simulatedPopulation } from "./job-fixtures.ts";

const settings: ScoreSettings = { modelPath: "unused: prepare builds features only", indexDate: "2025-01-01", includeNames: false, explainFrom: 0.01 };
const TKR = snomed("609588000"); // Total knee replacement
const APPENDECTOMY = snomed("80146002");

/** A record the feature builder makes something of: a woman of 64 with visits and diagnoses. */
const modelInput = (): Resource[] => [
  patientResource({ id: "p1", birthDate: "1960-05-20", gender: "female" }),
  encounter("2019-03-01", { id: "e1" }),
  encounter("2023-11-20", { id: "e2" }),
  condition(CODES.aclInjury, { onsetDateTime: "2023-11-20" }),
  condition(CODES.hypertension, { onsetDateTime: "2019-03-01" }),
];

describe("a knee replacement on record in the population outputs", () => {
  it("is read when the record is assembled, by the card's rule, from a Procedure or an artificial knee on the problem list", () => {
    const withProcedures = { patientId: "p1", resources: [...modelInput(), procedure(TKR, { performedDateTime: "2021-05-11" }), procedure(APPENDECTOMY, { performedDateTime: "2024-02-02" })] };
    expect(prepare(withProcedures, settings).facts.kneeReplaced).toEqual({ date: "2021-05-11" });
    const artificialKnee = { patientId: "p1", resources: [...modelInput(), condition(icd10("Z96.652"), { onsetDateTime: "2022-01-03" })] };
    expect(prepare(artificialKnee, settings).facts.kneeReplaced).toEqual({ date: "2022-01-03" });
    const otherSurgery = { patientId: "p1", resources: [...modelInput(), procedure(APPENDECTOMY, { performedDateTime: "2024-02-02" })] };
    expect(prepare(otherSurgery, settings).facts.kneeReplaced).toBeNull();
    expect(prepare({ patientId: "p1", resources: [...modelInput(), procedure(TKR)] }, settings).facts.kneeReplaced).toEqual({ date: null });
  });

  it("never reaches the feature builder: the features, their data-quality counts and the other facts are the same with the Procedures or without", () => {
    const without = prepare({ patientId: "p1", resources: modelInput() }, settings);
    // Dated, one on the first day of the three years the model reads and one before the records: a
    // dated resource the builder saw would lengthen the history or be counted as a type not used.
    const procedures = [procedure(TKR, { performedDateTime: "2022-01-01" }), procedure(APPENDECTOMY, { performedDateTime: "2010-06-01" })];
    const withProcedures = prepare({ patientId: "p1", resources: [...modelInput(), ...procedures] }, settings);
    expect(without.features.demographics.historyYears).toBeGreaterThan(0);
    expect(without.features.quality.skipped).toEqual({});
    expect(withProcedures.features).toEqual(without.features);
    expect(withProcedures.patient).toEqual(without.patient);
    expect(withProcedures.facts).toEqual({ ...without.facts, kneeReplaced: { date: "2022-01-01" } });
    expect(without.facts.kneeReplaced).toBeNull();
  });

  it("is a data-quality flag of the row, with the date", () => {
    expect(qualityFlags(scoredPerson("p1", { reasons: [], kneeReplaced: { date: "2021-05-11" } }))).toBe(
      "knee replacement on record (likely knee OA already), 2021-05-11",
    );
    expect(qualityFlags(scoredPerson("p1", { reasons: [], oaSiteNotStated: { date: "2022-08-09" }, kneeReplaced: { date: null } }))).toBe(
      "osteoarthritis without a stated joint on record (may be knee OA already), 2022-08-09;knee replacement on record (likely knee OA already), undated",
    );
    expect(qualityFlags(scoredPerson("p1", { reasons: [] }))).toBe("");
  });

  it("is counted among the scored patients only", () => {
    const tally = new PopulationTally("2025-01-01");
    tally.add(scoredPerson("a", { kneeReplaced: { date: "2021-05-11" } }));
    tally.add(scoredPerson("b", { kneeReplaced: { date: null } }));
    tally.add(scoredPerson("c", { kneeReplaced: null }));
    tally.add(scoredPerson("d", { probability: null, tier: null, ineligible: ["already_diagnosed"], kneeReplaced: { date: null } }));
    expect(tally.kneeReplaced).toBe(2);
  });
});

describe("a run on NDJSON files with a Procedure file", () => {
  it("flags the patient in high-risk.csv, and gives every patient the risk it gives them without the Procedures", async () => {
    const input = simulatedPopulation(20, 7);
    const without = tempDir("patella-knee-out-");
    await scorePopulation(input.dir, without);
    const rows = (out: string) => read(out, "high-risk.csv").trim().split("\r\n").slice(1);
    const risks = (out: string) => read(out, "risk-assessments.ndjson").trim().split("\n").map((line) => JSON.parse(line).prediction);
    // The listed patient to flag: the first row's id.
    const listed = rows(without)[0]!.split(",")[1]!;
    const subject = { reference: `Patient/${listed}` };
    const procedures = [
      { resourceType: "Procedure", id: "tkr", status: "completed", subject, code: { coding: [TKR] }, performedDateTime: "2021-05-11" },
      { resourceType: "Procedure", id: "appendix", status: "completed", subject, code: { coding: [APPENDECTOMY] }, performedDateTime: "2023-02-01" },
    ];
    writeFileSync(join(input.dir, "Procedure.ndjson"), procedures.map((p) => `${JSON.stringify(p)}\n`).join(""));
    const withProcedures = tempDir("patella-knee-out-");
    await scorePopulation(input.dir, withProcedures);

    expect(risks(withProcedures)).toEqual(risks(without));
    const flagged = rows(withProcedures).filter((row) => row.includes("knee replacement on record"));
    expect(flagged.map((row) => row.split(",")[1])).toEqual([listed]);
    expect(flagged[0]).toContain("knee replacement on record (likely knee OA already), 2021-05-11");
    expect(read(withProcedures, "summary.html")).toContain('<tr><td>scored with: knee replacement on record (likely knee OA already)</td><td class="n">1</td></tr>');
  }, 120_000);
});
