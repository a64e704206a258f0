import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODEL_DISCLAIMER, assessRisk } from "../../shared/assess-risk.ts";
import { buildFeatures } from "../../shared/features/build-features.ts";
import type { PatientResources } from "../../shared/features/types.ts";
import { type RiskModel, loadRiskModel } from "../../shared/inference/risk-model.ts";
import { riskTier } from "../../shared/risk-tiers.ts";
import { committedModel } from "./inference/onnx-bytes.ts";
import { RUNTIMES } from "./inference/fixtures.ts";

type Resource = PatientResources[number];

const ICD10 = "http://hl7.org/fhir/sid/icd-10-cm";

function condition(id: string, code: string, onset: string): Resource {
  return {
    resourceType: "Condition",
    id,
    subject: { reference: "Patient/p1" },
    code: { coding: [{ system: ICD10, code }] },
    onsetDateTime: onset,
    recordedDate: onset,
  } as Resource;
}

function bmi(date: string, value: number): Resource {
  return {
    resourceType: "Observation",
    id: `bmi-${date}`,
    status: "final",
    subject: { reference: "Patient/p1" },
    code: { coding: [{ system: "http://loinc.org", code: "39156-5" }] },
    effectiveDateTime: date,
    valueQuantity: { value, unit: "kg/m2" },
  } as Resource;
}

function record(birthDate: string, extra: Resource[] = []): Resource[] {
  return [
    { resourceType: "Patient", id: "p1", gender: "female", birthDate } as Resource,
    condition("c1", "M25.561", "2023-06-10"),
    condition("c2", "M25.562", "2023-11-02"),
    bmi("2023-05-01", 31.5),
    ...extra,
  ];
}

describe("assessRisk", () => {
  let model: RiskModel;
  beforeAll(async () => {
    model = await loadRiskModel(RUNTIMES.node, committedModel());
  });
  afterAll(() => model.release());

  it("gives an eligible patient the model's probability, its tier and drivers", async () => {
    const resources = record("1956-03-01");
    const result = await assessRisk(model, resources, "2024-01-15");
    const expected = (await model.predict([buildFeatures(resources, "2024-01-15")]))[0]!;
    expect(result.eligibility.eligible).toBe(true);
    expect(result.probability).toBeCloseTo(expected, 6);
    expect(result.tier).toBe(riskTier(expected));
    expect(result.model.name).toBe("deep-koa");
    expect(result.drivers!.map((d) => d.key)).toContain("diagnosis:knee_pain");
    expect(result.features.demographics).toMatchObject({ ageYears: 67, sex: "female", bmi: 31.5 });
  });

  it("skips the explanation when asked, with the same probability", async () => {
    const resources = record("1956-03-01");
    const full = await assessRisk(model, resources, "2024-01-15");
    const quick = await assessRisk(model, resources, "2024-01-15", { explain: false });
    expect(quick.drivers).toBeUndefined();
    expect(quick.probability).toBeCloseTo(full.probability!, 6);
  });

  it("ignores resources dated on or after the index date", async () => {
    const before = await assessRisk(model, record("1956-03-01"), "2024-01-15");
    const after = await assessRisk(model, record("1956-03-01", [condition("late", "M25.561", "2024-02-01")]), "2024-01-15");
    expect(after.probability).toBe(before.probability);
  });

  it("does not run the model for a patient already diagnosed with knee OA", async () => {
    const result = await assessRisk(model, record("1956-03-01", [condition("oa", "M17.11", "2022-04-01")]), "2024-01-15");
    expect(result.eligibility.eligible).toBe(false);
    expect(result.eligibility.reasons).toContain("already_diagnosed");
    expect(result.probability).toBeUndefined();
    expect(result.tier).toBeUndefined();
  });

  it("does not run the model for a minor, and honours a custom minimum age", async () => {
    const child = await assessRisk(model, record("2010-01-01"), "2024-01-15");
    expect(child.eligibility.reasons).toEqual(["under_min_age"]);
    expect(child.probability).toBeUndefined();
    const adult = await assessRisk(model, record("1990-01-01"), "2024-01-15", { features: { minAgeYears: 40 } });
    expect(adult.eligibility.reasons).toEqual(["under_min_age"]);
  });

  it("shows no age or BMI effect for a 50-year-old with BMI 22 (the explanation reference)", async () => {
    const resources = [...record("1974-01-15"), bmi("2023-12-01", 22)];
    const result = await assessRisk(model, resources, "2024-01-15");
    const effect = (key: string) => result.drivers!.find((d) => d.key === key)!.effect;
    expect(effect("age")).toBe(0);
    expect(effect("bmi")).toBe(0);
    expect(effect("sex")).not.toBe(0);
  });

  it("has a disclaimer that says synthetic and not validated", () => {
    expect(MODEL_DISCLAIMER).toMatch(/synthetic/);
    expect(MODEL_DISCLAIMER).toMatch(/not validated for clinical use/);
  });
});
