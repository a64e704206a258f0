import { describe, expect, it } from "vitest";
import { klGradeCaveat } from "../../../shared/imaging/kl-caveat.ts";

describe("klGradeCaveat", () => {
  it("names the date, grade and knee, and says what the estimate is about", () => {
    expect(klGradeCaveat({ grade: 3, side: "left", date: "2025-04-30" })).toBe(
      "Imaging: AI grading of a radiograph of 2025-04-30 suggests Kellgren-Lawrence grade 3 in the left knee, " +
        "which is radiographic knee OA (not read by a radiologist unless a report says so). " +
        "This estimate is of knee OA being diagnosed in the record; a diagnosis may simply not be recorded yet.",
    );
  });
});
