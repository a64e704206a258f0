import type { Observation, Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { recentKneeOaGrade } from "../../../shared/imaging/recent-kl.ts";
import { exampleResources } from "../../support/imaging-examples.ts";

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

  it("is null below grade 2, when the newest grading is below 2, or older than two years (730 days)", () => {
    expect(recentKneeOaGrade(graded([{ side: "left", grade: 1 }], "2025-05-01"), "2025-06-01")).toBeNull();
    const both = [...graded([{ side: "left", grade: 3 }], "2024-01-01", "a"), ...graded([{ side: "left", grade: 1 }], "2025-01-01", "b")];
    expect(recentKneeOaGrade(both, "2025-06-01")).toBeNull();
    expect(recentKneeOaGrade(graded([{ side: "left", grade: 4 }], "2023-05-31"), "2025-06-01")).toBeNull();
    expect(recentKneeOaGrade(graded([{ side: "left", grade: 4 }], "2023-06-02"), "2025-06-01")?.grade).toBe(4);
  });

  it("ignores invalid and entered-in-error grades and other resources", () => {
    const [o] = graded([{ side: "left", grade: 3 }], "2025-05-01") as Observation[];
    expect(recentKneeOaGrade([{ ...o!, valueInteger: 9 }], "2025-06-01")).toBeNull();
    expect(recentKneeOaGrade([{ ...o!, bodySite: { coding: o!.bodySite!.coding } }], "2025-06-01")).toBeNull();
    expect(recentKneeOaGrade([{ ...o!, status: "entered-in-error" }], "2025-06-01")).toBeNull();
    expect(recentKneeOaGrade([null, 3, { resourceType: "Observation" }], "2025-06-01")).toBeNull();
  });
});
