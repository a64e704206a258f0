import { describe, expect, it } from "vitest";
import { buildFeatures } from "../../../shared/features/build-features.ts";
import { activeChannels, f32, weeksOf } from "../../support/feature-cells.ts";
import { CODES, encounter, medicationRequest, patient } from "../../support/fhir-builders.ts";

const INDEX = "2024-01-01";

describe("malformed resources are skipped with a counted reason, never a crash", () => {
  it("counts each kind of damage", () => {
    const garbage: unknown[] = [
      null,
      42,
      "Condition",
      [],
      { id: "no-type" },
      { resourceType: "Condition", onsetDateTime: "2023-12-26" },
      { resourceType: "Condition", code: { coding: "239873007" }, onsetDateTime: "2023-12-26" },
      { resourceType: "Condition", code: { coding: [null, { code: 44054006 }, { system: "http://snomed.info/sct" }] }, onsetDateTime: "2023-12-26" },
      { resourceType: "Condition", code: { coding: [CODES.diabetes] }, onsetDateTime: 20231226 },
      { resourceType: "Encounter", period: "2023-12-26", reasonCode: "diabetes" },
      { resourceType: "Encounter", period: { start: "2023-12-26" }, reasonCode: [null, 7, { coding: {} }], diagnosis: [null, { condition: 5 }] },
      { resourceType: "MedicationRequest", authoredOn: "2023-12-26" },
      { resourceType: "MedicationRequest", medicationCodeableConcept: { coding: [CODES.naproxen500] } },
      { resourceType: "MedicationRequest", medicationCodeableConcept: { text: "naproxen" }, authoredOn: "2023-12-26" },
      {
        resourceType: "MedicationRequest",
        medicationCodeableConcept: { coding: [CODES.naproxen500] },
        authoredOn: "2023-12-25",
        dispenseRequest: { expectedSupplyDuration: { value: "7", unit: "constructor" }, numberOfRepeatsAllowed: -3, quantity: { value: 10 } },
        dosageInstruction: [{ doseAndRate: [{ doseQuantity: { value: 0 } }], timing: { repeat: { period: 1, periodUnit: "toString" } } }],
      },
      { resourceType: "MedicationDispense", medicationReference: { reference: 12 }, whenHandedOver: "2023-12-26" },
      { resourceType: "MedicationStatement", medicationCodeableConcept: { coding: [CODES.naproxen500] }, effectivePeriod: { end: "2023-12-26" } },
      { resourceType: "Observation", code: { coding: [{ system: "http://loinc.org", code: "39156-5" }] }, effectiveDateTime: "2023-12-01", valueQuantity: { value: "31" } },
      { resourceType: "Observation", code: { coding: [{ system: "http://loinc.org", code: "39156-5" }] }, valueQuantity: { value: 31 } },
      { resourceType: "Patient", id: "p1", gender: 3, birthDate: ["1960"] },
      { resourceType: "Procedure", id: "x1" },
    ];
    const features = buildFeatures(garbage as never[], INDEX);
    expect(features.quality.skipped).toEqual({
      "(not a resource): no resourceType": 5,
      "Condition: no code": 3,
      "Condition: invalid date": 1,
      "Encounter: no usable date": 1,
      "MedicationRequest: no medication": 1,
      "MedicationRequest: no usable date": 1,
      "MedicationRequest: no medication code": 1,
      "MedicationDispense: unresolved medication reference": 1,
      "MedicationStatement: no usable date": 1,
      "Observation: no numeric value": 1,
      "Observation: no usable date": 1,
      "Patient: invalid birthDate": 1,
      "Procedure: resource type not used": 1,
    });
    expect(features.demographics.sex).toBe("unknown");
    // The one usable prescription: an unreadable supply falls back to the 30-day default, cut at the index.
    expect(activeChannels(features)).toEqual(["nsaid_oral"]);
    expect(weeksOf(features, "nsaid_oral")).toEqual({ 155: f32(7 / 28) });
    expect(Array.from(features.sequence).every(Number.isFinite)).toBe(true);
    expect(Array.from(features.static).every(Number.isFinite)).toBe(true);
  });

  it("keeps the first Patient when a record holds two", () => {
    const features = buildFeatures(
      [patient({ id: "a", gender: "male", birthDate: "1950-01-01" }), patient({ id: "b", gender: "female", birthDate: "1990-01-01" })],
      INDEX,
    );
    expect(features.demographics).toMatchObject({ sex: "male", ageYears: 74 });
    expect(features.quality.skipped).toEqual({ "Patient: more than one Patient": 1 });
  });

  it("keeps the same Patient whatever the order of the record's resources", () => {
    const older = patient({ id: "a", gender: "male", birthDate: "1950-01-01" });
    const younger = patient({ id: "b", gender: "female", birthDate: "1990-01-01" });
    const unnamed = { resourceType: "Patient", gender: "other", birthDate: "1970-01-01" };
    for (const order of [[older, younger, unnamed], [younger, unnamed, older], [unnamed, younger, older]]) {
      const features = buildFeatures(order as never[], INDEX);
      expect(features.demographics).toMatchObject({ sex: "male", ageYears: 74 });
      expect(features.quality.skipped).toEqual({ "Patient: more than one Patient": 2 });
    }
  });

  it("counts resources that gave evidence", () => {
    const features = buildFeatures(
      [patient(), encounter("2023-12-26", { reasons: [CODES.diabetes] }), encounter("2023-12-27"), medicationRequest(CODES.naproxen500, "2023-12-20")],
      INDEX,
    );
    expect(features.quality.resourcesUsed).toBe(3);
  });
});
