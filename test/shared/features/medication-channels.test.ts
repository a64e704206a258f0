import { describe, expect, it } from "vitest";
import { buildFeatures } from "../../../shared/features/build-features.ts";
import { activeChannels, f32, weeksOf } from "../../support/feature-cells.ts";
import {
  CODES,
  medication,
  medicationDispense,
  medicationRequest,
  medicationStatement,
  patient,
} from "../../support/fhir-builders.ts";

// Index 2024-01-01: week 155 is 2023-12-25..31; week 151 starts 2023-11-27; week 147 starts 2023-10-30.
const INDEX = "2024-01-01";
const build = (...resources: object[]) => buildFeatures([patient(), ...(resources as never[])], INDEX);
const QUARTER = f32(7 / 28);

describe("MedicationRequest coverage", () => {
  it("fills 4 weeks at 7/28 for one 28-day NSAID prescription", () => {
    const features = build(medicationRequest(CODES.naproxenSodium220, "2023-11-27", { supplyDays: 28 }));
    expect(weeksOf(features, "nsaid_oral")).toEqual({ 151: QUARTER, 152: QUARTER, 153: QUARTER, 154: QUARTER });
    expect(activeChannels(features)).toEqual(["nsaid_oral"]);
  });

  it("adds concurrent drugs of a class up to the cap of 1", () => {
    const two = build(
      medicationRequest(CODES.naproxenSodium220, "2023-12-25", { supplyDays: 7 }),
      medicationRequest(CODES.ibuprofen200, "2023-12-25", { supplyDays: 7 }),
    );
    expect(weeksOf(two, "nsaid_oral")).toEqual({ 155: f32(14 / 28) });
    const five = build(
      ...[CODES.naproxenSodium220, CODES.ibuprofen200, CODES.diclofenac, CODES.celecoxib, CODES.naproxen500].map((code) =>
        medicationRequest(code, "2023-12-25", { supplyDays: 7 }),
      ),
    );
    expect(weeksOf(five, "nsaid_oral")).toEqual({ 155: 1 });
  });

  it("counts two strengths of one ingredient taken over the same days as two drugs (models/FEATURES.md)", () => {
    // naproxen sodium 220 MG and naproxen 500 MG: one ingredient, two product codes.
    const features = build(
      medicationRequest(CODES.naproxenSodium220, "2023-12-25", { supplyDays: 7 }),
      medicationRequest(CODES.naproxen500, "2023-12-25", { supplyDays: 7 }),
    );
    expect(weeksOf(features, "nsaid_oral")).toEqual({ 155: f32(14 / 28) });
  });

  it("counts overlapping orders of the same drug once per day", () => {
    const features = build(
      medicationRequest(CODES.naproxenSodium220, "2023-12-18", { supplyDays: 14 }),
      medicationRequest(CODES.naproxenSodium220, "2023-12-25", { supplyDays: 7 }),
    );
    expect(weeksOf(features, "nsaid_oral")).toEqual({ 154: QUARTER, 155: QUARTER });
  });

  it("multiplies one fill by 1 + numberOfRepeatsAllowed", () => {
    const features = build(medicationRequest(CODES.naproxenSodium220, "2023-11-27", { supplyDays: 7, repeats: 2 }));
    expect(weeksOf(features, "nsaid_oral")).toEqual({ 151: QUARTER, 152: QUARTER, 153: QUARTER });
  });

  it("derives the supply from quantity / daily dose", () => {
    const features = build(medicationRequest(CODES.naproxenSodium220, "2023-12-11", { quantity: 20, dosePerIntake: 1, intakesPerDay: 2 }));
    expect(weeksOf(features, "nsaid_oral")).toEqual({ 153: QUARTER, 154: f32(3 / 28) });
  });

  it("assumes 30 days when nothing gives the supply", () => {
    const features = build(medicationRequest(CODES.naproxenSodium220, "2023-10-30"));
    expect(weeksOf(features, "nsaid_oral")).toEqual({ 147: QUARTER, 148: QUARTER, 149: QUARTER, 150: QUARTER, 151: f32(2 / 28) });
  });

  it("counts a stopped order as ordered and ignores cancelled, draft and entered-in-error", () => {
    const features = build(
      medicationRequest(CODES.naproxenSodium220, "2023-11-27", { supplyDays: 7, repeats: 1, status: "stopped" }),
      medicationRequest(CODES.acetaminophen325, "2023-11-27", { supplyDays: 7, status: "cancelled" }),
      medicationRequest(CODES.acetaminophen325, "2023-11-27", { supplyDays: 7, status: "draft" }),
      medicationRequest(CODES.acetaminophen325, "2023-11-27", { supplyDays: 7, status: "entered-in-error" }),
    );
    expect(activeChannels(features)).toEqual(["nsaid_oral"]);
    expect(weeksOf(features, "nsaid_oral")).toEqual({ 151: QUARTER, 152: QUARTER });
    expect(features.quality.skipped).toEqual({
      "MedicationRequest: status cancelled": 1,
      "MedicationRequest: status draft": 1,
      "MedicationRequest: status entered-in-error": 1,
    });
  });

  it("cuts coverage at the day before the index date and ignores orders from the index date on", () => {
    const features = build(
      medicationRequest(CODES.naproxenSodium220, "2023-12-29", { supplyDays: 90 }),
      medicationRequest(CODES.acetaminophen325, "2024-01-01", { supplyDays: 90 }),
    );
    expect(weeksOf(features, "nsaid_oral")).toEqual({ 155: f32(3 / 28) });
    expect(activeChannels(features)).toEqual(["nsaid_oral"]);
    expect(features.quality.ignoredOnOrAfterIndex).toBe(1);
  });

  it("puts a combination product in each of its classes", () => {
    const features = build(medicationRequest(CODES.oxycodoneAcetaminophen, "2023-12-25", { supplyDays: 7 }));
    expect(activeChannels(features)).toEqual(["paracetamol", "opioid"]);
    expect(weeksOf(features, "opioid")).toEqual({ 155: QUARTER });
  });
});

