import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModelRiskService, loadBaselineModel, loadModelPool } from "../../../cds-service/risk/model-risk-service.ts";
import { assessRisk } from "../../../shared/assess-risk.ts";
import type { RiskModel } from "../../../shared/inference/index.ts";
import { INDEX_DATE, patientRecord } from "../support/hook-requests.ts";
import { patient } from "../../support/fhir-builders.ts";
import { BASELINE_MODEL_PATH, committedBaselineModel, MODEL_PATH } from "../support/test-service.ts";

const record = patientRecord();
const resources = [record.patient, ...record.conditions, ...record.encounters, ...record.medicationRequests, ...record.bodyMeasures];

describe("model risk service", () => {
  let models: RiskModel[];
  let baseline: RiskModel;
  beforeAll(async () => {
    models = await loadModelPool({ path: MODEL_PATH, threads: 1, instances: 2 });
    baseline = await committedBaselineModel();
  });
  afterAll(() => Promise.all(models.map((m) => m.release())));

  it("gives assessRisk's answer from every copy, also under concurrent calls", async () => {
    const expected = await assessRisk(models[0]!, resources, INDEX_DATE);
    const service = createModelRiskService(models, baseline);
    const results = await Promise.all(Array.from({ length: 6 }, () => service.assess(resources, INDEX_DATE, "p1")));
    for (const result of results) {
      expect(result.kind).toBe("estimate");
      if (result.kind !== "estimate") continue;
      expect(result.risk.probability).toBe(expected.probability);
      expect(result.risk.tier).toBe(expected.tier);
      // The BMI and its date, for the card's old-BMI caveat: the record's one BMI Observation.
      expect(result.risk).toMatchObject({ bmi: 33.1, bmiDate: "2023-05-02" });
      expect(await result.explain()).toEqual(expected.drivers);
    }
    expect(service.modelName).toBe(expected.model.name);
  });

  it("reads the resources before it returns: nothing waits for the model with them in reach", async () => {
    // A hook call's resources are its parsed request body; kept while the model runs, every
    // request in flight would carry its body through garbage collection.
    const expected = await assessRisk(models[0]!, resources, INDEX_DATE);
    const service = createModelRiskService(models, baseline);
    const mine = [...resources];
    const pending = service.assess(mine, INDEX_DATE, "p1");
    mine.length = 0;
    const result = await pending;
    expect(result.kind === "estimate" ? result.risk.probability : undefined).toBe(expected.probability);
  });

  it("compares with the age/sex baseline: the same for any record of one age and sex, another for another age", async () => {
    const service = createModelRiskService(models, baseline);
    const estimate = async (record: typeof resources) => {
      const result = await service.assess(record, INDEX_DATE, "p1");
      if (result.kind !== "estimate") throw new Error("expected an estimate");
      return { probability: result.risk.probability, baseline: await result.baseline() };
    };
    const full = await estimate(resources);
    // The same 64-year-old woman with only her Patient and one visit: another risk, the same baseline.
    const sparse = await estimate([record.patient, record.encounters[0]!]);
    expect(sparse.probability).not.toBe(full.probability);
    expect(sparse.baseline).toBe(full.baseline);
    // Twenty years older: another baseline.
    const older = await estimate([patient({ birthDate: "1940-03-14", gender: "female" }), ...resources.slice(1)]);
    expect(older.baseline).not.toBe(full.baseline);
    expect(full.baseline).toBeGreaterThan(0);
    expect(full.baseline).toBeLessThan(1);
  });

  it("says why there is no estimate for an ineligible patient", async () => {
    const service = createModelRiskService(models, baseline);
    const result = await service.assess(resources.filter((r) => r.resourceType !== "Patient"), INDEX_DATE, "p1");
    expect(result).toEqual({ kind: "no-estimate", reasons: ["no_patient"] });
  });

  it("refuses a baseline that is not the age/sex baseline model", async () => {
    await expect(loadBaselineModel({ baselinePath: MODEL_PATH, threads: 1 })).rejects.toThrow(
      `model.baselinePath ${MODEL_PATH} is the model "deep-koa", not the age/sex baseline (baseline-age-sex-lr)`,
    );
    const baseline = await loadBaselineModel({ baselinePath: BASELINE_MODEL_PATH, threads: 1 });
    expect(baseline.info.name).toBe("baseline-age-sex-lr");
    await baseline.release();
  });

  it("names the model file it cannot read", async () => {
    const missing = fileURLToPath(new URL("./no-such-model.onnx", import.meta.url));
    await expect(loadModelPool({ path: missing, threads: 1, instances: 1 })).rejects.toThrow(/Cannot read model file .*no-such-model\.onnx/);
  });
});
