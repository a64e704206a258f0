/**
 * The population outputs flag a knee replacement on record, as the card says it beside the risk
 * (shared/knee-replaced.ts). Procedures are read for this flag only: they never reach the feature
 * builder, so a patient's features and risk are the same with them or without.
 */
import { describe, expect, it } from "vitest";
import { qualityFlags } from "../../../population/job/outputs/high-risk-csv.ts";
import { PopulationTally } from "../../../population/job/outputs/population-tally.ts";
import { prepare } from "../../../population/job/score-batch.ts";
import type { ScoreSettings } from "../../../population/job/score-settings.ts";
import { condition, icd10, procedure, snomed } from "../../support/fhir-builders.ts";
import { scoredPerson } from "../scored-person.ts";
import { flaggedRecordInput, read, scoreWithAddedFile } from "./job-fixtures.ts";

const settings: ScoreSettings = { modelPath: "unused: prepare builds features only", indexDate: "2025-01-01", includeNames: false, explainFrom: 0.01 };
const TKR = snomed("609588000"); // Total knee replacement
const APPENDECTOMY = snomed("80146002");


describe("a knee replacement on record in the population outputs", () => {
  it("is read when the record is assembled, by the card's rule, from a Procedure or an artificial knee on the problem list", () => {
    const withProcedures = { patientId: "p1", resources: [...flaggedRecordInput(), procedure(TKR, { performedDateTime: "2021-05-11" }), procedure(APPENDECTOMY, { performedDateTime: "2024-02-02" })] };
    expect(prepare(withProcedures, settings).facts.kneeReplaced).toEqual({ date: "2021-05-11" });
    const artificialKnee = { patientId: "p1", resources: [...flaggedRecordInput(), condition(icd10("Z96.652"), { onsetDateTime: "2022-01-03" })] };
    expect(prepare(artificialKnee, settings).facts.kneeReplaced).toEqual({ date: "2022-01-03" });
    const otherSurgery = { patientId: "p1", resources: [...flaggedRecordInput(), procedure(APPENDECTOMY, { performedDateTime: "2024-02-02" })] };
    expect(prepare(otherSurgery, settings).facts.kneeReplaced).toBeNull();
    expect(prepare({ patientId: "p1", resources: [...flaggedRecordInput(), procedure(TKR)] }, settings).facts.kneeReplaced).toEqual({ date: null });
  });

  it("never reaches the feature builder: the features, their data-quality counts and the other facts are the same with the Procedures or without", () => {
    const without = prepare({ patientId: "p1", resources: flaggedRecordInput() }, settings);
    // Dated, one on the first day of the three years the model reads and one before the records: a
    // dated resource the builder saw would lengthen the history or be counted as a type not used.
    const procedures = [procedure(TKR, { performedDateTime: "2022-01-01" }), procedure(APPENDECTOMY, { performedDateTime: "2010-06-01" })];
    const withProcedures = prepare({ patientId: "p1", resources: [...flaggedRecordInput(), ...procedures] }, settings);
    expect(without.features.demographics.historyYears).toBeGreaterThan(0);
    expect(without.features.quality.skipped).toEqual({});
    expect(withProcedures.features).toEqual(without.features);
    expect(withProcedures.patient).toEqual(without.patient);
    expect(withProcedures.facts).toEqual({ ...without.facts, kneeReplaced: { date: "2022-01-01" } });
    expect(without.facts.kneeReplaced).toBeNull();
  });

  it("is a data-quality flag of the row, with the date", () => {
    expect(qualityFlags(scoredPerson("p1", { reasons: [], kneeReplaced: { date: "2021-05-11" } }), "2025-12-01")).toBe(
      "knee replacement on record (likely knee OA already), 2021-05-11",
    );
    expect(qualityFlags(scoredPerson("p1", { reasons: [], oaSiteNotStated: { date: "2022-08-09" }, kneeReplaced: { date: null } }), "2025-12-01")).toBe(
      "osteoarthritis without a stated joint on record (may be knee OA already), 2022-08-09;knee replacement on record (likely knee OA already), undated",
    );
    expect(qualityFlags(scoredPerson("p1", { reasons: [] }), "2025-12-01")).toBe("");
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
    const run = await scoreWithAddedFile("Procedure.ndjson", (listed) => {
      const subject = { reference: `Patient/${listed}` };
      return [
        { resourceType: "Procedure", id: "tkr", status: "completed", subject, code: { coding: [TKR] }, performedDateTime: "2021-05-11" },
        { resourceType: "Procedure", id: "appendix", status: "completed", subject, code: { coding: [APPENDECTOMY] }, performedDateTime: "2023-02-01" },
      ];
    });

    expect(run.with.risks).toEqual(run.without.risks);
    const flagged = run.with.rows.filter((row) => row.includes("knee replacement on record"));
    expect(flagged.map((row) => row.split(",")[1])).toEqual([run.listed]);
    expect(flagged[0]).toContain("knee replacement on record (likely knee OA already), 2021-05-11");
    expect(read(run.with.dir, "summary.html")).toContain('<tr><td>scored with: knee replacement on record (likely knee OA already)</td><td class="n">1</td></tr>');
  }, 120_000);
});
