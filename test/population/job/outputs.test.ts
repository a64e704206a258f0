import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Group, RiskAssessment } from "fhir/r4";
import * as ort from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { validateR4 } from "../../support/fhir-r4-validator.ts";
import { assessRisk } from "../../../shared/assess-risk.ts";
import { loadRiskModel } from "../../../shared/inference/index.ts";
import { openPopulation } from "../../../population/read-population.ts";
import { tempDir } from "../fixtures.ts";
import { INDEX_DATE, MODEL, read, scorePopulation, simulatedPopulation } from "./job-fixtures.ts";

const THRESHOLD = 0.01;
let input: ReturnType<typeof simulatedPopulation>;
let out: string;
let conditionLines: number;

beforeAll(async () => {
  input = simulatedPopulation(150, 11);
  const conditions = join(input.dir, "Condition.ndjson");
  conditionLines = readFileSync(conditions, "utf8").split("\n").length - 1;
  appendFileSync(
    conditions,
    [
      "{not json",
      JSON.stringify({ resourceType: "Condition", id: "orphan", code: { text: "knee pain" } }),
      JSON.stringify({ resourceType: "Condition", id: "ghost-c", subject: { reference: "Patient/ghost" }, code: { text: "x" }, onsetDateTime: "2024-01-01" }),
    ].join("\n") + "\n",
  );
  // An Encounter that names a patient only by an absolute reference on another server.
  const someone = input.byType.get("Patient")![3]!.id!;
  appendFileSync(
    join(input.dir, "Encounter.ndjson"),
    `${JSON.stringify({ resourceType: "Encounter", id: "elsewhere", status: "finished", subject: { reference: `https://other.example/fhir/Patient/${someone}` }, period: { start: "2025-01-01" } })}\n`,
  );
  out = tempDir("patella-job-out-");
  await scorePopulation(input.dir, out, { workers: 2 });
}, 180_000);

