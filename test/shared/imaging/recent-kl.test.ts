import { describe, expect, it } from "vitest";
import { readImagingResults } from "../../../shared/imaging/read-results.ts";
import { recentKneeOaGrade } from "../../../shared/imaging/recent-kl.ts";
import { exampleResources } from "../../support/imaging-examples.ts";

function klResults(knees: { side: "left" | "right"; grade: number }[], issued: string, idPrefix = "kl") {
  return readImagingResults(exampleResources({ kind: "kl", knees }, { issued, idPrefix })).results;
}

describe("recentKneeOaGrade", () => {
  it("gives the worse knee of the newest KL result when it is grade 2 or more", () => {
    expect(recentKneeOaGrade(klResults([{ side: "left", grade: 2 }, { side: "right", grade: 3 }], "2025-05-01T00:00:00Z"), "2025-06-01"))
      .toEqual({ grade: 3, side: "right", date: "2025-05-01" });
  });

  it("is null below grade 2, when the newest result is below 2, or older than two years (730 days)", () => {
    expect(recentKneeOaGrade(klResults([{ side: "left", grade: 1 }], "2025-05-01T00:00:00Z"), "2025-06-01")).toBeNull();
    const both = [...klResults([{ side: "left", grade: 3 }], "2024-01-01T00:00:00Z", "a"), ...klResults([{ side: "left", grade: 1 }], "2025-01-01T00:00:00Z", "b")];
    expect(recentKneeOaGrade(both, "2025-06-01")).toBeNull();
    expect(recentKneeOaGrade(klResults([{ side: "left", grade: 4 }], "2023-05-31T00:00:00Z"), "2025-06-01")).toBeNull();
    expect(recentKneeOaGrade(klResults([{ side: "left", grade: 4 }], "2023-06-02T00:00:00Z"), "2025-06-01")?.grade).toBe(4);
  });

  it("ignores invalid KL results", () => {
    const results = klResults([{ side: "left", grade: 3 }], "2025-05-01T00:00:00Z");
    results[0]!.problems.push("broken");
    expect(recentKneeOaGrade(results, "2025-06-01")).toBeNull();
  });
});
