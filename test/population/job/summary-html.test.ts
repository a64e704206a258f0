import { describe, expect, it } from "vitest";
import { POPULATION_RULES_VERSION } from "../../../population/job/rules-version.ts";
import { runIdentity } from "../run-identity.ts";
import { scoredPerson } from "../scored-person.ts";
import type { InputReport } from "../../../population/job/input-report.ts";
import { PopulationTally } from "../../../population/job/outputs/population-tally.ts";
import { summaryHtml, type SummaryInput } from "../../../population/job/outputs/summary-html.ts";
import type { ScoredPatient } from "../../../population/job/scored-patient.ts";

const INDEX_DATE = "2026-01-01";



const notScored = { probability: null, tier: null } as const;

const identity = (minAgeYears: number | null) => runIdentity({ indexDate: INDEX_DATE, minAgeYears, inputFiles: "", model: { name: "deep-koa", version: "1", specVersion: "s", sha256: "0".repeat(64) } });

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
  exportErrorOutcomes: null,
};

const noBuilderCounts = { skipped: {}, distinctCodes: 0, topCodes: [], codesNotKeptOccurrences: 0, codesNotShownOccurrences: 0 };

function summary(patients: ScoredPatient[], minAgeYears: number | null = null, counts: Partial<SummaryInput> = {}): string {
  const tally = new PopulationTally(INDEX_DATE);
  for (const patient of patients) tally.add(patient);
  const timing = { startedAt: "s", finishedAt: "f", seconds: 1, how: "single run" };
  return summaryHtml({ identity: identity(minAgeYears), input, builderQuality: noBuilderCounts, tally, selection: { threshold: 0.05, top: null }, timing, ...counts });
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
      scoredPerson("a", {}),
      scoredPerson("b", { ...notScored, ineligible: ["deceased"] }),
      scoredPerson("c", { ...notScored, ageBand: "under 18", ineligible: ["born_after_index"] }),
      scoredPerson("d", { ...notScored, ageBand: "under 18", ineligible: ["under_min_age"] }),
    ]);
    expect(ageSexRows(html)).toEqual(["under 18|female|1|0", "70-79|female|1|1", "born after index|female|1|0", "deceased|female|1|0"]);
    // The same words as the not-scored table's.
    expect(html).toMatch(/<td>born after index<\/td><td class="n">1<\/td>/);
    expect(html).toMatch(/<td>deceased<\/td><td class="n">1<\/td>/);
  });
});

describe("summary.html: the export's errors", () => {
  const alert = /<p class="warning" role="alert">The FHIR server&#39;s export reported [^<]*<\/p>/;

  it("warns at the top that records may lack what the server could not export", () => {
    const html = summary([scoredPerson("a", {})], null, { input: { ...input, exportErrorOutcomes: 3 } });
    expect(html).toMatch(alert);
    expect(html.match(alert)![0]).toContain("reported 3 errors (OperationOutcomes, kept in export/errors/ beside these outputs)");
    expect(html.indexOf("reported 3 errors")).toBeLessThan(html.indexOf("<h2>"));
    expect(summary([scoredPerson("a", {})], null, { input: { ...input, exportErrorOutcomes: 1 } })).toContain("reported 1 error (");
  });

  it("says nothing for an export without errors or for local files", () => {
    expect(summary([scoredPerson("a", {})], null, { input: { ...input, exportErrorOutcomes: 0 } })).not.toMatch(alert);
    expect(summary([scoredPerson("a", {})])).not.toMatch(alert);
  });
});