describe("population job outputs", () => {
  it("writes one valid R4 RiskAssessment per scored patient, with the probability assessRisk gives that patient", async () => {
    const assessments = read(out, "risk-assessments.ndjson").trim().split("\n").map((line) => JSON.parse(line) as RiskAssessment);
    const model = await loadRiskModel(ort, readFileSync(MODEL));
    const expected = new Map<string, number>();
    const population = await openPopulation(input.dir, { skipBadLines: true });
    for await (const record of population.patients()) {
      const result = await assessRisk(model, record.resources, INDEX_DATE, { explain: false });
      if (result.probability !== undefined) expected.set(record.patientId, result.probability);
    }
    expect(assessments).toHaveLength(expected.size);
    expect(expected.size).toBeGreaterThan(100);
    for (const assessment of assessments) {
      validateR4(assessment);
      const id = assessment.subject.reference!.replace("Patient/", "");
      const prediction = assessment.prediction![0]!;
      expect(prediction.probabilityDecimal).toBeCloseTo(expected.get(id)!, 6);
      expect(prediction.outcome!.coding![0]).toMatchObject({ system: "http://snomed.info/sct", code: "239873007" });
      // [2026-01-01, 2026-01-01 + 365 days) is the outcome window; a Period's end is inclusive, so
      // it ends on the window's last day, 2026-12-31.
      expect(prediction.whenPeriod).toEqual({ start: INDEX_DATE, end: "2026-12-31" });
      expect(assessment.note![0]!.text).toMatch(/synthetic/);
    }
    // The drivers go with the card's caveat: they explain the model, not the patient (the CSV's reasons, here).
    const withDrivers = assessments.filter((a) => a.prediction![0]!.rationale !== undefined);
    expect(withDrivers.length).toBeGreaterThan(0);
    for (const a of withDrivers) expect(a.prediction![0]!.rationale).toMatch(/^Main drivers: .+\. These factors explain this model, trained on synthetic data, not the patient's biology/);
    // Sorted by patient id, so the file does not depend on read order or sharding.
    const ids = assessments.map((a) => a.subject.reference!);
    expect(ids).toEqual([...ids].sort());
  });

  it("lists exactly the patients at or above the threshold, riskiest first, in the CSV and the valid R4 Group", () => {
    const assessments = read(out, "risk-assessments.ndjson").trim().split("\n").map((line) => JSON.parse(line) as RiskAssessment);
    const above = assessments
      .map((a) => ({ id: a.subject.reference!.replace("Patient/", ""), p: a.prediction![0]!.probabilityDecimal! }))
      .filter((a) => a.p >= THRESHOLD)
      .sort((a, b) => b.p - a.p);
    const rows = read(out, "high-risk.csv").trim().split("\r\n");
    expect(rows[0]).toBe("rank,patient_id,mrn,age_band,sex,risk,tier,index_date,model,driver_1,driver_2,driver_3,data_quality,note");
    const listed = rows.slice(1).map((row) => row.split(",")[1]);
    // Every row names the list (the threshold is not the High tier's 5%: Moderate patients are
    // listed), then carries the disclaimer and the reasons' caveat, quoted (they hold commas and colons).
    const note = '"This is the list of patients at or above 1.00% (the High tier starts at 5.00%). The shipped Deep-KOA model is trained on synthetic data and is not validated for clinical use: retrain and validate it locally before relying on it. ' +
      "driver_1 to driver_3: the model's largest drivers, largest first, raising or lowering the risk (each says which), in percentage points of the 1-year risk (the risk minus the risk with that factor set to a neutral value). " +
      "These factors explain this model, trained on synthetic data, not the patient's biology: some can run against clinical knowledge.\"";
    for (const row of rows.slice(1)) expect(row.endsWith(`,${note}`)).toBe(true);
    expect(above.length).toBeGreaterThan(2);
    expect(listed).toEqual(above.map((a) => a.id));
    expect(rows[1]).toMatch(/^1,[^,]+,MRN\d+,/);
    const group = JSON.parse(read(out, "high-risk-group.json")) as Group;
    validateR4(group);
    expect(group.member!.map((m) => m.entity.reference)).toEqual(above.map((a) => `Patient/${a.id}`));
    expect(group.quantity).toBe(above.length);
  });

  it("draws every histogram bin that holds anyone at least 3 px tall, however tall the largest", () => {
    const bars = [...read(out, "summary.html").matchAll(/<rect [^>]*height="([\d.]+)"[^>]*><title>[^<]*: (\d+)<\/title>/g)].map((m) => ({ h: Number(m[1]), n: Number(m[2]) }));
    expect(bars.length).toBeGreaterThan(5);
    // With this population some bins hold under 1/60 of the largest: in proportion, under 3 px.
    const largest = Math.max(...bars.map((b) => b.n));
    expect(bars.some((b) => b.n > 0 && b.n < largest / 60)).toBe(true);
    for (const { h, n } of bars) expect(n === 0 ? h === 0 : h >= 3).toBe(true);
  });

  it("reports bad lines with file:line, resources without a patient and patients without a Patient in summary.html, without patient ids", () => {
    const html = read(out, "summary.html");
    expect(html).toContain(`Condition.ndjson:${conditionLines + 1}`);
    expect(html).toMatch(/skipped by the reader: line is not valid JSON<\/td><td class="n">1</);
    expect(html).toMatch(/skipped by the reader: no patient reference: Condition<\/td><td class="n">1</);
    expect(html).toMatch(/patient ids referenced by resources but with no Patient resource in the input \(not counted as patients, not scored\)<\/td><td class="n">1</);
    expect(html).toMatch(/skipped by the reader: not provably this patient&#39;s: absolute reference not on the FHIR server&#39;s base<\/td><td class="n">1</);
    // Not among the patients not scored: an id without a Patient is no patient.
    expect(html).not.toMatch(/<td>no patient<\/td>/);
    expect(html).toContain("trained on synthetic data");
    for (const id of input.byType.get("Patient")!.slice(0, 20).map((p) => p.id!)) expect(html).not.toContain(id);
  });
});