describe("medication codes from a Medication resource", () => {
  it("resolves Medication/id, urn:uuid:id and #contained references", () => {
    const contained = {
      ...medicationRequest(CODES.naproxenSodium220, "2023-12-25", { supplyDays: 7, medicationReference: "#med" }),
      contained: [medication("med", CODES.naproxenSodium220)],
    };
    const features = build(
      medication("m1", CODES.acetaminophen325),
      medication("0b6a1c62-5d0e-4b9a-9a9b-2a1f0f3c4d5e", CODES.oxycodoneAcetaminophen),
      medicationRequest(CODES.naproxen500, "2023-12-25", { supplyDays: 7, medicationReference: "Medication/m1" }),
      medicationRequest(CODES.naproxen500, "2023-12-18", { supplyDays: 7, medicationReference: "urn:uuid:0b6a1c62-5d0e-4b9a-9a9b-2a1f0f3c4d5e" }),
      contained,
    );
    expect(weeksOf(features, "paracetamol")).toEqual({ 154: QUARTER, 155: QUARTER });
    expect(weeksOf(features, "opioid")).toEqual({ 154: QUARTER });
    expect(weeksOf(features, "nsaid_oral")).toEqual({ 155: QUARTER });
  });

  it("counts an unresolved reference and a Medication without codes", () => {
    const features = build(
      { resourceType: "Medication", id: "blank" },
      medicationRequest(CODES.naproxen500, "2023-12-25", { medicationReference: "Medication/nowhere" }),
      medicationRequest(CODES.naproxen500, "2023-12-25", { medicationReference: "Medication/blank" }),
      medicationRequest(CODES.naproxen500, "2023-12-25", { medicationReference: "#absent" }),
    );
    expect(activeChannels(features)).toEqual([]);
    expect(features.quality.skipped).toEqual({
      "MedicationRequest: unresolved medication reference": 2,
      "MedicationRequest: no medication code": 1,
    });
  });
});

