import { describe, expect, it } from "vitest";
import { selectDemoPatients, type Candidate } from "../../../sandbox/demo/select-demo-patients.ts";

const pool: Candidate[] = [
  { id: "a", tags: ["low risk", "MedicationRequest"] },
  { id: "b", tags: ["low risk"] },
  { id: "c", tags: ["high risk", "MedicationStatement"] },
  { id: "d", tags: ["low risk"] },
  { id: "e", tags: ["high risk", "no BMI"] },
  { id: "f", tags: ["already diagnosed"] },
];

describe("selectDemoPatients", () => {
  it("meets each quota in pool order, fills the rest, and keeps pool order", () => {
    const selection = selectDemoPatients(pool, 4, {
      "high risk": 2, "moderate risk": 0, "low risk": 1, "already diagnosed": 1,
      "too young": 0, "knee replacement": 0, "no BMI": 1, "short history": 0, MedicationRequest: 1, MedicationStatement: 1, "no recent record": 0, "imaging KL 2+": 0,
    });
    expect(selection.ids).toEqual(["a", "c", "e", "f"]);
    expect(selection.shortfalls).toEqual([]);
  });

  it("reports the tags it could not fill", () => {
    const selection = selectDemoPatients(pool, 10, {
      "high risk": 3, "moderate risk": 1, "low risk": 0, "already diagnosed": 0,
      "too young": 0, "knee replacement": 0, "no BMI": 0, "short history": 0, MedicationRequest: 0, MedicationStatement: 0, "no recent record": 0, "imaging KL 2+": 0,
    });
    expect(selection.shortfalls).toEqual([
      { tag: "high risk", found: 2, wanted: 3 },
      { tag: "moderate risk", found: 0, wanted: 1 },
    ]);
    expect(selection.ids).toEqual(["a", "b", "c", "d", "e", "f"]);
  });
});
