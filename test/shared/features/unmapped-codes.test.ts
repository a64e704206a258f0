/**
 * quality.unmappedCodes lists the codes the model could not use: the codings of a concept none of
 * whose codings matched a value set. A local coding beside a SNOMED CT or RxNorm coding the
 * features did use is a translation, not a code the model missed.
 */
import type { Coding, Encounter, MedicationRequest, Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { buildFeatures } from "../../../shared/features/build-features.ts";
import { f32, weeksOf } from "../../support/feature-cells.ts";
import { CODES, concept, condition, encounter, medicationRequest, patient } from "../../support/fhir-builders.ts";

// Index 2024-01-01: week 155 is 2023-12-25..31.
const INDEX = "2024-01-01";
const LOCAL = "http://example.org/local";
const local = (code: string): Coding => ({ system: LOCAL, code });
const build = (...resources: Resource[]) => buildFeatures([patient(), ...resources], INDEX);

/** A 7-day naproxen 500 MG order coded as `codings`, from 2023-12-25. */
const naproxenOrder = (...codings: Coding[]): MedicationRequest => ({
  ...medicationRequest(CODES.naproxen500, "2023-12-25", { supplyDays: 7 }),
  medicationCodeableConcept: concept(...codings),
});

/** A visit on 2023-12-27 whose reasons are these concepts. */
const visitFor = (...reasons: Coding[][]): Encounter => ({
  ...encounter("2023-12-27"),
  reasonCode: reasons.map((codings) => concept(...codings)),
});

describe("unmapped codes", () => {
  it("leaves out the local coding of a Condition used through its SNOMED CT coding", () => {
    const features = build(condition([CODES.diabetes, local("DM2")], { onsetDateTime: "2023-12-26" }));
    expect(features.quality.unmappedCodes).toEqual({});
    expect(weeksOf(features, "diabetes")).toEqual({ 155: f32(1 / 7) });
  });

  it("lists every coding of a Condition none of whose codings matched", () => {
    const features = build(condition([local("XYZ"), { system: "http://snomed.info/sct", code: "185349003" }], { onsetDateTime: "2023-12-26" }));
    expect(features.quality.unmappedCodes).toEqual({ [`${LOCAL}|XYZ`]: 1, "http://snomed.info/sct|185349003": 1 });
  });

  it("leaves out the local coding of a knee OA Condition: it was used, for the outcome", () => {
    const features = build(condition([CODES.kneeOaSnomed, local("KOA")], { onsetDateTime: "2023-06-01" }));
    expect(features.eligibility.reasons).toEqual(["already_diagnosed"]);
    expect(features.quality.unmappedCodes).toEqual({});
  });

  it("leaves out the local coding of a medication used through its RxNorm coding, lists one not used", () => {
    const features = build(naproxenOrder(CODES.naproxen500, local("NAP500")), naproxenOrder(local("HERBAL-1")));
    expect(features.quality.unmappedCodes).toEqual({ [`${LOCAL}|HERBAL-1`]: 1 });
    expect(weeksOf(features, "nsaid_oral")).toEqual({ 155: f32(7 / 28) });
  });

  it("judges each reason of a visit on its own: a concept is what was or was not used", () => {
    const features = build(visitFor([CODES.diabetes, local("DM2")], [local("FOLLOW-UP")]));
    expect(features.quality.unmappedCodes).toEqual({ [`${LOCAL}|FOLLOW-UP`]: 1 });
  });

  it("changes no feature value: the same record without its local codings gives the same features", () => {
    const withLocal = build(
      condition([CODES.diabetes, local("DM2")], { onsetDateTime: "2023-12-26" }),
      condition([local("XYZ")], { onsetDateTime: "2023-12-20" }),
      visitFor([CODES.hypertension, local("HTN")], [local("FOLLOW-UP")]),
      naproxenOrder(CODES.naproxen500, local("NAP500")),
      naproxenOrder(local("HERBAL-1")),
    );
    // The same resources, with the local codings beside standard ones taken out.
    const standardOnly = build(
      condition([CODES.diabetes], { onsetDateTime: "2023-12-26" }),
      condition([local("XYZ")], { onsetDateTime: "2023-12-20" }),
      visitFor([CODES.hypertension], [local("FOLLOW-UP")]),
      naproxenOrder(CODES.naproxen500),
      naproxenOrder(local("HERBAL-1")),
    );
    expect(withLocal.sequence).toEqual(standardOnly.sequence);
    expect(withLocal.static).toEqual(standardOnly.static);
    expect(withLocal.eligibility).toEqual(standardOnly.eligibility);
    expect(withLocal.quality).toEqual(standardOnly.quality);
    expect(withLocal.quality.unmappedCodes).toEqual({ [`${LOCAL}|XYZ`]: 1, [`${LOCAL}|FOLLOW-UP`]: 1, [`${LOCAL}|HERBAL-1`]: 1 });
  });
});