describe("summary.html: the youngest age scored", () => {
  it("names the model's minimum age (18) when --min-age was not given, without a warning", () => {
    const html = summary([scoredPerson("a", {})]);
    expect(html).toContain("<tr><td>youngest age scored</td><td>18 (the model&#39;s minimum)</td></tr>");
    expect(html).not.toContain("--min-age");
  });

  it("warns when --min-age is below the model's minimum age, and names it in the run", () => {
    const html = summary([scoredPerson("a", {})], 10);
    expect(html).toContain("<tr><td>youngest age scored</td><td>10 (--min-age; the model&#39;s minimum is 18)</td></tr>");
    expect(html).toMatch(/<p class="warning" role="alert">--min-age 10 is below the model&#39;s minimum age of 18[^<]*<\/p>/);
    expect(summary([scoredPerson("a", {})], 18)).not.toContain('role="alert">--min-age');
    expect(summary([scoredPerson("a", {})], 40)).not.toContain('role="alert">--min-age');
  });
});

describe("summary.html: what the reader and the feature builder skipped, and the codes not recognised", () => {
  const builderQuality = {
    skipped: { "Condition: no code": 3, "Patient: invalid birthDate": 1 },
    distinctCodes: 2,
    topCodes: [
      { code: "http://example.org/local|X", occurrences: 5, patients: 2 },
      { code: "http://example.org/local|Y", occurrences: 1, patients: 1 },
    ],
    codesNotKeptOccurrences: 0,
    codesNotShownOccurrences: 0,
  };

  it("labels each skip by who skipped it, and lists the codes with their counts", () => {
    const html = summary([scoredPerson("a", {})], null, { input: { ...input, skipped: { "no patient reference: Condition": 2 } }, builderQuality });
    expect(html).toContain('<tr><td>skipped by the reader: no patient reference: Condition</td><td class="n">2</td></tr>');
    expect(html).toContain('<tr><td>skipped by the feature builder: Condition: no code</td><td class="n">3</td></tr>');
    expect(html).toContain('<tr><td>skipped by the feature builder: Patient: invalid birthDate</td><td class="n">1</td></tr>');
    expect(html).toContain("value sets): 2 distinct; the 2 most frequent:</p>");
    expect(html).toContain(
      '<tbody><tr><td>http://example.org/local|X</td><td class="n">5</td><td class="n">2</td></tr><tr><td>http://example.org/local|Y</td><td class="n">1</td><td class="n">1</td></tr></tbody>',
    );
  });

  it("counts the patients scored with each data-quality warning, in the words of high-risk.csv", () => {
    const html = summary([scoredPerson("a", { warnings: ["no_bmi"] }), scoredPerson("b", { warnings: ["no_bmi", "short_history"] })]);
    expect(html).toContain('<tr><td>scored with: no BMI on record</td><td class="n">2</td></tr>');
    expect(html).toContain('<tr><td>scored with: under 1 year of history on record</td><td class="n">1</td></tr>');
  });

  it("counts the scored patients with osteoarthritis without a stated joint on record, in the words of high-risk.csv", () => {
    const html = summary([scoredPerson("a", { oaSiteNotStated: { date: "2022-08-09" } }), scoredPerson("b", { oaSiteNotStated: { date: null } }), scoredPerson("c", {})]);
    expect(html).toContain('<tr><td>scored with: osteoarthritis without a stated joint on record (may be knee OA already)</td><td class="n">2</td></tr>');
  });

  it("counts the scored patients with a knee replacement on record beside them, in the words of high-risk.csv", () => {
    const html = summary([
      scoredPerson("a", { kneeReplaced: { date: "2021-05-11" }, oaSiteNotStated: { date: "2022-08-09" } }),
      scoredPerson("b", { kneeReplaced: { date: null } }),
      scoredPerson("c", { probability: null, tier: null, ineligible: ["already_diagnosed"], kneeReplaced: { date: "2020-01-01" } }),
      scoredPerson("d", {}),
    ]);
    expect(html).toContain(
      '<tr><td>scored with: osteoarthritis without a stated joint on record (may be knee OA already)</td><td class="n">1</td></tr>' +
        '<tr><td>scored with: knee replacement on record (likely knee OA already)</td><td class="n">2</td></tr>',
    );
  });

  it("counts the scored patients with a knee graded KL 2 or more beside the other two, in the words of high-risk.csv", () => {
    const html = summary([
      scoredPerson("a", { recentKneeOaGrade: { grade: 3, side: "left", date: "2024-05-01" }, kneeReplaced: { date: null } }),
      scoredPerson("b", { recentKneeOaGrade: { grade: 2, side: "right", date: "2020-01-01" } }),
      scoredPerson("c", { ...notScored, ineligible: ["already_diagnosed"], recentKneeOaGrade: { grade: 4, side: "left", date: "2024-05-01" } }),
      scoredPerson("d", {}),
    ]);
    expect(html).toContain(
      '<tr><td>scored with: knee radiograph graded Kellgren-Lawrence 2 or more by imaging AI (radiographic knee OA already)</td><td class="n">2</td></tr>' +
        '<tr><td>scored with: knee replacement on record (likely knee OA already)</td><td class="n">1</td></tr>',
    );
  });

  it("says, where it lists the types read, that the KL grade Observations and the Procedures are read for their flags only", () => {
    expect(summary([scoredPerson("a", {})])).toContain(
      "the model reads Patient, Condition, Encounter, Observation, MedicationRequest, MedicationStatement, MedicationDispense, Medication, " +
        "the Observations among them body measures only: what of these it could not use is counted above; " +
        "the imaging AI's Kellgren-Lawrence grade Observations are kept only to flag a knee graded 2 or more, never given to the model (nor counted as skipped); " +
        "Procedures are read only to flag a knee replacement on record, and only those that name one are kept, never given to the model):</p>",
    );
  });

  it("says none when every code was recognised", () => {
    expect(summary([scoredPerson("a", {})])).toContain("value sets): none.</p>");
  });

  it("says how many occurrences were not kept once the run kept its 100,000 distinct codes", () => {
    const html = summary([scoredPerson("a", {})], null, { builderQuality: { ...builderQuality, distinctCodes: 100_000, codesNotKeptOccurrences: 1234 } });
    expect(html).toContain(
      "value sets): more than 100,000 distinct: the first 100,000 seen are counted and listed from, and 1,234 occurrences of others are counted only here; the 2 most frequent:</p>",
    );
  });
});

describe("summary.html: the run", () => {
  it("names the rules version the run was scored under, with the model", () => {
    const html = summary([scoredPerson("a", {})]);
    expect(html).toContain(`<tr><td>Patella rules version</td><td>${POPULATION_RULES_VERSION}</td></tr>`);
  });
});

describe("summary.html: the reasons listed with the patients", () => {
  it("says that the drivers explain the model, not the patient, as the card does", () => {
    expect(summary([scoredPerson("a", {})])).toContain(
      "(raises by 2.0 points: 7.0% where the neutral value gives 5.0%). The changes do not add up: the factors act together. " +
        "These factors explain this model, trained on synthetic data, not the patient&#39;s biology: some can run against clinical knowledge.",
    );
  });
});

describe("summary.html: a population mostly without recent records", () => {
  it("warns at the top when more than half of the scored patients have nothing in the year before the index date", () => {
    const html = summary([
      scoredPerson("a", { lastRecord: "2025-12-01", lastRecordBeforeIndex: "2025-12-01" }),
      scoredPerson("b", { lastRecord: "2024-06-01", lastRecordBeforeIndex: "2024-06-01" }),
      scoredPerson("c", { lastRecord: "2023-06-01", lastRecordBeforeIndex: "2023-06-01" }),
      scoredPerson("d", { lastRecord: "2022-06-01", lastRecordBeforeIndex: "2022-06-01", ineligible: ["already_diagnosed"], probability: null, tier: null }),
    ]);
    expect(html).toContain('<p class="warning" role="alert">2 of the 3 scored patients (66.7%) have nothing the model reads dated in the 365 days before the index date, 2026-01-01:');
    expect(html).not.toContain("The risks are for the year from");
    // The quality table counts the scored ones apart from all of them.
    expect(html).toContain('<tr><td>scored with: nothing the model reads dated in the 365 days before the index date</td><td class="n">2</td></tr>');
    expect(html).toContain('<tr><td>patients, scored or not, with nothing the model reads dated in the 365 days before the index date</td><td class="n">3</td></tr>');
    const current = summary([scoredPerson("a", {}), scoredPerson("b", { lastRecord: "2023-06-01", lastRecordBeforeIndex: "2023-06-01" })]);
    expect(current).not.toContain('role="alert"');
  });
});

describe("summary.html: what the list and its drivers are", () => {
  it("says the list is ordered by risk, with ties by patient id, and what a driver's points are", () => {
    const html = summary([scoredPerson("a", { probability: 0.06, tier: "high" })]);
    expect(html).toContain("The list (high-risk.csv, high-risk-group.json) is ordered by risk, highest first");
    expect(html).toContain("patients with exactly the same risk are ordered by patient id.");
    expect(html).toContain("A point is a percentage point of the 1-year risk");
    expect(html).toContain("whether they raise or lower the risk");
  });

  it("says in the headline how many of the patients at or above the threshold a --top list holds", () => {
    // 3 at or above 5%, --top 2 lists 2 of them.
    const patients = [0.09, 0.07, 0.06, 0.01].map((p, i) => scoredPerson(`p${i}`, { probability: p, tier: p >= 0.05 ? "high" : "low" }));
    const tally = new PopulationTally(INDEX_DATE);
    for (const patient of patients) tally.add(patient);
    Object.assign(tally, { listed: 2, atOrAboveThreshold: 3 });
    const timing = { startedAt: "s", finishedAt: "f", seconds: 1, how: "single run" };
    const html = summaryHtml({ identity: identity(null), input, builderQuality: noBuilderCounts, tally, selection: { threshold: 0.05, top: 2 }, timing });
    expect(html).toContain('<div class="card"><b>2</b>in the high-risk list: the 2 riskiest of the 3 at or above 5.00% (--top 2)</div>');
    // Without --top the card names the list only.
    expect(summary(patients)).toContain('<div class="card"><b>0</b>in the high-risk list</div>');
  });
});

describe("summary.html: patient ids known only from references", () => {
  // The review: a Condition pointing at Patient/does-not-exist made the headline 3,001 patients
  // for 3,000 Patient resources.
  it("counts them apart, never as patients nor among those not scored", () => {
    const orphan = scoredPerson("ghost", { ...notScored, hasPatient: false, ageBand: null, sex: "unknown", ineligible: ["no_patient"] });
    const tally = new PopulationTally(INDEX_DATE);
    for (const patient of [scoredPerson("a"), scoredPerson("b", { ...notScored, ineligible: ["under_min_age"] }), orphan]) tally.add(patient);
    expect([tally.patients, tally.scored, tally.withoutPatientResource]).toEqual([2, 1, 1]);
    expect(tally.notScored).toEqual({ under_min_age: 1 });
    const html = summary([scoredPerson("a"), orphan]);
    expect(html).toContain('<div class="card"><b>1</b>patients</div>');
    expect(html).toContain('<div class="card"><b>0</b>not scored</div>');
    expect(html).toContain("<tr><td>patient ids referenced by resources but with no Patient resource in the input (not counted as patients, not scored)</td><td class=\"n\">1</td></tr>");
    expect(html).not.toMatch(/<td>no patient<\/td>/);
  });
});
