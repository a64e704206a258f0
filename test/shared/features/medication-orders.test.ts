import { describe, expect, it } from "vitest";
import { buildFeatures } from "../../../shared/features/build-features.ts";
import type { PatientFeatures } from "../../../shared/features/types.ts";
import { weeksOf } from "../../support/feature-cells.ts";
import { CODES, medication, medicationRequest, medicationStatement, patient } from "../../support/fhir-builders.ts";

// Index 2020-01-01 throughout: the window is 2017-01-04 .. 2019-12-31 (1092 days).
const INDEX = "2020-01-01";
const RXNORM_OID = "urn:oid:2.16.840.1.113883.6.88";
const SNOMED = "http://snomed.info/sct";
const build = (...resources: object[]): PatientFeatures => buildFeatures([patient(), ...(resources as never[])], INDEX);

/** Drug-days of oral NSAIDs in the window (each week's value times 28). */
function nsaidDays(features: PatientFeatures): number {
  return Math.round(Object.values(weeksOf(features, "nsaid_oral")).reduce((sum, value) => sum + value * 28, 0));
}

describe("MedicationRequest fields that change the covered days", () => {
  it("counts nothing for an order with doNotPerform, with a counted reason", () => {
    const features = build({ ...medicationRequest(CODES.naproxenSodium220, "2019-10-01"), doNotPerform: true });
    expect(nsaidDays(features)).toBe(0);
    expect(features.quality.skipped).toEqual({ "MedicationRequest: doNotPerform": 1 });
  });

  it("divides quantity by dose only when their units are comparable", () => {
    const order = (quantity: object, dose: object) => ({
      ...medicationRequest(CODES.naproxenSodium220, "2019-10-01"),
      dispenseRequest: { quantity },
      dosageInstruction: [{ timing: { repeat: { frequency: 2, period: 1, periodUnit: "d" } }, doseAndRate: [{ doseQuantity: dose }] }],
    });
    // 60 (no unit) against 200 mg twice a day: not comparable, the 30-day default.
    expect(nsaidDays(build(order({ value: 60 }, { value: 200, unit: "mg" })))).toBe(30);
    // 60 tablets against 1 tablet twice a day, and unitless against "tablet": 30 days.
    expect(nsaidDays(build(order({ value: 40, unit: "tablet" }, { value: 1, unit: "tablet" })))).toBe(20);
    expect(nsaidDays(build(order({ value: 40 }, { value: 1, unit: "TAB" })))).toBe(20);
    expect(nsaidDays(build(order({ value: 4000, unit: "mg" }, { value: 200, unit: "mg" })))).toBe(10);
  });

  it("reads an expectedSupplyDuration coded in SNOMED CT from its unit text", () => {
    const features = build({
      ...medicationRequest(CODES.naproxenSodium220, "2019-10-01"),
      dispenseRequest: { expectedSupplyDuration: { value: 10, unit: "day", system: SNOMED, code: "258703001" } },
    });
    expect(nsaidDays(features)).toBe(10);
    // A SNOMED code that happens to spell a UCUM unit is not read as one: "a" would be a year.
    const misleading = build({
      ...medicationRequest(CODES.naproxenSodium220, "2019-10-01"),
      dispenseRequest: { expectedSupplyDuration: { value: 2, system: SNOMED, code: "a" } },
    });
    expect(nsaidDays(misleading)).toBe(30);
  });

  it("counts the first fill in full even when the validity period ends sooner", () => {
    // A 30-day fill authored 2019-01-01 whose validity period ends 2019-01-10: 30 days, not 10.
    const short = build({
      ...medicationRequest(CODES.naproxenSodium220, "2019-01-01"),
      dispenseRequest: {
        expectedSupplyDuration: { value: 30, system: "http://unitsofmeasure.org", code: "d" },
        numberOfRepeatsAllowed: 3,
        validityPeriod: { start: "2019-01-01", end: "2019-01-10" },
      },
    });
    expect(nsaidDays(short)).toBe(30);
  });

  it("caps one fill at 365 days", () => {
    // 1000 days of supply, no refills, authored 2018-01-01: 2018-01-01 .. 2018-12-31.
    expect(nsaidDays(build(medicationRequest(CODES.naproxenSodium220, "2018-01-01", { supplyDays: 1000 })))).toBe(365);
  });

  it("caps refills at one year from authoredOn, or at the end of the validity period", () => {
    const many = build(medicationRequest(CODES.naproxenSodium220, "2017-06-01", { supplyDays: 30, repeats: 99 }));
    expect(nsaidDays(many)).toBe(365);
    const valid = build({
      ...medicationRequest(CODES.naproxenSodium220, "2019-01-01", { supplyDays: 30, repeats: 99 }),
      dispenseRequest: {
        expectedSupplyDuration: { value: 30, system: "http://unitsofmeasure.org", code: "d" },
        numberOfRepeatsAllowed: 99,
        validityPeriod: { start: "2019-01-01", end: "2019-03" },
      },
    });
    expect(nsaidDays(valid)).toBe(31 + 28 + 31);
  });

  it("treats a null medicationCodeableConcept as absent and uses the medicationReference", () => {
    const features = build(medication("m1", CODES.naproxenSodium220), {
      ...medicationRequest(CODES.naproxenSodium220, "2019-10-01", { supplyDays: 7, medicationReference: "Medication/m1" }),
      medicationCodeableConcept: null,
    });
    expect(nsaidDays(features)).toBe(7);
    expect(features.quality.skipped).toEqual({});
  });
});

describe("MedicationStatement periods", () => {
  it("runs an active statement without an end to the day before the index date, and no further", () => {
    // Started 2019-12-02 (in week 151 of the window): 30 days to 2019-12-31, the day before the index.
    const features = build(medicationStatement(CODES.naproxenSodium220, { start: "2019-12-02" }, { status: "active" }));
    expect(nsaidDays(features)).toBe(30);
    expect(Object.keys(weeksOf(features, "nsaid_oral")).map(Number)).toEqual([151, 152, 153, 154, 155]);
  });

  it("treats effectivePeriod.end null like an absent end", () => {
    const features = build({ ...medicationStatement(CODES.naproxenSodium220, { start: "2019-10-01" }), effectivePeriod: { start: "2019-10-01", end: null } });
    expect(nsaidDays(features)).toBe(30);
    expect(features.quality.skipped).toEqual({});
  });
});

describe("drug identity", () => {
  it("counts one drug coded with the RxNorm URL and with the RxNorm OID once", () => {
    const oidCode = { system: RXNORM_OID, code: CODES.naproxenSodium220.code };
    const features = build(medicationRequest(CODES.naproxenSodium220, "2019-12-25", { supplyDays: 7 }), medicationRequest(oidCode, "2019-12-25", { supplyDays: 7 }));
    expect(nsaidDays(features)).toBe(7);
  });
});
