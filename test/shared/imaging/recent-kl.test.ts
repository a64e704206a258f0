import type { Observation, Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { isKlGradeObservation, recentKneeOaGrade } from "../../../shared/imaging/recent-kl.ts";
import { LOINC, observation } from "../../support/fhir-builders.ts";
import { exampleResources, FINDINGS } from "../../support/imaging-examples.ts";

/** The KL Observations of one report graded (images taken) on `day`. */
function graded(knees: { side: "left" | "right"; grade: number }[], day: string, idPrefix = "kl"): Resource[] {
  return exampleResources({ kind: "kl", knees }, { idPrefix })
    .filter((r): r is Observation => r.resourceType === "Observation")
    .map((o) => ({ ...o, effectiveDateTime: `${day}T09:00:00Z` }));
}

describe("recentKneeOaGrade", () => {
  it("gives the worse knee of the newest grading when it is grade 2 or more", () => {
    expect(recentKneeOaGrade(graded([{ side: "left", grade: 2 }, { side: "right", grade: 3 }], "2025-05-01"), "2025-06-01"))
      .toEqual({ grade: 3, side: "right", date: "2025-05-01" });
  });

  it("is null below grade 2, or when that knee's newest grading is below 2", () => {
    expect(recentKneeOaGrade(graded([{ side: "left", grade: 1 }], "2025-05-01"), "2025-06-01")).toBeNull();
    const both = [...graded([{ side: "left", grade: 3 }], "2024-01-01", "a"), ...graded([{ side: "left", grade: 1 }], "2025-01-01", "b")];
    expect(recentKneeOaGrade(both, "2025-06-01")).toBeNull();
  });

  it("counts a grading of any age up to the index date (radiographic OA does not regress), each knee by its own newest grading", () => {
    expect(recentKneeOaGrade(graded([{ side: "left", grade: 2 }], "2021-06-30"), "2026-11-30")).toEqual({ grade: 2, side: "left", date: "2021-06-30" });
    expect(recentKneeOaGrade(graded([{ side: "left", grade: 4 }], "2025-06-03"), "2025-06-01")).toBeNull();
    // A newer radiograph of the right knee alone does not hide the left knee's grade 3.
    const knees = [...graded([{ side: "left", grade: 3 }], "2023-01-01", "a"), ...graded([{ side: "right", grade: 0 }], "2025-05-01", "b")];
    expect(recentKneeOaGrade(knees, "2025-06-01")).toEqual({ grade: 3, side: "left", date: "2023-01-01" });
  });

  it("counts only gradings of a UTC day before the index day, as the model's input counts days", () => {
    const at = (effectiveDateTime: string) =>
      (graded([{ side: "right", grade: 3 }], "2025-05-31") as Observation[]).map((o) => ({ ...o, effectiveDateTime }));
    // The day before: counted, and dated as written.
    expect(recentKneeOaGrade(at("2025-05-31T23:59:00Z"), "2025-06-01")).toEqual({ grade: 3, side: "right", date: "2025-05-31" });
    // 21:00 in New York on 31 May is 1 June in UTC, the index day: not counted (once counted with a day's leeway).
    expect(recentKneeOaGrade(at("2025-05-31T21:00:00-04:00"), "2025-06-01")).toBeNull();
    expect(recentKneeOaGrade(at("2025-06-01T00:00:00Z"), "2025-06-01")).toBeNull();
    // 22:00 on 1 June at UTC+03:00 is 19:00 UTC that day: not counted either; 01:00 on 1 June at
    // UTC+02:00 is 31 May in UTC: counted, and dated as written (as the app's imaging results show it).
    expect(recentKneeOaGrade(at("2025-06-01T22:00:00+03:00"), "2025-06-01")).toBeNull();
    expect(recentKneeOaGrade(at("2025-06-01T01:00:00+02:00"), "2025-06-01")).toEqual({ grade: 3, side: "right", date: "2025-06-01" });
  });

  it("ignores invalid and entered-in-error grades and other resources", () => {
    const [o] = graded([{ side: "left", grade: 3 }], "2025-05-01") as Observation[];
    expect(recentKneeOaGrade([{ ...o!, valueInteger: 9 }], "2025-06-01")).toBeNull();
    expect(recentKneeOaGrade([{ ...o!, bodySite: { coding: o!.bodySite!.coding } }], "2025-06-01")).toBeNull();
    expect(recentKneeOaGrade([{ ...o!, status: "entered-in-error" }], "2025-06-01")).toBeNull();
    expect(recentKneeOaGrade([null, 3, { resourceType: "Observation" }], "2025-06-01")).toBeNull();
  });
});

describe("isKlGradeObservation", () => {
  it("recognises the imaging AI's KL grade Observations, as recentKneeOaGrade reads them, and nothing else", () => {
    const resources = exampleResources(FINDINGS.kl);
    // One grade per knee, and none of the study, report, device or provenance.
    expect(resources.filter(isKlGradeObservation).map((r) => (r as Observation).bodySite?.text)).toEqual(["left knee", "right knee"]);
    expect(resources.filter((r) => !isKlGradeObservation(r)).map((r) => r.resourceType)).not.toContain("Observation");
    // Other imaging AI Observations and body measures are not KL grades.
    expect(exampleResources(FINDINGS.svh).some(isKlGradeObservation)).toBe(false);
    expect(isKlGradeObservation(observation(LOINC.bmi, 27, "kg/m2", "2025-01-01T00:00:00Z"))).toBe(false);
    // The KL grade coding on another resource type, or beside no code, is not one.
    const [grade] = resources.filter(isKlGradeObservation) as Observation[];
    expect(isKlGradeObservation({ ...grade!, resourceType: "DiagnosticReport" })).toBe(false);
    expect(isKlGradeObservation({ ...grade!, code: { text: "Kellgren-Lawrence grade" } })).toBe(false);
    expect(isKlGradeObservation(null)).toBe(false);
  });
});
