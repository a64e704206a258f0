import { createHash } from "node:crypto";
import type { Condition, Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { simulateImagingResults } from "../../../models/cohort/imaging-results.ts";
import { simulateCohort } from "../../../models/cohort/simulate.ts";
import { readImagingResults } from "../../../shared/imaging/read-results.ts";
import { matchDiagnosis } from "../../../shared/valuesets.ts";

const END = "2025-12-31";

describe("simulateImagingResults (the simulator's imaging post-pass)", () => {
  it("leaves the simulator's output byte-identical to a run without the post-pass", () => {
    // The post-pass has its own random stream and must not touch the record: the cohort must hash
    // the same whether or not it runs after each patient.
    const cohortHash = (withPostPass: boolean) => {
      const hash = createHash("sha256");
      let n = 0;
      for (const p of simulateCohort({ patients: 40, seed: 7, endDate: END })) {
        if (withPostPass) simulateImagingResults(p.resources, { seed: 7, patientNumber: n++, endDate: END });
        hash.update(JSON.stringify(p.resources) + JSON.stringify(p.truth) + "\n");
      }
      return hash.digest("hex");
    };
    expect(cohortHash(true)).toBe(cohortHash(false));
  });

  it("gives valid results consistent with each record, the same for the same seed", () => {
    const counts = { kl: 0, svh: 0, csae: 0, deepresolve: 0 };
    let n = 0;
    for (const p of simulateCohort({ patients: 600, seed: 3, endDate: END })) {
      const options = { seed: 3, patientNumber: n++, endDate: END };
      const extra = simulateImagingResults(p.resources, options);
      expect(JSON.stringify(simulateImagingResults(p.resources, options))).toBe(JSON.stringify(extra));
      if (extra.length === 0) continue;
      const conditions = p.resources.filter((r): r is Condition => r.resourceType === "Condition");
      const kneeOa = conditions.some((c) => matchDiagnosis(c.code).kneeOa);
      const kneePain = conditions.some((c) => matchDiagnosis(c.code).ids.includes("knee_pain"));
      const ra = conditions.some((c) => matchDiagnosis(c.code).ids.includes("inflammatory_arthritis"));
      const { results } = readImagingResults([...p.resources, ...extra] as Resource[]);
      for (const r of results) {
        expect(r.problems).toEqual([]);
        counts[r.kind]++;
        if (r.kind === "kl" || r.kind === "deepresolve") expect(kneeOa || kneePain).toBe(true);
        if (r.kind === "svh" || r.kind === "csae") expect(ra).toBe(true);
        // A knee OA diagnosis comes with radiographic OA (KL 2-4); knee pain alone with KL 0-2.
        if (r.kind === "kl") expect(Math.max(...r.knees.map((k) => k.grade))).toSatisfy((g: number) => (kneeOa ? g >= 2 : g <= 2));
        for (const date of [r.issued, r.studyDate]) expect(date! <= `${END}T23:59:59Z`).toBe(true);
      }
    }
    expect(Object.values(counts).every((c) => c > 0)).toBe(true);
  });
});
