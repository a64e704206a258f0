// @vitest-environment jsdom
/** A record line names what the record holds in the record's own words. */
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { RecordRef } from "../../../app/risk/driver-records.ts";
import { RecordList } from "../../../app/views/RecordList.tsx";

afterEach(cleanup);

const RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";

const lines = (refs: RecordRef[]) => {
  render(<RecordList refs={refs} />);
  return screen.getAllByRole("listitem").map((li) => li.textContent);
};

describe("RecordList", () => {
  it("shows the drug as the EHR names it when the matched coding has no display", () => {
    const ref: RecordRef = {
      resourceType: "MedicationRequest",
      id: "m1",
      date: "2024-03-01",
      codings: [{ system: RXNORM, code: "5640" }],
      text: "ibuprofen 600 MG Oral Tablet",
    };
    expect(lines([ref])).toEqual(["2024-03-01 MedicationRequest: ibuprofen 600 MG Oral Tablet"]);
  });

  it("else a coding's display, else the code with its system's short name", () => {
    const refs: RecordRef[] = [
      { resourceType: "Condition", id: "c1", date: "2023-01-05", codings: [{ system: "http://hl7.org/fhir/sid/icd-10-cm", code: "E11.9" }, { system: "http://snomed.info/sct", code: "44054006", display: "Diabetes mellitus type 2" }] },
      { resourceType: "MedicationStatement", id: "m2", date: "2022-11-30", codings: [{ system: RXNORM, code: "5640" }] },
      { resourceType: "Observation", id: "o1", date: "2022-10-01", codings: [{ system: "http://loinc.org", code: "39156-5" }], value: "31.2 kg/m2" },
    ];
    expect(lines(refs)).toEqual([
      "2023-01-05 Condition: Diabetes mellitus type 2",
      "2022-11-30 MedicationStatement: RxNorm 5640",
      "2022-10-01 Observation: LOINC 39156-5 = 31.2 kg/m2",
    ]);
  });

  it("shows the Patient data the model read, not \"(no code)\" nor \"undated\"", () => {
    const refs: RecordRef[] = [
      { resourceType: "Patient", id: "p1", date: null, codings: [], text: "birth date", value: "1958-03-02" },
      { resourceType: "Patient", id: "p1", date: null, codings: [], text: "administrative gender", value: "female" },
    ];
    expect(lines(refs)).toEqual(["Patient: birth date = 1958-03-02", "Patient: administrative gender = female"]);
  });

  it("shows the date the record writes, and names the UTC day the model counts it on where that is another", () => {
    const refs: RecordRef[] = [
      { resourceType: "Encounter", id: "e1", date: "2024-03-02", writtenDate: "2024-03-01", codings: [], text: "Knee pain" },
      { resourceType: "Condition", id: "c1", date: "2023-01-01", writtenDate: "2023", codings: [], text: "Diabetes" },
      { resourceType: "Encounter", id: "e2", date: "2024-02-01", codings: [], text: "Knee pain" },
    ];
    expect(lines(refs)).toEqual([
      "2024-03-01 Encounter: Knee pain (counted as 2024-03-02 UTC by the model)",
      "2023 Condition: Diabetes (counted as 2023-01-01 UTC by the model)",
      "2024-02-01 Encounter: Knee pain",
    ]);
    // Both dates are <time> elements, each with its own value.
    expect(screen.getAllByRole("listitem")[0]!.querySelectorAll("time")).toHaveLength(2);
    expect([...screen.getAllByRole("listitem")[0]!.querySelectorAll("time")].map((t) => t.getAttribute("datetime"))).toEqual(["2024-03-01", "2024-03-02"]);
  });

  it("still says when another record has no date or no code", () => {
    expect(lines([{ resourceType: "Condition", id: "c2", date: null, codings: [] }])).toEqual(["undated Condition: (no code)"]);
  });
});
