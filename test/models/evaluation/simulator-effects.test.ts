import { describe, expect, it } from "vitest";
import type { PatientFeatures } from "../../../shared/features/types.ts";
import { simulatorDirection } from "../../../models/evaluation/simulator-effects.ts";

/** Only the demographics are read; the rest is irrelevant to the truth table. */
const patient = (ageYears: number, sex: "female" | "male", bmi: number | null) =>
  ({ demographics: { ageYears, sex, bmi, historyYears: 3 } }) as PatientFeatures;

describe("simulatorDirection (the simulator's true effects, parameters.ts)", () => {
  it("knows which channels raise the risk and which have no effect", () => {
    const p = patient(65, "female", 31);
    for (const key of ["diagnosis:knee_pain", "diagnosis:knee_injury", "diagnosis:hip_oa", "diagnosis:hand_other_oa", "diagnosis:obesity", "medication:nsaid_oral", "medication:paracetamol"]) {
      expect(simulatorDirection(key, p)).toBe(1);
    }
    for (const key of ["medication:antihypertensive", "diagnosis:hypertension", "diagnosis:back_pain", "diagnosis:cardiovascular", "medication:opioid", "medication:intraarticular_injection"]) {
      expect(simulatorDirection(key, p)).toBe(0);
    }
  });

  it("compares age with the reference age 50 by the incidence bands (per 100,000: women 45 -> 150, 50-59 -> 400, 65 -> 720)", () => {
    expect(simulatorDirection("age", patient(65, "female", 22))).toBe(1);
    expect(simulatorDirection("age", patient(45, "female", 22))).toBe(-1);
    expect(simulatorDirection("age", patient(57, "female", 22))).toBe(0);
  });

  it("gives women a higher and men a lower risk than the average of both from 30, none at 20-29 (10 and 10)", () => {
    expect(simulatorDirection("sex", patient(65, "female", 22))).toBe(1);
    expect(simulatorDirection("sex", patient(65, "male", 22))).toBe(-1);
    expect(simulatorDirection("sex", patient(25, "male", 22))).toBe(0);
  });

  it("compares BMI by WHO category with the reference BMI 22 (healthy): overweight and obese raise it", () => {
    expect(simulatorDirection("bmi", patient(65, "female", 27))).toBe(1);
    expect(simulatorDirection("bmi", patient(65, "female", 35))).toBe(1);
    expect(simulatorDirection("bmi", patient(65, "female", 19))).toBe(0);
    expect(simulatorDirection("bmi", patient(65, "female", null))).toBe(0);
  });
});
