/**
 * The words of a diagnosis or medication driver, on features built from FHIR resources. Index
 * 2024-01-01: the window's last week holds the 7 days before it (2023-12-25..31), the week
 * before that 2023-12-18..24, and the first week starts 2021-01-04, 1092 days before the index.
 */
import { describe, expect, it } from "vitest";
import { buildFeatures } from "../../../shared/features/build-features.ts";
import { explainRisk } from "../../../shared/inference/explain.ts";
import { CODES, encounter, medicationDispense, medicationRequest, patient } from "../../support/fhir-builders.ts";
import { flatModel } from "../../support/flat-model.ts";

const INDEX = "2024-01-01";

/** The detail of the driver `key` for a record of these resources, or undefined without one. */
async function detailOf(key: string, ...resources: object[]): Promise<string | undefined> {
  const features = buildFeatures([patient(), ...(resources as never[])], INDEX);
  const { drivers } = await explainRisk(flatModel(0.03), features);
  return drivers.find((d) => d.key === key)?.detail;
}

const diabetesOn = (date: string) => detailOf("diagnosis:diabetes", encounter(date, { reasons: [CODES.diabetes] }));

describe("how long ago a driver was last seen", () => {
  it("says 'in the 7 days before it' for 1 to 7 days before the index date", async () => {
    expect(await diabetesOn("2023-12-31")).toBe("recorded in 1 of the 156 weeks before the index date (3 years), most recently in the 7 days before it");
    expect(await diabetesOn("2023-12-25")).toBe("recorded in 1 of the 156 weeks before the index date (3 years), most recently in the 7 days before it");
  });

  it("says '1 to 2 weeks before it' for 8 to 14 days before, and '2 to 3 weeks before it' from 15 days", async () => {
    expect(await diabetesOn("2023-12-24")).toBe("recorded in 1 of the 156 weeks before the index date (3 years), most recently 1 to 2 weeks before it");
    // 13 days before: read "1 week ago" before this wording.
    expect(await diabetesOn("2023-12-19")).toBe("recorded in 1 of the 156 weeks before the index date (3 years), most recently 1 to 2 weeks before it");
    expect(await diabetesOn("2023-12-18")).toBe("recorded in 1 of the 156 weeks before the index date (3 years), most recently 1 to 2 weeks before it");
    expect(await diabetesOn("2023-12-17")).toBe("recorded in 1 of the 156 weeks before the index date (3 years), most recently 2 to 3 weeks before it");
  });

  it("says '155 to 156 weeks before it' for the window's first day, and nothing for the day before it", async () => {
    expect(await diabetesOn("2021-01-04")).toBe("recorded in 1 of the 156 weeks before the index date (3 years), most recently 155 to 156 weeks before it");
    expect(await diabetesOn("2021-01-03")).toBeUndefined();
  });

  it("never counts the index day itself", async () => {
    expect(await diabetesOn(INDEX)).toBeUndefined();
  });

  it("dates a medication by the last day its supply covers before the index date", async () => {
    // One day's supply 8 days before the index date.
    expect(await detailOf("medication:nsaid_oral", medicationDispense(CODES.naproxen500, "2023-12-24", { daysSupply: 1 }))).toBe(
      "covered by orders, dispensings or reports in 1 of the 156 weeks before the index date (3 years; about 1 day in all, each drug of the class counted), most recently 1 to 2 weeks before it",
    );
    // 30 days from 12 days before: cut at the day before the index, 5 days in one week and 7 in the last.
    expect(await detailOf("medication:nsaid_oral", medicationRequest(CODES.naproxen500, "2023-12-20", { supplyDays: 30 }))).toBe(
      "covered by orders, dispensings or reports in 2 of the 156 weeks before the index date (3 years; about 12 days in all, each drug of the class counted), most recently in the 7 days before it",
    );
  });
});

describe("what a medication driver counts", () => {
  it("gives the weeks with any supply out of the 156, and the days of each drug of the class added up", async () => {
    const detail = await detailOf(
      "medication:nsaid_oral",
      // Naproxen sodium 28 days, 2023-11-27..12-24: 35 to 8 days before the index, 4 weeks.
      medicationRequest(CODES.naproxenSodium220, "2023-11-27", { supplyDays: 28 }),
      // The same drug again inside those days: each day counts once.
      medicationDispense(CODES.naproxenSodium220, "2023-12-11", { daysSupply: 7 }),
      // Ibuprofen 7 days alongside it, 2023-12-04..10: 7 more days, no more weeks.
      medicationRequest(CODES.ibuprofen200, "2023-12-04", { supplyDays: 7 }),
    );
    // 28 + 7 = 35 days in 4 weeks: more than 7 a week, which the words must allow.
    expect(detail).toBe(
      "covered by orders, dispensings or reports in 4 of the 156 weeks before the index date (3 years; about 35 days in all, each drug of the class counted), most recently 1 to 2 weeks before it",
    );
  });
});
