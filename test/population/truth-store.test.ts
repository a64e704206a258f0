import { describe, expect, it } from "vitest";
import { parseTruthLine } from "../../population/truth-store.ts";

const line = (date: unknown) => JSON.stringify({ patientId: "p1", indexDates: [{ date, trueRisk1y: 0.1, outcome1y: false }] });

describe("parseTruthLine", () => {
  it("keeps a full calendar date, leap day included", () => {
    expect(parseTruthLine(line("2024-02-29"), 3)).toEqual({ patientId: "p1", indexDates: [{ date: "2024-02-29", trueRisk1y: 0.1, outcome1y: false }] });
  });

  it("refuses a date that is not a full calendar date, naming the file and line", () => {
    // An impossible day would make buildFeatures throw later, with no file or line: it is refused
    // here, like a badly written date.
    for (const date of ["2019-1-8", "2019", "2019-01-08T00:00:00Z", "2023-02-29", "2025-02-30", "2025-13-01", 20190108]) {
      expect(() => parseTruthLine(line(date), 3), String(date)).toThrow("truth.ndjson:3: indexDates[0].date must be YYYY-MM-DD");
    }
  });
});
