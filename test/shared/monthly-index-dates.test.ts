import { describe, expect, it } from "vitest";
import { monthlyIndexDates } from "../../shared/monthly-index-dates.ts";

describe("monthlyIndexDates", () => {
  it("steps back a calendar month at a time, oldest first, ending on the index date", () => {
    expect(monthlyIndexDates("2026-11-15", 3)).toEqual(["2026-09-15", "2026-10-15", "2026-11-15"]);
  });

  it("crosses the year boundary", () => {
    expect(monthlyIndexDates("2026-02-10", 4)).toEqual(["2025-11-10", "2025-12-10", "2026-01-10", "2026-02-10"]);
  });

  it("falls to the last day of a shorter month (31 March to 28 February, or 29 in a leap year)", () => {
    expect(monthlyIndexDates("2026-03-31", 3)).toEqual(["2026-01-31", "2026-02-28", "2026-03-31"]);
    expect(monthlyIndexDates("2024-03-31", 2)).toEqual(["2024-02-29", "2024-03-31"]);
  });

  it("gives 36 dates spanning 35 months for the app's trend", () => {
    const dates = monthlyIndexDates("2026-11-29", 36);
    expect(dates).toHaveLength(36);
    expect(dates[0]).toBe("2023-12-29");
  });

  it("refuses a bad date or count", () => {
    expect(() => monthlyIndexDates("2026-02-30", 3)).toThrow(RangeError);
    expect(() => monthlyIndexDates("2026-11-29", 0)).toThrow(RangeError);
  });
});