describe("MedicationStatement coverage", () => {
  it("covers effectivePeriod start to end inclusive", () => {
    const features = build(medicationStatement(CODES.naproxenIngredient, { start: "2023-12-18", end: "2023-12-27" }));
    expect(weeksOf(features, "nsaid_oral")).toEqual({ 154: QUARTER, 155: f32(3 / 28) });
  });

  it("runs an open active period to the day before the index date, an open completed one for 30 days", () => {
    const active = build(medicationStatement(CODES.naproxenIngredient, { start: "2023-12-11" }, { status: "active" }));
    expect(weeksOf(active, "nsaid_oral")).toEqual({ 153: QUARTER, 154: QUARTER, 155: QUARTER });
    const completed = build(medicationStatement(CODES.naproxenIngredient, { start: "2023-10-30" }, { status: "completed" }));
    expect(weeksOf(completed, "nsaid_oral")).toEqual({ 147: QUARTER, 148: QUARTER, 149: QUARTER, 150: QUARTER, 151: f32(2 / 28) });
  });

  it("counts effectiveDateTime as one day", () => {
    const features = build(medicationStatement(CODES.naproxenIngredient, "2023-12-27T10:00:00+01:00"));
    expect(weeksOf(features, "nsaid_oral")).toEqual({ 155: f32(1 / 28) });
  });

  it("ignores not-taken, intended, entered-in-error and statements asserted on or after the index date", () => {
    const features = build(
      medicationStatement(CODES.naproxenIngredient, "2023-12-27", { status: "not-taken" }),
      medicationStatement(CODES.naproxenIngredient, "2023-12-27", { status: "intended" }),
      medicationStatement(CODES.naproxenIngredient, "2023-12-27", { status: "entered-in-error" }),
      medicationStatement(CODES.naproxenIngredient, { start: "2023-06-01" }, { status: "active", dateAsserted: "2024-02-01" }),
    );
    expect(activeChannels(features)).toEqual([]);
    expect(features.quality.ignoredOnOrAfterIndex).toBe(1);
    expect(features.quality.skipped).toEqual({
      "MedicationStatement: status not-taken": 1,
      "MedicationStatement: status intended": 1,
      "MedicationStatement: status entered-in-error": 1,
    });
  });

  it("skips a period that ends before it starts", () => {
    const features = build(medicationStatement(CODES.naproxenIngredient, { start: "2023-12-27", end: "2023-12-20" }));
    expect(activeChannels(features)).toEqual([]);
    expect(features.quality.skipped).toEqual({ "MedicationStatement: period ends before it starts": 1 });
  });
});

describe("MedicationDispense coverage", () => {
  it("covers whenHandedOver for daysSupply", () => {
    const features = build(medicationDispense(CODES.celecoxib, "2023-12-18", { daysSupply: 10 }));
    expect(weeksOf(features, "nsaid_oral")).toEqual({ 154: QUARTER, 155: f32(3 / 28) });
  });

  it("merges a dispense with the order it fills (same drug, same days)", () => {
    const features = build(
      medicationRequest(CODES.celecoxib, "2023-12-18", { supplyDays: 14 }),
      medicationDispense(CODES.celecoxib, "2023-12-18", { daysSupply: 14 }),
    );
    expect(weeksOf(features, "nsaid_oral")).toEqual({ 154: QUARTER, 155: QUARTER });
  });

  it("ignores cancelled and declined dispenses", () => {
    const features = build(
      medicationDispense(CODES.celecoxib, "2023-12-18", { status: "cancelled" }),
      medicationDispense(CODES.celecoxib, "2023-12-18", { status: "declined" }),
    );
    expect(activeChannels(features)).toEqual([]);
  });
});

describe("fallback dates of orders and dispenses", () => {
  it("starts an order without authoredOn at dispenseRequest.validityPeriod.start, a dispense at whenPrepared", () => {
    const request = medicationRequest(CODES.naproxenSodium220, "2000-01-01", { supplyDays: 7 });
    delete request.authoredOn;
    request.dispenseRequest = { ...request.dispenseRequest, validityPeriod: { start: "2023-12-18" } };
    const dispense = medicationDispense(CODES.acetaminophen325, "2000-01-01", { daysSupply: 7 });
    delete dispense.whenHandedOver;
    dispense.whenPrepared = "2023-12-25";
    const features = build(request, dispense);
    expect(weeksOf(features, "nsaid_oral")).toEqual({ 154: QUARTER });
    expect(weeksOf(features, "paracetamol")).toEqual({ 155: QUARTER });
  });
});
