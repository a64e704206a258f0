import { describe, expect, it } from "vitest";
import { klGradeCaveat } from "../../../shared/imaging/kl-caveat.ts";

describe("klGradeCaveat", () => {
  it("names the date, grade and knee, and says what the estimate is about", () => {
    expect(klGradeCaveat({ grade: 3, side: "left", date: "2025-04-30" })).toBe(
      "Imaging: an AI-graded radiograph of 2025-04-30 shows Kellgren-Lawrence grade 3 in the left knee, " +
        "radiographic knee OA already present: the estimate is about a coded diagnosis, not about the disease.",
    );
  });
});
