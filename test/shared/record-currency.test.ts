/** "Nothing on record in the year before the index date": the rule the card, the app and the
 * population job share, and the sentence the card and the app say. */
import { describe, expect, it } from "vitest";
import { isCurrentRecord, notCurrentCaveat, recordNotCurrent } from "../../shared/record-currency.ts";
import { CODES, condition, encounter, patient, snomed } from "../support/fhir-builders.ts";

// 2024-12-01 is 365 days before 2025-12-01 (2025 is not a leap year), 2024-11-30 366 days.
const INDEX = "2025-12-01";

describe("recordNotCurrent", () => {
  it("is null for a record with an entry 365 days before the index date, and dated by the latest for one 366 days before", () => {
    expect(recordNotCurrent([patient(), encounter("2020-01-01"), encounter("2024-12-01")], INDEX)).toBeNull();
    expect(recordNotCurrent([patient(), encounter("2020-01-01"), encounter("2024-11-30")], INDEX)).toEqual({ latestBefore: "2024-11-30" });
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

  it("has nothing to say without a valid index date", () => {
    expect(recordNotCurrent([encounter("2010-01-01")], "not a date")).toBeNull();
  });
});

describe("isCurrentRecord", () => {
  it("takes 365 days as current and 366 as not, nothing dated as not", () => {
    expect([isCurrentRecord(1000 - 365, 1000), isCurrentRecord(1000 - 366, 1000), isCurrentRecord(null, 1000)]).toEqual([true, false, false]);
  });
});

describe("notCurrentCaveat", () => {
  it("names the year, the index date and the latest entry", () => {
    expect(notCurrentCaveat({ latestBefore: "2019-03-04" }, INDEX)).toBe(
      "Nothing is on record in the 365 days before 2025-12-01 (the latest entry is from 2019-03-04): the model reads those days as " +
        "free of diagnoses and medicines, so if the patient has been cared for elsewhere since, this estimate does not know it.",
    );
    expect(notCurrentCaveat({ latestBefore: null }, INDEX)).toContain("(nothing before it is dated)");
  });
});
