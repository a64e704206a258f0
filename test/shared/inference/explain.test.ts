import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHANNELS, STATIC_COUNT, WEEKS } from "../../../shared/features/spec.ts";
import type { PatientFeatures } from "../../../shared/features/types.ts";
import { explainRisk } from "../../../shared/inference/explain.ts";
import { EXPLANATION_REFERENCE, referenceStatics, staticIndex } from "../../../shared/inference/explain-reference.ts";
import type { ModelInput } from "../../../shared/inference/pack-batch.ts";
import { type RiskModel, loadRiskModel } from "../../../shared/inference/risk-model.ts";
import { committedModel } from "./onnx-bytes.ts";
import { RUNTIMES } from "./fixtures.ts";
import { woman67 } from "../../support/example-features.ts";

const KNEE_PAIN = CHANNELS.findIndex((c) => c.id === "knee_pain");
const NSAID_ORAL = CHANNELS.findIndex((c) => c.id === "nsaid_oral");

/** A 67-year-old woman with BMI 33, knee pain in two weeks and an NSAID course. */
function patient(): PatientFeatures {
  return woman67((sequence) => {
    sequence[KNEE_PAIN * WEEKS + 140] = 2 / 7;
    sequence[KNEE_PAIN * WEEKS + 152] = 1 / 7;
    for (let w = 150; w < 154; w++) sequence[NSAID_ORAL * WEEKS + w] = 7 / 28;
  });
}

