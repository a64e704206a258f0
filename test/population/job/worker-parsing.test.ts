import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { RiskAssessment } from "fhir/r4";
import * as ort from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { FEATURE_RESOURCE_TYPES } from "../../../models/features/feature-resource-types.ts";
import { Checkpoint } from "../../../population/job/checkpoint.ts";
import type { InputReport } from "../../../population/job/input-report.ts";
import { openPopulation } from "../../../population/read-population.ts";
import { assessRisk } from "../../../shared/assess-risk.ts";
import { loadRiskModel } from "../../../shared/inference/index.ts";
import { tempDir } from "../fixtures.ts";
import { INDEX_DATE, MODEL, read, scorePopulation, simulatedPopulation } from "./job-fixtures.ts";

// Files ordered by patient: the reading thread sends each patient's unparsed lines, and the
// scoring threads parse, count and assemble them.
let input: ReturnType<typeof simulatedPopulation>;
let out: string;
let report: InputReport;
let cutLine: number;

beforeAll(async () => {
  input = simulatedPopulation(60, 31);
  const last = input.byType.get("Patient")!.at(-1)!.id!;
  const observations = join(input.dir, "Observation.ndjson");
  cutLine = readFileSync(observations, "utf8").split("\n").length;
  // Appended for the last patient, so the files stay ordered; cut short, so only a full parse
  // (on a scoring thread) finds it bad.
  const cut = JSON.stringify({ resourceType: "Observation", id: "cut", status: "final", subject: { reference: `Patient/${last}` }, code: { text: "x" } });
  appendFileSync(observations, `${cut.slice(0, -12)}\n`);
  out = tempDir("patella-job-lines-");
  await scorePopulation(input.dir, out, { workers: 2, batchSize: 8 });
  const checkpoint = Checkpoint.openFinished(out);
  report = checkpoint.inputReport()!;
  checkpoint.close();
}, 180_000);

describe("NDJSON lines parsed on the scoring threads", () => {
  it("reads by merge join and reports a bad line found by a scoring thread with its file and line", () => {
    expect(report.grouping).toBe("merge-join");
    expect(report.skipped["line is not valid JSON"]).toBe(1);
    expect(report.badLines).toEqual([{ where: `Observation.ndjson:${cutLine}`, reason: "line is not valid JSON" }]);
    expect(read(out, "summary.html")).toContain(`Observation.ndjson:${cutLine}`);
  });

  it("counts what a read on one thread counts", async () => {
    const population = await openPopulation(input.dir, { skipBadLines: true, resourceTypes: FEATURE_RESOURCE_TYPES });
    for await (const _ of population.patients()) {
      // Read to the end for the counts.
    }
    expect(report.resourcesByType).toEqual(population.stats.resourcesByType);
    expect(report.skipped).toEqual(population.stats.skipped);
    expect(report.shared).toEqual(population.stats.shared);
    expect(report.patientsRead).toBe(60);
    expect(report.resourcesByType.Observation).toBe(input.byType.get("Observation")!.length);
  });

  it("scores the records a read on one thread assembles", async () => {
    const model = await loadRiskModel(ort, readFileSync(MODEL));
    const expected = new Map<string, number>();
    const population = await openPopulation(input.dir, { skipBadLines: true, resourceTypes: FEATURE_RESOURCE_TYPES });
    for await (const record of population.patients()) {
      const result = await assessRisk(model, record.resources, INDEX_DATE, { explain: false });
      if (result.probability !== undefined) expected.set(record.patientId, result.probability);
    }
    const assessments = read(out, "risk-assessments.ndjson").trim().split("\n").map((line) => JSON.parse(line) as RiskAssessment);
    expect(expected.size).toBeGreaterThan(40);
    expect(assessments).toHaveLength(expected.size);
    for (const assessment of assessments) {
      expect(assessment.prediction![0]!.probabilityDecimal).toBeCloseTo(expected.get(assessment.subject.reference!.replace("Patient/", ""))!, 6);
    }
  });
});
