/**
 * One record span and one index-date rule for every command: npm run features, npm run evaluate,
 * npm run check:external and a reader that keeps every resource type (as a population job may)
 * give the same index dates and labels on the same data, worked out by hand below.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Resource } from "fhir/r4";
import { collectPredictions } from "../../models/evaluation/collect-predictions.ts";
import { checkExternal } from "../../models/features/external-check.ts";
import { runFeatures } from "../../models/features/feature-run.ts";
import { policyIndexDates } from "../../population/index-dates.ts";
import { openPopulation } from "../../population/read-population.ts";
import { type RiskModel, loadRiskModel } from "../../shared/inference/index.ts";
import { committedModel } from "../shared/inference/onnx-bytes.ts";
import { condition, encounter, patient, tempDir, writeNdjson } from "../population/fixtures.ts";

const claim = (id: string, patientId: string, start: string): Resource =>
  ({ resourceType: "Claim", id, patient: { reference: `Patient/${patientId}` }, billablePeriod: { start }, created: start }) as Resource;

/**
 * p1: visits 2010-01-15 and 2016-06-30, Claims in 2005 and 2020 (not a type the builder reads):
 *     index dates 2013-01-15, 2014-01-15, 2015-01-15, label 0.
 * p2: the same visits and knee OA with onset "2013", a period containing the first index date:
 *     index date 2013-01-15, label 1.
 * p3: visits 2012-01-01 and 2013-06-01 and a Claim in 2009: a short history without a year of
 *     follow-up after 2013-01-01, so no index date (with the Claim it would get 2012-01-01).
 */
const EXPECTED = [
  { patientId: "p1", indexDate: "2013-01-15", label: 0 },
  { patientId: "p1", indexDate: "2014-01-15", label: 0 },
  { patientId: "p1", indexDate: "2015-01-15", label: 0 },
  { patientId: "p2", indexDate: "2013-01-15", label: 1 },
];

describe("index dates agree across commands", () => {
  let dir: string;
  let model: RiskModel;
  beforeAll(async () => {
    dir = tempDir("patella-agree-");
    writeNdjson(dir, "Patient.ndjson", [patient("p1"), patient("p2"), patient("p3")]);
    writeNdjson(dir, "Encounter.ndjson", [
      encounter("e1", "Patient/p1", "2010-01-15"),
      encounter("e2", "Patient/p1", "2016-06-30"),
      encounter("e3", "Patient/p2", "2010-01-15"),
      encounter("e4", "Patient/p2", "2016-06-30"),
      encounter("e5", "Patient/p3", "2012-01-01"),
      encounter("e6", "Patient/p3", "2013-06-01"),
    ]);
    writeNdjson(dir, "Condition.ndjson", [condition("k", "Patient/p2", "239873007", "2013")]);
    writeNdjson(dir, "Claim.ndjson", [claim("c1", "p1", "2005-01-01"), claim("c2", "p1", "2020-01-01"), claim("c3", "p3", "2009-01-01")]);
    model = await loadRiskModel(ort, committedModel());
  });
  afterAll(async () => {
    await model.release();
    rmSync(dir, { recursive: true, force: true });
  });

  it("npm run features writes the hand-worked index dates and labels", async () => {
    const out = tempDir("patella-agree-out-");
    const prefix = join(out, "f");
    await runFeatures({ inDir: dir, outPrefix: prefix });
    const rows = readFileSync(`${prefix}.rows.ndjson`, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    rmSync(out, { recursive: true, force: true });
    expect(rows.map(({ patientId, indexDate, label }) => ({ patientId, indexDate, label }))).toEqual(EXPECTED);
  });

  it("a reader that keeps every type (Claims included) gets the same index dates from the policy", async () => {
    const population = await openPopulation(dir);
    const found: typeof EXPECTED = [];
    for await (const { patientId, resources } of population.patients()) {
      for (const d of policyIndexDates(resources).indexDates) found.push({ patientId, indexDate: d.indexDate, label: d.label });
    }
    expect(population.stats.resourcesByType["Claim"]).toBe(3);
    expect(found).toEqual(EXPECTED);
  });

  it("npm run evaluate scores the same index dates and labels", async () => {
    const collected = await collectPredictions(dir, [model]);
    expect(collected.indexDates).toBe(4);
    expect(collected.table.labels).toEqual(EXPECTED.map((e) => e.label));
    expect(collected.patientsWithoutIndexDates).toEqual({ diagnosedBeforeFirstIndexDate: 0, other: 1 });
  });

  it("npm run check:external builds p1 and p2 at a policy index date and p3 at its last record date", async () => {
    const report = await checkExternal(dir);
    expect(report.indexDateFrom).toEqual({ policy: 2, "last record date": 1, "no dated resource": 0 });
  });
});
