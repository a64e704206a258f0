import { describe, expect, it } from "vitest";
import type { JobResult } from "../../../population/job/run-job.ts";
import { describeScoring } from "../../../population/job/scoring-line.ts";

const result = (patients: number, seconds: number, scored = patients, resumed = 0): JobResult => ({
  files: [],
  patients,
  orphanReferences: 0,
  scored,
  resumed,
  patientResources: patients,
  noPatientReadCause: "the input needs the Patient type",
  notCurrentWarning: null,
  staleDataWarning: null,
  dataPastIndexWarning: null,
  seconds,
  outputSeconds: 0.5,
  scoredEarlier: null,
});

describe("the line a scoring run ends with", () => {
  it("gives a rate below one patient a second as it is, not as 0", () => {
    // 3 patients in 7.5 s: 0.4 a second.
    expect(describeScoring(result(3, 7.5))).toBe("3 patients (3 scored) in 7.5 s, 0.4 patients/s; outputs written in 0.5 s");
  });

  it("gives a rate from 100 a second as a whole number", () => {
    // 5,000 patients in 4 s: 1,250 a second.
    expect(describeScoring(result(5000, 4))).toBe("5000 patients (5000 scored) in 4.0 s, 1250 patients/s; outputs written in 0.5 s");
  });

  it("gives the patients an earlier run stored as a part of the patients, not of those scored (they include patients not scored)", () => {
    // The review's run: 600 patients, 558 of them given a risk; 264 of the 600 were stored by
    // the interrupted run, diagnosed or scored alike. 600 in 12 s: 50 a second.
    expect(describeScoring(result(600, 12, 558, 264))).toBe(
      "600 patients (558 scored), 264 of the 600 stored by an earlier run, in 12.0 s, 50 patients/s; outputs written in 0.5 s",
    );
  });
});
