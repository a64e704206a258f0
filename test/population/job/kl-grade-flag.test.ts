/**
 * The population outputs flag a knee radiograph already graded Kellgren-Lawrence 2 or more by the
 * imaging AI, as the card and the app say it beside the risk (shared/record-caveats.ts,
 * shared/imaging/recent-kl.ts). The KL grade Observations are read for this flag only: they never
 * reach the feature builder, so a patient's features and risk are the same with them or without.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Group, Observation, Resource } from "fhir/r4";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { qualityFlags } from "../../../population/job/outputs/high-risk-csv.ts";
import { PopulationTally } from "../../../population/job/outputs/population-tally.ts";
import { prepare, scoreBatch } from "../../../population/job/score-batch.ts";
import type { ScoreSettings } from "../../../population/job/score-settings.ts";
import { storedRow } from "../../../population/job/scored-patient.ts";
import { loadRiskModel } from "../../../shared/inference/index.ts";
import { klGradeObservations } from "../../support/imaging-examples.ts";
import { scoredPerson } from "../scored-person.ts";
import { CODES, condition } from "../../support/fhir-builders.ts";
import { tempDir } from "../fixtures.ts";
import { flaggedRecordInput, MODEL, read, scorePopulation, scoreWithAddedFile, simulatedPopulation } from "./job-fixtures.ts";

const settings: ScoreSettings = { modelPath: MODEL, indexDate: "2025-01-01", includeNames: false, explainFrom: 0.01 };


/** The KL grade Observations of one imaging AI report, graded on `day`, on `patientId`'s knees. */
const klGrades = (knees: { side: "left" | "right"; grade: number }[], day: string, patientId = "p1"): Observation[] =>
  klGradeObservations(patientId, knees, { idPrefix: `kl-${day}`, day });

const record = (resources: Resource[]) => ({ patientId: "p1", resources });

describe("a knee already graded KL 2 or more in the population outputs", () => {
  it("is read when the record is assembled, by the card's rule: the worse knee's newest grading, up to the index date", () => {
    const graded = klGrades([{ side: "left", grade: 3 }, { side: "right", grade: 1 }], "2024-05-01");
    expect(prepare(record([...flaggedRecordInput(), ...graded]), settings).facts.recentKneeOaGrade).toEqual({ grade: 3, side: "left", date: "2024-05-01" });
    expect(prepare(record([...flaggedRecordInput(), ...klGrades([{ side: "right", grade: 1 }], "2024-05-01")]), settings).facts.recentKneeOaGrade).toBeNull();
    // Graded after the index date: not known then.
    expect(prepare(record([...flaggedRecordInput(), ...klGrades([{ side: "left", grade: 4 }], "2025-03-01")]), settings).facts.recentKneeOaGrade).toBeNull();
    expect(prepare(record(flaggedRecordInput()), settings).facts.recentKneeOaGrade).toBeNull();
  });

  it("never reaches the feature builder: the features, the risk and the other facts are the same with the KL grades or without", async () => {
    const without = prepare(record(flaggedRecordInput()), settings);
    // One graded years before the first visit, one inside the three years the model reads: an
    // Observation the builder saw would lengthen the history, or be counted as not a body measure.
    const grades = [...klGrades([{ side: "right", grade: 2 }], "2012-02-01"), ...klGrades([{ side: "left", grade: 1 }], "2023-12-01")];
    const withGrades = prepare(record([...flaggedRecordInput(), ...grades]), settings);
    expect(without.features.demographics.historyYears).toBeGreaterThan(0);
    expect(without.features.quality.skipped).toEqual({});
    expect(withGrades.features).toEqual(without.features);
    expect(withGrades.patient).toEqual(without.patient);
    expect(withGrades.facts).toEqual({ ...without.facts, recentKneeOaGrade: { grade: 2, side: "right", date: "2012-02-01" } });
    expect(without.facts.recentKneeOaGrade).toBeNull();

    const model = await loadRiskModel(ort, readFileSync(MODEL));
    const [scoredWithout, scoredWith] = await scoreBatch(model, [without, withGrades], settings);
    expect(scoredWithout!.probability).toBeGreaterThan(0);
    expect(scoredWith!.probability).toBe(scoredWithout!.probability);
    expect(scoredWith!.reasons).toEqual(scoredWithout!.reasons);
    expect(scoredWith!.recentKneeOaGrade).toEqual({ grade: 2, side: "right", date: "2012-02-01" });
    // Stored with the row, as the other facts are, so a resumed run's outputs say it too.
    expect(JSON.parse(storedRow(scoredWith!).json).recentKneeOaGrade).toEqual({ grade: 2, side: "right", date: "2012-02-01" });
  });

  it("is a data-quality flag of the row, with the grade, the knee and the date", () => {
    expect(qualityFlags(scoredPerson("p1", { reasons: [], recentKneeOaGrade: { grade: 3, side: "left", date: "2024-05-01" } }), "2025-12-01")).toBe(
      "knee radiograph graded Kellgren-Lawrence 2 or more by imaging AI (radiographic knee OA already): grade 3, left knee, 2024-05-01",
    );
    expect(
      qualityFlags(scoredPerson("p1", { reasons: [], recentKneeOaGrade: { grade: 2, side: "right", date: "2023-01-02" }, kneeReplaced: { date: null } }), "2025-12-01"),
    ).toBe(
      "knee radiograph graded Kellgren-Lawrence 2 or more by imaging AI (radiographic knee OA already): grade 2, right knee, 2023-01-02;" +
        "knee replacement on record (likely knee OA already), undated",
    );
  });

  it("is counted among the scored patients only", () => {
    const tally = new PopulationTally("2025-01-01");
    tally.add(scoredPerson("a", { recentKneeOaGrade: { grade: 3, side: "left", date: "2024-05-01" } }));
    tally.add(scoredPerson("b", { recentKneeOaGrade: { grade: 2, side: "right", date: "2020-01-01" } }));
    tally.add(scoredPerson("c", { recentKneeOaGrade: null }));
    tally.add(scoredPerson("d", { probability: null, tier: null, ineligible: ["already_diagnosed"], recentKneeOaGrade: { grade: 4, side: "left", date: "2024-05-01" } }));
    expect(tally.recentKneeOaGrade).toBe(2);
  });
});

