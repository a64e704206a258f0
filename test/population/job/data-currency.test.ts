import { describe, expect, it } from "vitest";
import { qualityFlags } from "../../../population/job/outputs/high-risk-csv.ts";
import { PopulationTally } from "../../../population/job/outputs/population-tally.ts";
import { prepare } from "../../../population/job/score-batch.ts";
import type { ScoredPatient } from "../../../population/job/scored-patient.ts";
import { INDEX_DATE, populationCli, read, simulatedPopulation } from "./job-fixtures.ts";
import { encounter, patient as patientResource, tempDir, writeNdjson } from "../fixtures.ts";
import { scoredPerson } from "../scored-person.ts";

const patient = (patientId: string, lastRecord: string | null, lastRecordBeforeIndex = lastRecord): ScoredPatient =>
  scoredPerson(patientId, { ageBand: "60-69", lastRecord, lastRecordBeforeIndex });

/** The tally's staleness for data whose latest record is `latestRecord`. */
function staleDataDays(indexDate: string, latestRecord: string | null): number | null {
  const tally = new PopulationTally(indexDate);
  tally.add(patient("p", latestRecord));
  return tally.staleDataDays();
}

describe("how current the data is", () => {
  it("tallies the latest record and the patients with nothing in the year before the index date", () => {
    const tally = new PopulationTally("2026-11-30");
    // 2025-11-29 is 366 days before 2026-11-30, 2025-11-30 365 days: the first is not current.
    // Nor is a record with nothing dated (d), nor one that starts after the index date (e).
    for (const [id, last] of [["a", "2025-11-29"], ["b", "2025-11-30"], ["c", "2026-06-01"], ["d", null]] as const) {
      tally.add(patient(id, last));
    }
    tally.add(patient("e", "2027-01-10", null));
    // f changed after the index date too, but also within the year before it: current.
    tally.add(patient("f", "2027-02-01", "2026-01-05"));
    expect([tally.latestRecord, tally.notCurrent]).toEqual(["2027-02-01", 3]);
  });

  it("dates a record's last change, at all and before the index date (a run for a past date)", () => {
    const record = {
      patientId: "p1",
      resources: [patientResource("p1"), encounter("e1", "Patient/p1", "2018-06-01"), encounter("e2", "Patient/p1", "2020-03-01")],
    };
    const settings = { modelPath: "unused", indexDate: "2019-01-01", explainFrom: 1, includeNames: false };
    expect(prepare(record, settings).facts).toMatchObject({ lastRecord: "2020-03-01", lastRecordBeforeIndex: "2018-06-01" });
    const later = { patientId: "p1", resources: [patientResource("p1"), encounter("e2", "Patient/p1", "2020-03-01")] };
    expect(prepare(later, settings).facts).toMatchObject({ lastRecord: "2020-03-01", lastRecordBeforeIndex: null });
  });

  it("calls the data stale when its latest record is more than a year before the index date", () => {
    expect(staleDataDays("2026-11-30", "2025-11-29")).toBe(366);
    expect(staleDataDays("2026-11-30", "2025-11-30")).toBeNull();
    expect(staleDataDays("2026-11-30", null)).toBeNull();
  });

  it("judges that from the records before the index date: one dated in the future (a planned visit) does not hide stale data", () => {
    const tally = new PopulationTally("2026-06-01");
    tally.add(patient("a", "2020-06-01"));
    tally.add(patient("b", "2030-01-15", "2020-05-01"));
    expect([tally.latestRecord, tally.latestRecordBeforeIndex]).toEqual(["2030-01-15", "2020-06-01"]);
    expect(tally.staleDataDays()).toBe((Date.parse("2026-06-01") - Date.parse("2020-06-01")) / 86_400_000);
  });

  it("counts the scored patients with nothing in the year before the index date, and warns when they are more than half", () => {
    const tally = new PopulationTally("2026-11-30");
    // One current record keeps the latest record within the year: the data as a whole is not stale.
    tally.add(patient("current", "2026-11-01"));
    for (const id of ["a", "b", "c"]) tally.add(patient(id, "2025-11-29"));
    // Not scored: not counted among the scored patients, current or not.
    tally.add({ ...patient("unscored", "2020-01-01"), probability: null, tier: null });
    expect(tally.staleDataDays()).toBeNull();
    expect([tally.notCurrent, tally.notCurrentScored, tally.scored]).toEqual([4, 3, 4]);
    expect(tally.notCurrentWarning()).toBe(
      "3 of the 4 scored patients (75.0%) have nothing the model reads dated in the 365 days before the index date, 2026-11-30: " +
        "their risks are for a year that follows one in which the data says nothing of them. " +
        // The latest record, 2026-11-01, is before the index date: the day after it is the one to use.
        "The data end before the index date: run again with --index-date 2026-11-02, the day after the latest record in the data (2026-11-01).",
    );
  });

  it("does not warn when half or fewer of the scored patients are not current, nor repeat the warning of data stale as a whole", () => {
    const half = new PopulationTally("2026-11-30");
    for (const id of ["a", "b"]) half.add(patient(id, "2026-06-01"));
    for (const id of ["c", "d"]) half.add(patient(id, "2024-01-01"));
    expect(half.notCurrentScored).toBe(2);
    expect(half.notCurrentWarning()).toBeNull();
    const stale = new PopulationTally("2026-11-30");
    stale.add(patient("a", "2024-01-01"));
    expect(stale.staleDataDays()).not.toBeNull();
    expect(stale.notCurrentWarning()).toBeNull();
    expect(new PopulationTally("2026-11-30").notCurrentWarning()).toBeNull();
  });

  it("flags a listed patient with nothing in the year before the index date in high-risk.csv, by the card's rule, with the latest entry", () => {
    // 2024-11-30 is 366 days before 2025-12-01, 2024-12-01 365 days.
    const flags = (lastRecordBeforeIndex: string | null) => qualityFlags({ ...patient("p", "2026-01-01", lastRecordBeforeIndex), reasons: [] }, "2025-12-01");
    expect(flags("2024-11-30")).toBe("nothing the model reads dated in the 365 days before the index date, latest entry 2024-11-30");
    expect(flags("2024-12-01")).toBe("");
    expect(flags(null)).toBe("nothing the model reads dated in the 365 days before the index date, latest entry none dated");
  });

  it("warns on the command line too when most scored patients have no record in the year before the index date", async () => {
    const dir = tempDir();
    // p1's record is current (the data as a whole is not stale); p2's and p3's end 2 years before.
    writeNdjson(dir, "Patient.ndjson", ["p1", "p2", "p3"].map((id) => patientResource(id)));
    writeNdjson(dir, "Encounter.ndjson", [encounter("e1", "Patient/p1", "2026-10-01"), encounter("e2", "Patient/p2", "2024-10-01"), encounter("e3", "Patient/p3", "2024-10-01")]);
    const out = tempDir("patella-job-not-current-");
    const run = { ...(await populationCli(["--input", dir, "--out", out, "--index-date", "2026-11-30", "--workers", "1"]).done), out };
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("warning: 2 of the 3 scored patients (66.7%) have nothing the model reads dated in the 365 days before the index date, 2026-11-30: ");
    expect(run.stderr).not.toContain("warning: The risks are for the year from");
    // p1's visit on 2026-10-01 is the latest record: the day after it is 2026-10-02.
    expect(run.stderr).toContain("The data end before the index date: run again with --index-date 2026-10-02, the day after the latest record in the data (2026-10-01).");
    expect(read(run.out, "summary.html")).toContain("run again with --index-date 2026-10-02, the day after the latest record in the data (2026-10-01)");
  }, 120_000);

  it("names the index date to run again with when the data end before it: the day after the latest record", () => {
    const tally = new PopulationTally("2040-01-01");
    tally.add(patient("a", "2025-12-31"));
    tally.add(patient("b", "2025-03-01"));
    expect(tally.suggestedIndexDate()).toBe("2026-01-01");
    // 2025-12-31 to 2040-01-01: 1 day to 2026-01-01, then 14 years of 365 days and 3 leap days (2028, 2032, 2036): 5,114 days.
    expect(tally.staleDataWarning()).toBe(
      "The risks are for the year from 2040-01-01, but the latest record before it in the data is from 2025-12-31, 5,114 days earlier: " +
        "nothing in the data covers the year before the index date. Run again with --index-date 2026-01-01, the day after the latest record in the data (2025-12-31).",
    );
    // A month's last day, and a leap year's 28 February.
    const leap = new PopulationTally("2030-01-01");
    leap.add(patient("a", "2028-02-28"));
    expect(leap.suggestedIndexDate()).toBe("2028-02-29");
    // A record planned after the index date: the data do not end before it, so no date is named.
    const planned = new PopulationTally("2030-01-01");
    planned.add(patient("a", "2031-05-01", "2020-01-01"));
    expect(planned.staleDataWarning()).toContain("Run again with an --index-date the data reaches.");
  });

  it("names that date on the command line when the default index date, today, is past the data", async () => {
    const dir = tempDir();
    // The last visit is on 2025-10-01: today (2026-12 or later) is more than a year after it.
    writeNdjson(dir, "Patient.ndjson", ["p1", "p2"].map((id) => patientResource(id)));
    writeNdjson(dir, "Encounter.ndjson", [encounter("e1", "Patient/p1", "2024-03-01"), encounter("e2", "Patient/p2", "2025-10-01")]);
    const out = tempDir("patella-job-today-");
    const run = await populationCli(["--input", dir, "--out", out, "--workers", "1"]).done;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("Run again with --index-date 2025-10-02, the day after the latest record in the data (2025-10-01). (summary.html says so too)");
    expect(read(out, "summary.html")).toContain("Run again with --index-date 2025-10-02, the day after the latest record in the data (2025-10-01).");
  }, 120_000);

  it("warns on the command line and in the summary when the index date is past the data", async () => {
    const { dir } = simulatedPopulation(6, 3);
    const out = tempDir("patella-job-stale-");
    const stale = await populationCli(["--input", dir, "--out", out, "--index-date", "2040-01-01", "--workers", "1"]).done;
    expect(stale.code).toBe(0);
    const warning = /warning: The risks are for the year from 2040-01-01, but the latest record before it in the data is from (\d{4}-\d{2}-\d{2}), ([\d,]+) days earlier/.exec(stale.stderr);
    expect(warning).not.toBeNull();
    expect(Number(warning![2]!.replace(/,/g, ""))).toBe((Date.parse("2040-01-01") - Date.parse(warning![1]!)) / 86_400_000);
    const dayAfter = new Date(Date.parse(warning![1]!) + 86_400_000).toISOString().slice(0, 10);
    expect(stale.stderr).toContain(`Run again with --index-date ${dayAfter}, the day after the latest record in the data (${warning![1]!}).`);
    expect(read(out, "summary.html")).toContain('<p class="warning" role="alert">The risks are for the year from 2040-01-01');
    const current = await populationCli(["--input", dir, "--out", tempDir("patella-job-current-"), "--index-date", INDEX_DATE, "--workers", "1"]).done;
    expect(current.stderr).not.toContain("warning:");
  }, 120_000);
});
