import { describe, expect, it } from "vitest";
import type { JobResult } from "../../../population/job/run-job.ts";
import { describeScoring } from "../../../population/job/scoring-line.ts";

const result = (patients: number, seconds: number): JobResult => ({
  files: [],
  patients,
  scored: patients,
  resumed: 0,
  patientResources: patients,
  staleDataDays: null,
  latestRecordBeforeIndex: null,
  seconds,
  outputSeconds: 0.5,
  scoredEarlier: null,
});

describe("the line a scoring run ends with", () => {
  it("gives a rate below one patient a second as it is, not as 0", () => {
    // 3 patients in 7.5 s: 0.4 a second.
    expect(describeScoring(result(3, 7.5))).toBe("3 patients (3 scored, 0 from an earlier run) in 7.5 s, 0.4 patients/s; outputs written in 0.5 s");
  });

  it("gives a rate from 100 a second as a whole number", () => {
    // 5,000 patients in 4 s: 1,250 a second.
    expect(describeScoring(result(5000, 4))).toBe("5000 patients (5000 scored, 0 from an earlier run) in 4.0 s, 1250 patients/s; outputs written in 0.5 s");
  });
});
