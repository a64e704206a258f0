/** "Nothing on record in the year before the index date": the rule the card, the app and the
 * population job share, and the sentence the card and the app say. */
import { describe, expect, it } from "vitest";
import { isCurrentRecord, latestEntryBefore, notCurrentCaveat, recordNotCurrent } from "../../shared/record-currency.ts";
import { CODES, condition, encounter, patient, snomed } from "../support/fhir-builders.ts";

// 2024-12-01 is 365 days before 2025-12-01 (2025 is not a leap year), 2024-11-30 366 days.
const INDEX = "2025-12-01";

describe("recordNotCurrent", () => {
  it("is null for a record with an entry 365 days before the index date, and dated by the latest for one 366 days before", () => {
    expect(recordNotCurrent([patient(), encounter("2020-01-01"), encounter("2024-12-01")], INDEX)).toBeNull();
    expect(recordNotCurrent([patient(), encounter("2020-01-01"), encounter("2024-11-30")], INDEX)).toEqual({ latestBefore: "2024-11-30" });
  });

  it("counts days, not calendar years: across 29 February, the same date a year earlier is 366 days before", () => {
    // 2023-03-01 to 2024-03-01 spans 2024-02-29.
    expect(recordNotCurrent([encounter("2023-03-01")], "2024-03-01")).toEqual({ latestBefore: "2023-03-01" });
    expect(recordNotCurrent([encounter("2023-03-02")], "2024-03-01")).toBeNull();
  });

  it("counts the UTC day: an evening visit west of Greenwich that is the next day in UTC is within the year", () => {
    // 2024-11-30T21:00-05:00 is 2024-12-01T02:00Z.
    expect(recordNotCurrent([encounter("2024-11-30T21:00:00-05:00")], INDEX)).toBeNull();
  });

  it("ignores what is dated on or after the index date: a planned visit does not make an old record current", () => {
    expect(recordNotCurrent([encounter("2019-03-04"), encounter(INDEX), encounter("2026-02-01")], INDEX)).toEqual({ latestBefore: "2019-03-04" });
  });

  it("dates a Condition by when it was written into the record: an old onset recorded last month is a current entry", () => {
    const recordedLately = condition(CODES.diabetes, { onsetDateTime: "2010-01-01", recordedDate: "2025-11-01" });
    expect(recordNotCurrent([recordedLately], INDEX)).toBeNull();
    expect(recordNotCurrent([condition(CODES.diabetes, { onsetDateTime: "2010-01-01" })], INDEX)).toEqual({ latestBefore: "2010-01-01" });
  });

  it("ignores what the model never counts: a visit entered in error, a refuted diagnosis", () => {
    const old = encounter("2018-07-07");
    expect(recordNotCurrent([old, encounter("2025-10-01", { status: "entered-in-error" })], INDEX)).toEqual({ latestBefore: "2018-07-07" });
    expect(recordNotCurrent([old, condition(snomed("44054006"), { onsetDateTime: "2025-10-01", verification: "refuted" })], INDEX)).toEqual({
      latestBefore: "2018-07-07",
    });
  });

  it("says null for the latest entry of a record with nothing dated before the index date", () => {
    expect(recordNotCurrent([patient()], INDEX)).toEqual({ latestBefore: null });
    expect(recordNotCurrent([patient(), encounter("2026-01-05")], INDEX)).toEqual({ latestBefore: null });
  });

  it("has nothing to say without an index date that is a calendar day (the features' rule)", () => {
    expect(recordNotCurrent([encounter("2010-01-01")], "not a date")).toBeNull();
    expect(recordNotCurrent([encounter("2010-01-01")], "2025")).toBeNull();
  });
});

describe("latestEntryBefore", () => {
  it("names the latest entry before the index date, current or not, by the same days", () => {
    expect(latestEntryBefore([encounter("2020-01-01"), encounter("2025-11-30"), encounter(INDEX)], INDEX)).toBe("2025-11-30");
    expect(latestEntryBefore([encounter("2019-03-04"), encounter("2025-10-01", { status: "entered-in-error" })], INDEX)).toBe("2019-03-04");
    expect(latestEntryBefore([patient(), encounter("2026-01-05")], INDEX)).toBeNull();
    expect(latestEntryBefore([encounter("2019-03-04")], "2025")).toBeNull();
  });
});

describe("isCurrentRecord", () => {
  it("takes 365 days as current and 366 as not, nothing dated as not", () => {
    expect([isCurrentRecord(1000 - 365, 1000), isCurrentRecord(1000 - 366, 1000), isCurrentRecord(null, 1000)]).toEqual([true, false, false]);
  });
});

describe("notCurrentCaveat", () => {
  it("names what the model reads, the index date and the latest such entry", () => {
    expect(notCurrentCaveat({ latestBefore: "2019-03-04" }, INDEX)).toBe(
      "Nothing the model reads (visits, diagnoses, medicines, BMI, weight and height) is dated in the 365 days before 2025-12-01 " +
        "(the latest such entry is from 2019-03-04): care given since, elsewhere or not yet recorded, is not in this estimate.",
    );
  });

  it("speaks of the parts of the record that could be read when a part of the model's input could not", () => {
    expect(notCurrentCaveat({ latestBefore: "2019-03-04" }, INDEX, true)).toContain(
      "is dated in the 365 days before 2025-12-01 in the parts of the record that could be read (the latest such entry is from 2019-03-04)",
    );
    expect(notCurrentCaveat({ latestBefore: null }, INDEX, true)).toContain(
      "is dated before 2025-12-01 in the parts of the record that could be read: this estimate rests on no history from the record.",
    );
  });

  it("says of a record with nothing dated before the index date that the estimate rests on no history", () => {
    expect(notCurrentCaveat({ latestBefore: null }, INDEX)).toBe(
      "Nothing the model reads (visits, diagnoses, medicines, BMI, weight and height) is dated before 2025-12-01: " +
        "this estimate rests on no history from the record.",
    );
  });
});