describe("explainRisk (occlusion, on the committed deep-koa model)", () => {
  let model: RiskModel;
  let calls: number;
  let rowsSent: number;
  let counting: RiskModel;
  beforeAll(async () => {
    model = await loadRiskModel(RUNTIMES.node, committedModel());
    calls = 0;
    rowsSent = 0;
    // Counts calls and rows and forwards them to the real model, to check the one-batch promise.
    counting = {
      info: model.info,
      release: () => model.release(),
      predict: (rows) => (calls++, (rowsSent += rows.length), model.predict(rows)),
      predictPacked: (batch) => (calls++, (rowsSent += batch.size), model.predictPacked(batch)),
    };
  });
  afterAll(() => model.release());

  it("explains every recorded group plus age, sex and BMI, in one model call", async () => {
    const result = await explainRisk(counting, patient());
    expect(calls).toBe(1);
    expect(result.drivers.map((d) => d.key).sort()).toEqual(["age", "bmi", "diagnosis:knee_pain", "medication:nsaid_oral", "sex"]);
    expect(result.probability).toBeCloseTo((await model.predict([patient()]))[0] as number, 6);
  });

  it("gives each effect as the change from occluding that group alone, sorted by size", async () => {
    const p = patient();
    const result = await explainRisk(model, p);
    const noPain = { ...p, sequence: p.sequence.slice().fill(0, KNEE_PAIN * WEEKS, (KNEE_PAIN + 1) * WEEKS) };
    const age50 = { ...p, static: p.static.slice() };
    age50.static[0] = 0;
    const [base, withoutPain, atAge50] = await model.predict([p, noPain, age50]);
    const effect = (key: string) => result.drivers.find((d) => d.key === key)!.effect;
    expect(effect("diagnosis:knee_pain")).toBeCloseTo(base! - withoutPain!, 6);
    expect(effect("age")).toBeCloseTo(base! - atAge50!, 6);
    const sizes = result.drivers.map((d) => Math.abs(d.effect));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(sizes[0]).toBeGreaterThan(0);
  });

  it("attributes the whole difference to the one group that departs from reference", async () => {
    const p = patient();
    p.static.set([0, 0.5, 0.5, (EXPLANATION_REFERENCE.bmi - 28) / 6, 0, 1]);
    p.sequence.fill(0, NSAID_ORAL * WEEKS, (NSAID_ORAL + 1) * WEEKS);
    const result = await explainRisk(model, p);
    const pain = result.drivers.find((d) => d.key === "diagnosis:knee_pain")!;
    expect(pain.effect).toBeCloseTo(result.probability - result.referenceProbability, 7);
    expect(pain.effect).not.toBe(0);
    for (const d of result.drivers.filter((x) => x !== pain)) expect(d.effect).toBe(0);
    expect(result.drivers.reduce((s, d) => s + d.effect, 0)).toBeCloseTo(result.probability - result.referenceProbability, 7);
  });

  it("equals brute-force occlusion of every group while sending only the groups that change the row", async () => {
    // Age exactly at the reference, so its occluded row is the patient's own row.
    const statics = referenceStatics(EXPLANATION_REFERENCE);
    const p = patient();
    for (const [name, value] of statics.age) p.static[staticIndex(name)] = value;
    const occlude = (edit: (row: ModelInput) => void): ModelInput => {
      const row = { specVersion: p.specVersion, sequence: p.sequence.slice(), static: p.static.slice() };
      edit(row);
      return row;
    };
    const full = [
      ...CHANNELS.map((c, i) => ({ key: `${c.kind}:${c.id}`, row: occlude((r) => r.sequence.fill(0, i * WEEKS, (i + 1) * WEEKS)) })),
      ...(["age", "sex", "bmi"] as const).map((key) => ({
        key,
        row: occlude((r) => statics[key].forEach(([name, value]) => (r.static[staticIndex(name)] = value))),
      })),
    ];
    const [base, ...occluded] = await model.predict([p, ...full.map((f) => f.row)]);
    const bruteForce = new Map(full.map((f, i) => [f.key, base! - occluded[i]!]));

    rowsSent = 0;
    const result = await explainRisk(counting, p);
    // Patient, all-at-reference, knee pain, NSAID, sex, BMI: age needs no row.
    expect(rowsSent).toBe(6);
    expect(result.drivers.map((d) => d.key).sort()).toEqual(["age", "bmi", "diagnosis:knee_pain", "medication:nsaid_oral", "sex"]);
    for (const d of result.drivers) expect(d.effect).toBeCloseTo(bruteForce.get(d.key)!, 7);
    expect(result.drivers.find((d) => d.key === "age")!.effect).toBe(0);
    // Groups left out are exactly those occlusion cannot move.
    const reported = new Set(result.drivers.map((d) => d.key));
    for (const [key, effect] of bruteForce) if (!reported.has(key)) expect(effect).toBe(0);
  });

  it("labels and describes drivers for people", async () => {
    const result = await explainRisk(model, patient());
    const byKey = Object.fromEntries(result.drivers.map((d) => [d.key, d]));
    expect(byKey["age"]!.detail).toBe("Age 67 (compared with 50)");
    expect(byKey["bmi"]!.detail).toBe("BMI 33.0 (compared with BMI 22)");
    expect(byKey["sex"]!.detail).toBe("Female (compared with the average of female and male)");
    // Last knee pain in week 152: 22 to 28 days before the index date.
    expect(byKey["diagnosis:knee_pain"]!.detail).toBe("recorded in 2 of the 156 weeks before the index date (3 years), most recently 3 to 4 weeks before it");
    // 4 weeks of 7 drug-days, the last week 153.
    expect(byKey["medication:nsaid_oral"]!.detail).toBe(
      "covered by orders, dispensings or reports in 4 of the 156 weeks before the index date (3 years; about 28 days in all, each drug of the class counted), most recently 2 to 3 weeks before it",
    );
    expect(byKey["diagnosis:knee_pain"]!.label).toMatch(/knee/i);
    expect(byKey["medication:nsaid_oral"]!.label).toMatch(/NSAID/);
  });

  it("leaves out the patient's row when the caller already has its probability, with the same effects", async () => {
    const p = patient();
    const full = await explainRisk(model, p);
    rowsSent = 0;
    const known = await explainRisk(counting, p, { probability: full.probability });
    // All-at-reference, knee pain, NSAID, age, sex, BMI: no row for the patient.
    expect(rowsSent).toBe(6);
    expect(known.referenceProbability).toBeCloseTo(full.referenceProbability, 7);
    for (const d of known.drivers) expect(d.effect).toBeCloseTo(full.drivers.find((x) => x.key === d.key)!.effect, 7);
    await expect(explainRisk(model, p, { probability: Number.NaN })).rejects.toThrow(RangeError);
  });

  it("does not explain a missing BMI (a caveat, not a driver) and sends no row for it", async () => {
    const p = patient();
    p.static[staticIndex("bmi")] = 0;
    p.static[staticIndex("bmi_missing")] = 1;
    p.demographics = { ...p.demographics, bmi: null };
    rowsSent = 0;
    const result = await explainRisk(counting, p);
    expect(rowsSent).toBe(6);
    expect(result.drivers.map((d) => d.key).sort()).toEqual(["age", "diagnosis:knee_pain", "medication:nsaid_oral", "sex"]);
    // The all-at-reference row keeps BMI missing: the reference is the patient without the
    // explained groups, and BMI is not one of them.
    const allAtReference = { ...p, sequence: new Float32Array(p.sequence.length), static: p.static.slice() };
    for (const key of ["age", "sex"] as const) for (const [name, value] of referenceStatics(EXPLANATION_REFERENCE)[key]) allAtReference.static[staticIndex(name)] = value;
    expect(result.referenceProbability).toBeCloseTo((await model.predict([allAtReference]))[0]!, 7);
  });

  it("checks the patient's row once and refuses a value that is not finite", async () => {
    const p = patient();
    p.sequence[KNEE_PAIN * WEEKS + 3] = Number.NaN;
    await expect(explainRisk(model, p)).rejects.toThrow(/row 0: sequence\[\d+\] is not a finite number/);
    await expect(explainRisk(model, patient(), { reference: { ageYears: 50, bmi: Number.NaN } })).rejects.toThrow(RangeError);
  });

  it("refuses features with the wrong static length", async () => {
    await expect(explainRisk(model, { ...patient(), static: new Float32Array(STATIC_COUNT - 1) })).rejects.toThrow(RangeError);
  });
});
