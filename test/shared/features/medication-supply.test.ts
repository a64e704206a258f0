import { describe, expect, it } from "vitest";
import { DEFAULT_SUPPLY_DAYS, durationDays, fillDays, MAX_FILL_DAYS, quantityDays, refills } from "../../../shared/features/medication-supply.ts";

const dosage = (dose: object, repeat: object) => [{ doseAndRate: [{ doseQuantity: dose }], timing: { repeat } }];

describe("durationDays", () => {
  it("converts UCUM codes and plain unit words to days", () => {
    expect(durationDays({ value: 2, code: "wk" })).toBe(14);
    expect(durationDays({ value: 3, unit: "months" })).toBe(90);
    expect(durationDays({ value: 1, code: "a" })).toBe(365);
    expect(durationDays({ value: 36, code: "h" })).toBe(1.5);
    expect(durationDays({ value: 28 })).toBe(28);
    expect(durationDays({ value: 10, unit: "Days" })).toBe(10);
  });

  it("refuses unknown units and non-positive or non-numeric values", () => {
    expect(durationDays({ value: 2, code: "fortnight" })).toBeUndefined();
    expect(durationDays({ value: 0, code: "d" })).toBeUndefined();
    expect(durationDays({ value: "30", code: "d" })).toBeUndefined();
    expect(durationDays(undefined)).toBeUndefined();
  });
});

describe("quantityDays", () => {
  it("divides the quantity by the daily dose of the first dosage instruction", () => {
    expect(quantityDays({ value: 60 }, dosage({ value: 1 }, { frequency: 2, period: 1, periodUnit: "d" }))).toBe(30);
    expect(quantityDays({ value: 8 }, dosage({ value: 1 }, { frequency: 1, period: 1, periodUnit: "wk" }))).toBe(56);
    expect(quantityDays({ value: 90, unit: "mg" }, dosage({ value: 10, unit: "mg" }, { frequency: 3, period: 1, periodUnit: "d" }))).toBe(3);
    expect(quantityDays({ value: 30 }, dosage({ value: 1 }, { period: 12, periodUnit: "h" }))).toBe(15);
  });

  it("gives up on differing units, missing timing or a zero dose", () => {
    expect(quantityDays({ value: 90, unit: "mL" }, dosage({ value: 10, unit: "mg" }, { frequency: 1, period: 1, periodUnit: "d" }))).toBeUndefined();
    expect(quantityDays({ value: 30 }, [{ doseAndRate: [{ doseQuantity: { value: 1 } }] }])).toBeUndefined();
    expect(quantityDays({ value: 30 }, dosage({ value: 0 }, { frequency: 1, period: 1, periodUnit: "d" }))).toBeUndefined();
    expect(quantityDays({ value: 30 }, dosage({ value: 1 }, { frequency: 1, period: 1, periodUnit: "toString" }))).toBeUndefined();
  });
});

describe("fillDays and refills", () => {
  it("rounds up, defaults to 30 days and caps a fill at 365 days", () => {
    expect(fillDays(undefined)).toBe(DEFAULT_SUPPLY_DAYS);
    expect(fillDays(14.2)).toBe(15);
    expect(fillDays(30)).toBe(30);
    expect(fillDays(0.25)).toBe(1);
    expect(fillDays(1000)).toBe(MAX_FILL_DAYS);
  });

  it("reads numberOfRepeatsAllowed, 0 when absent or malformed", () => {
    expect(refills({ numberOfRepeatsAllowed: 3 })).toBe(3);
    expect(refills({ numberOfRepeatsAllowed: -1 })).toBe(0);
    expect(refills({ numberOfRepeatsAllowed: "2" })).toBe(0);
    expect(refills(undefined)).toBe(0);
  });
});
