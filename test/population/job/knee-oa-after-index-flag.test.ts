/**
 * A run for a past index date, on data that run past it, scores patients whose knee OA diagnosis
 * the data already hold from after the index date (right for checking the model against what
 * followed). The outputs flag each such patient, by the feature builder's own rule for a knee OA
 * diagnosis (population/index-dates.ts kneeOaOnRecord: the builder's alreadyDiagnosed), and the
 * summary warns how far the data run past the index date and how many listed patients carry the
 * flag (the review of 2026-12-02: rank 1 had knee OA dated 2025-09-20, with no word).
 */
import type { Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { qualityFlags } from "../../../population/job/outputs/high-risk-csv.ts";
import { PopulationTally } from "../../../population/job/outputs/population-tally.ts";
import { prepare } from "../../../population/job/score-batch.ts";
import type { ScoreSettings } from "../../../population/job/score-settings.ts";
import { CODES, condition, encounter } from "../../support/fhir-builders.ts";
import { condition as conditionOf, encounter as encounterOf, patient, tempDir, writeNdjson } from "../fixtures.ts";
import { scoredPerson } from "../scored-person.ts";
import { flaggedRecordInput, MODEL, read, scorePopulation } from "./job-fixtures.ts";

const settings: ScoreSettings = { modelPath: "unused: prepare builds features only", indexDate: "2025-01-01", includeNames: false, explainFrom: 0.01 };
const facts = (extra: Resource[]) => prepare({ patientId: "p1", resources: [...flaggedRecordInput(), ...extra] }, settings).facts;

describe("a knee OA diagnosis on record after the index date", () => {
  it("is found by the feature builder's rule, at the precision the record dates it", () => {
    // The review's rank 1: SNOMED 239873007 dated 2025-09-20, 262 days after the index date.
    expect(facts([encounter("2025-09-20", { id: "e3" }), condition(CODES.kneeOaSnomed, { onsetDateTime: "2025-09-20" })]).kneeOaAfterIndex).toEqual({
      date: "2025-09-20",
      precision: "day",
    });
    // ICD-10-CM M17.11, onset written to the month only: from its first day, precision month.
    expect(facts([condition(CODES.kneeOaIcd10, { onsetDateTime: "2025-03" })]).kneeOaAfterIndex).toEqual({ date: "2025-03-01", precision: "month" });
    // An onset before the index date recorded after it: the builder did not see it at the index
    // date (the patient is scored), and it is on record by the end of the data.
    expect(facts([condition(CODES.kneeOaSnomed, { onsetDateTime: "2024-06-10", recordedDate: "2025-02-01" })]).kneeOaAfterIndex).toEqual({
      date: "2024-06-10",
      precision: "day",
    });
  });

  it("is not said of a record without one, nor of a patient already diagnosed at the index date (not scored)", () => {
    expect(facts([encounter("2025-09-20", { id: "e3" })]).kneeOaAfterIndex).toBeNull();
    const before = prepare({ patientId: "p1", resources: [...flaggedRecordInput(), condition(CODES.kneeOaSnomed, { onsetDateTime: "2024-10-01" })] }, settings);
    expect(before.features.eligibility.reasons).toEqual(["already_diagnosed"]);
    expect(before.facts.kneeOaAfterIndex).toBeNull();
  });

  it("is the first data-quality flag of the row, with the date as precisely as the record gives it", () => {
    const row = (found: { date: string; precision: "day" | "month" | "year" }) =>
      qualityFlags(scoredPerson("p1", { reasons: [], warnings: ["no_bmi"], kneeOaAfterIndex: found }), "2025-01-01");
    expect(row({ date: "2025-09-20", precision: "day" })).toBe(
      "knee OA diagnosed after the index date (already diagnosed in the data), on record from 2025-09-20;no BMI on record",
    );
    expect(row({ date: "2025-01-01", precision: "year" })).toBe(
      "knee OA diagnosed after the index date (already diagnosed in the data), on record from 2025;no BMI on record",
    );
  });

  it("makes the summary warn how far the data run past the index date, and how many listed patients carry the flag", () => {
    const tally = new PopulationTally("2025-01-01");
    tally.add(scoredPerson("a", { lastRecord: "2025-12-31", lastRecordBeforeIndex: "2024-12-01", kneeOaAfterIndex: { date: "2025-09-20", precision: "day" } }));
    tally.add(scoredPerson("b", { lastRecord: "2025-06-01", lastRecordBeforeIndex: "2024-11-01" }));
    Object.assign(tally, { listed: 20, listedKneeOaAfterIndex: 3 });
    expect(tally.kneeOaAfterIndex).toBe(1);
    // 2025-01-01 to 2025-12-31: 364 days; the day after the latest record is 2026-01-01.
    expect(tally.daysPastIndex()).toBe(364);
    expect(tally.dataPastIndexWarning("high-risk list")).toBe(
      "The data run to 2025-12-31, 364 days past the index date, 2025-01-01: the risks are from what the records held before the index date, " +
        "right for checking the model against what followed, not for a list to act on now. " +
        "3 of the 20 patients in the high-risk list have a knee OA diagnosis on record after the index date, flagged in high-risk.csv " +
        '(data_quality "knee OA diagnosed after the index date (already diagnosed in the data)"): they are already diagnosed. ' +
        "For a list to act on, run again with --index-date 2026-01-01, the day after the latest record in the data.",
    );
  });

  it("does not warn for data that end within a month of the index date when no listed patient is flagged, and always when one is", () => {
    const tally = new PopulationTally("2025-01-01");
    // 2025-01-31 is 30 days after 2025-01-01, 2025-02-01 31 days.
    tally.add(scoredPerson("a", { lastRecord: "2025-01-31" }));
    expect(tally.dataPastIndexWarning("high-risk list")).toBeNull();
    tally.listedKneeOaAfterIndex = 1;
    tally.listed = 1;
    expect(tally.daysPastIndex()).toBe(30);
    const later = new PopulationTally("2025-01-01");
    later.add(scoredPerson("a", { lastRecord: "2025-02-01" }));
    expect(later.daysPastIndex()).toBe(31);
    expect(new PopulationTally("2026-01-01").daysPastIndex()).toBeNull();
  });
});

describe("a run for a past index date on data that run past it", () => {
  it("flags the listed patient whose knee OA diagnosis is in the input after the index date, counts them and warns", async () => {
    const dir = tempDir("patella-job-in-");
    // Two women born 1950 with visits from 2020; p1's knee OA is diagnosed on 2025-09-20.
    writeNdjson(dir, "Patient.ndjson", [patient("p1"), patient("p2")]);
    writeNdjson(dir, "Encounter.ndjson", [
      encounterOf("e1", "Patient/p1", "2020-03-01"),
      encounterOf("e2", "Patient/p1", "2024-06-01"),
      encounterOf("e3", "Patient/p1", "2025-09-20"),
      encounterOf("e4", "Patient/p2", "2020-03-01"),
      encounterOf("e5", "Patient/p2", "2024-06-01"),
      encounterOf("e6", "Patient/p2", "2025-12-31"),
    ]);
    writeNdjson(dir, "Condition.ndjson", [conditionOf("c1", "Patient/p1", "239873007", "2025-09-20")]);
    const out = tempDir("patella-job-past-index-");
    // Threshold 0: both scored patients are listed, whatever their risks.
    const result = await scorePopulation(dir, out, { settings: { modelPath: MODEL, indexDate: "2025-01-01", explainFrom: 0, includeNames: false }, selection: { threshold: 0, top: null } });
    const rows = read(out, "high-risk.csv").trim().split("\r\n").slice(1);
    const flagged = rows.filter((row) => row.includes("knee OA diagnosed after the index date"));
    expect(rows).toHaveLength(2);
    expect(flagged.map((row) => row.split(",")[1])).toEqual(["p1"]);
    expect(flagged[0]).toContain("knee OA diagnosed after the index date (already diagnosed in the data), on record from 2025-09-20");
    const summary = read(out, "summary.html");
    expect(summary).toContain('<tr><td>listed with: knee OA diagnosed after the index date (already diagnosed in the data)</td><td class="n">1</td></tr>');
    // 2025-01-01 to 2025-12-31 (p2's last visit): 364 days.
    expect(summary).toContain("The data run to 2025-12-31, 364 days past the index date, 2025-01-01");
    expect(summary).toContain("1 of the 2 patients in the list of patients at or above 0.00% has a knee OA diagnosis on record after the index date");
    expect(result.dataPastIndexWarning).toContain("run again with --index-date 2026-01-01");
  }, 120_000);
});
