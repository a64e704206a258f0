import { describe, expect, it } from "vitest";
import type { RunIdentity } from "../../../population/job/checkpoint.ts";
import type { InputReport } from "../../../population/job/input-report.ts";
import { PopulationTally } from "../../../population/job/outputs/population-tally.ts";
import { summaryHtml } from "../../../population/job/outputs/summary-html.ts";
import type { ScoredPatient } from "../../../population/job/scored-patient.ts";

const INDEX_DATE = "2026-01-01";

const person = (patientId: string, fields: Partial<ScoredPatient>): ScoredPatient => ({
  patientId,
  hasPatient: true,
  mrn: null,
  sex: "female",
  ageBand: "70-79",
  ineligible: [],
  probability: 0.02,
  tier: "moderate",
  reasons: null,
  warnings: [],
  lastRecord: "2025-06-01",
  lastRecordBeforeIndex: "2025-06-01",
  ...fields,
});

const notScored = { probability: null, tier: null } as const;

const identity = (minAgeYears: number | null): RunIdentity => ({
  source: "input",
  inputFiles: "",
  indexDate: INDEX_DATE,
  minAgeYears,
  explainFrom: 0.05,
  includeNames: false,
  rules: "2026.11.1",
  model: { name: "deep-koa", version: "1", specVersion: "s", sha256: "0".repeat(64) },
  shard: { index: 0, count: 1 },
});

const input: InputReport = {
  format: "ndjson",
  grouping: "merge-join",
  patientsRead: 0,
  resourcesByType: {},
  skipped: {},
  shared: {},
  ignoredFiles: [],
  badLines: [],
  dataTime: null,
};

function summary(patients: ScoredPatient[], minAgeYears: number | null = null): string {
  const tally = new PopulationTally(INDEX_DATE);
  for (const patient of patients) tally.add(patient);
  const timing = { startedAt: "s", finishedAt: "f", seconds: 1, how: "single run" };
  return summaryHtml({ identity: identity(minAgeYears), input, tally, selection: { threshold: 0.05, top: null }, timing });
}

/** The age and sex table's rows as "band|sex|patients|scored". */
function ageSexRows(html: string): string[] {
  const table = html.split("<h2>Age and sex</h2>")[1]!.split("</table>")[0]!;
  return [...table.matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)<\/td><td class="n">(\d+)<\/td><td class="n">(\d+)<\/td>/g)].map((m) => m.slice(1).join("|"));
}

describe("summary.html: patients without an age at the index date", () => {
  it("counts a patient who died before the index date, or was born after it, under that reason, not in an age band", () => {
    // a: scored, 70-79. b: died before the index date at 75 (band 70-79 by age). c: born after
    // the index date (completed years -1, band "under 18" by age). d: 12 years old, under 18.
    const html = summary([
      person("a", {}),
      person("b", { ...notScored, ineligible: ["deceased"] }),
      person("c", { ...notScored, ageBand: "under 18", ineligible: ["born_after_index"] }),
      person("d", { ...notScored, ageBand: "under 18", ineligible: ["under_min_age"] }),
    ]);
    expect(ageSexRows(html)).toEqual(["under 18|female|1|0", "70-79|female|1|1", "born after index|female|1|0", "deceased|female|1|0"]);
    // The same words as the not-scored table's.
    expect(html).toMatch(/<td>born after index<\/td><td class="n">1<\/td>/);
    expect(html).toMatch(/<td>deceased<\/td><td class="n">1<\/td>/);
  });
});

describe("summary.html: the youngest age scored", () => {
  it("names the model's minimum age (18) when --min-age was not given, without a warning", () => {
    const html = summary([person("a", {})]);
    expect(html).toContain("<tr><td>youngest age scored</td><td>18 (the model&#39;s minimum)</td></tr>");
    expect(html).not.toContain("--min-age");
  });

  it("warns when --min-age is below the model's minimum age, and names it in the run", () => {
    const html = summary([person("a", {})], 10);
    expect(html).toContain("<tr><td>youngest age scored</td><td>10 (--min-age; the model&#39;s minimum is 18)</td></tr>");
    expect(html).toMatch(/<p class="warning" role="alert">--min-age 10 is below the model&#39;s minimum age of 18[^<]*<\/p>/);
    expect(summary([person("a", {})], 18)).not.toContain('role="alert">--min-age');
    expect(summary([person("a", {})], 40)).not.toContain('role="alert">--min-age');
  });
});