describe("a run on NDJSON files with the imaging AI's results", () => {
  it("flags the patient in high-risk.csv, and gives every patient the risk it gives them without the results", async () => {
    const run = await scoreWithAddedFile("ImagingResults.ndjson", (listed) => [...klGrades([{ side: "left", grade: 3 }, { side: "right", grade: 1 }], "2024-05-01", listed)]);

    expect(run.with.risks).toEqual(run.without.risks);
    const flagged = run.with.rows.filter((row) => row.includes("graded Kellgren-Lawrence"));
    expect(flagged.map((row) => row.split(",")[1])).toEqual([run.listed]);
    expect(flagged[0]).toContain("knee radiograph graded Kellgren-Lawrence 2 or more by imaging AI (radiographic knee OA already): grade 3, left knee, 2024-05-01");
    const summary = read(run.with.dir, "summary.html");
    expect(summary).toContain(
      '<tr><td>scored with: knee radiograph graded Kellgren-Lawrence 2 or more by imaging AI (radiographic knee OA already)</td><td class="n">1</td></tr>',
    );
    // Kept for the flag, so not skipped: the reader's "not model input" count is the run's without them.
    const notModelInput = (html: string) => /skipped by the reader: not model input: [^<]*<\/td><td class="n">([\d,]+)</.exec(html)?.[1];
    expect(notModelInput(summary)).toEqual(notModelInput(read(run.without.dir, "summary.html")));
  }, 120_000);
});

describe("imaging-knee-oa.csv", () => {
  it("lists every scored patient with a knee graded KL 2 or more, whatever the risk, riskiest first; not one already diagnosed", async () => {
    const input = simulatedPopulation(20, 7);
    const first = tempDir("patella-imaging-list-out-");
    await scorePopulation(input.dir, first);
    // The ids, from the first run: the riskiest listed patient, a scored one under the list's
    // threshold (1%), and one not scored.
    const risks = new Map<string, number>(
      read(first, "risk-assessments.ndjson")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { subject: { reference: string }; prediction: { probabilityDecimal: number }[] })
        .map((ra) => [ra.subject.reference.slice("Patient/".length), ra.prediction[0]!.probabilityDecimal]),
    );
    const listed = read(first, "high-risk.csv").trim().split("\r\n")[1]!.split(",")[1]!;
    const under = [...risks].find(([, p]) => p < 0.01)?.[0];
    // Made already diagnosed by a knee OA Condition of its own, so not scored the second time.
    const diagnosed = [...risks.keys()].find((id) => id !== listed && id !== under);
    expect({ listed, under, diagnosed }).toEqual({ listed: expect.any(String), under: expect.any(String), diagnosed: expect.any(String) });
    const kneeOa = { ...condition(CODES.kneeOaSnomed, { id: "knee-oa-added", onsetDateTime: "2024-05-01" }), subject: { reference: `Patient/${diagnosed}` } };
    expect(read(first, "imaging-knee-oa.csv")).toBe(`${read(first, "high-risk.csv").split("\r\n")[0]}\r\n`);

    writeFileSync(
      join(input.dir, "ImagingResults.ndjson"),
      [...klGrades([{ side: "left", grade: 2 }], "2024-05-01", under!), ...klGrades([{ side: "right", grade: 3 }], "2024-05-01", listed), ...klGrades([{ side: "left", grade: 4 }], "2024-05-01", diagnosed!), kneeOa]
        .map((r) => `${JSON.stringify(r)}\n`)
        .join(""),
    );
    const second = tempDir("patella-imaging-list-out-");
    await scorePopulation(input.dir, second);
    expect(read(second, "risk-assessments.ndjson")).not.toContain(`Patient/${diagnosed}`);
    const rows = read(second, "imaging-knee-oa.csv").trim().split("\r\n");
    expect(rows[0]).toBe(read(second, "high-risk.csv").split("\r\n")[0]);
    expect(rows.slice(1).map((row) => row.split(",").slice(0, 2))).toEqual([
      ["1", listed],
      ["2", under],
    ]);
    expect(rows[2]).toContain("grade 2, left knee, 2024-05-01");
    expect(rows[1]).toContain(',"This is the list of scored patients (so none with a knee OA diagnosis on record) whose knee radiograph the imaging AI graded Kellgren-Lawrence 2 or more');
    expect(read(second, "summary.html")).toContain("<b>2</b>in imaging-knee-oa.csv: a knee graded KL 2 or more by the imaging AI, whatever the risk");
    expect(read(second, "summary.html")).toContain("imaging-knee-oa.csv (its Group: imaging-knee-oa-group.json) is the list of scored patients (so none with a knee OA diagnosis on record)");
    // Its Group: the same patients in the same order, under the index date's one id (INDEX_DATE).
    const group = JSON.parse(read(second, "imaging-knee-oa-group.json")) as Group;
    expect([group.id, group.quantity, group.member?.map((m) => m.entity.reference)]).toEqual(["patella-koa-imaging-kl2-2026-01-01", 2, [`Patient/${listed}`, `Patient/${under}`]]);
    expect(JSON.parse(read(first, "imaging-knee-oa-group.json"))).not.toHaveProperty("member");
  }, 120_000);
});
