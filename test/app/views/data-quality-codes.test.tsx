// @vitest-environment jsdom
/**
 * Data quality names each code the model did not recognise with the record's own display, so a
 * clinician reads "Seasonal allergy" rather than a bare system|code. The codes come from the
 * shared feature builder's quality report; the displays from the same record.
 */
import { cleanup, render, screen } from "@testing-library/react";
import type { Condition, Encounter, Resource } from "fhir/r4";
import { afterEach, describe, expect, it } from "vitest";
import { codeDisplays } from "../../../app/data/code-displays.ts";
import { MAX_DISPLAY_CHARS } from "../../../shared/clipped-text.ts";
import type { LoadedRecord } from "../../../app/data/load-record.ts";
import { RECORD_QUERIES } from "../../../app/data/record-queries.ts";
import { DataQuality } from "../../../app/views/DataQuality.tsx";
import { buildFeatures } from "../../../shared/features/build-features.ts";
import { condition as conditionOf, patient as patientOf } from "../../support/fhir-builders.ts";

afterEach(cleanup);

const SCT = "http://snomed.info/sct";
const patient = patientOf({ birthDate: "1960-01-01" });

/** A Condition of the patient with one coding (none of these codes is in the model's value sets). */
const condition = (id: string, code: string, display?: string, system = SCT): Condition =>
  conditionOf({ system, code, ...(display !== undefined && { display }) }, { id, recordedDate: "2023-05-01", onsetDateTime: "2023-05-01" });

/** All resources in the conditions query; every other query loaded and empty. */
function record(resources: Resource[]): LoadedRecord {
  return {
    patientId: "p1",
    queries: RECORD_QUERIES.map((query) => ({
      query,
      outcome: { status: "loaded", resources: query.resourceType === "Condition" ? resources : query.resourceType === "Patient" ? [patient] : [], dropped: {}, notModelInput: 0 },
    })),
  };
}

const codeLines = () => [...screen.getByTestId("data-quality").querySelectorAll("ul.codes li")].map((li) => li.textContent);

describe("DataQuality: codes not recognised", () => {
  it("shows each code with the display the record gives it, and the bare code when it gives none", () => {
    const resources = [
      condition("c1", "300910009", "Seasonal allergy"),
      condition("c2", "300910009", "Allergy, seasonal (a second display for the same code)"),
      condition("c3", "X-LOCAL-7", undefined, "urn:oid:1.2.3"),
    ];
    const features = buildFeatures([patient, ...resources], "2024-01-01");
    render(<DataQuality record={record(resources)} features={features} />);
    expect(codeLines()).toEqual([
      `Seasonal allergy ${SCT}|300910009 (2x)`,
      "urn:oid:1.2.3|X-LOCAL-7 (1x)",
    ]);
  });
});

describe("codeDisplays", () => {
  it("finds codings anywhere in a resource (an Encounter's reason), first display in document order", () => {
    const encounter = {
      resourceType: "Encounter",
      id: "e1",
      reasonCode: [{ coding: [{ system: SCT, code: "1", display: "first" }] }, { coding: [{ system: SCT, code: "1", display: "second" }] }],
    } as Encounter;
    expect(codeDisplays([encounter], new Set([`${SCT}|1`]))).toEqual(new Map([[`${SCT}|1`, "first"]]));
  });

  it("cuts a long display to its limit and ignores a blank one or one that is not text", () => {
    const long = "a".repeat(10_000);
    const resources = [condition("c1", "1", "   "), condition("c2", "1", { div: "x" } as never), condition("c3", "1", long)];
    const shown = codeDisplays(resources, new Set([`${SCT}|1`])).get(`${SCT}|1`);
    expect(shown).toBe(`${"a".repeat(MAX_DISPLAY_CHARS)}…`);
  });

  it("walks a record nested far deeper than the call stack allows", () => {
    let nested: unknown = { system: SCT, code: "deep", display: "found" };
    for (let i = 0; i < 200_000; i++) nested = { extension: [nested] };
    expect(codeDisplays([{ resourceType: "Basic", nested }], new Set([`${SCT}|deep`])).get(`${SCT}|deep`)).toBe("found");
  });
});
