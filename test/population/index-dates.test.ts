import { describe, expect, it } from "vitest";
import type { Resource } from "fhir/r4";
import { dayFromCivil, dayToIsoDate } from "../../shared/fhir-dates.ts";
import { addYears, kneeOaDiagnosisDay, policyIndexDates } from "../../population/index-dates.ts";
import { condition, encounter, patient } from "./fixtures.ts";

const record = (...extra: Resource[]): Resource[] => [
  patient("p"),
  encounter("e1", "Patient/p", "2010-01-15T10:00:00Z"),
  encounter("e2", "Patient/p", "2016-06-30"),
  ...extra,
];

const kneeOa = (onset: string, status?: string): Resource => {
  const resource = condition("koa", "Patient/p", "239873007", onset) as unknown as Record<string, unknown>;
  if (status !== undefined) resource["verificationStatus"] = { coding: [{ code: status }] };
  return resource as unknown as Resource;
};

describe("policyIndexDates", () => {
  it("starts 3 years after the first record and stops when a year of follow-up is left", () => {
    expect(policyIndexDates(record())).toEqual({
      firstRecord: "2010-01-15",
      lastRecord: "2016-06-30",
      kneeOaDiagnosis: null,
      indexDates: [
        { indexDate: "2013-01-15", label: 0 },
        { indexDate: "2014-01-15", label: 0 },
        { indexDate: "2015-01-15", label: 0 },
      ],
    });
  });

  it("starts where the record starts, not at an old onset written down later", () => {
    // Obesity since 2005, recorded at the first visit (2010-01-15): the builder's history starts at
    // the visit, so index dates from 2008 would see no history at all.
    const oldOnset = { ...condition("obesity", "Patient/p", "414916001", "2005-03-01"), recordedDate: "2010-01-15" } as Resource;
    const plan = policyIndexDates(record(oldOnset));
    expect(plan.firstRecord).toBe("2010-01-15");
    expect(plan.indexDates.map((d) => d.indexDate)).toEqual(["2013-01-15", "2014-01-15", "2015-01-15"]);
    // Without a recordedDate the onset is the only date the builder has: it starts the record.
    expect(policyIndexDates(record(condition("obesity", "Patient/p", "414916001", "2005-03-01"))).firstRecord).toBe("2005-03-01");
  });

  it("labels the year that holds the diagnosis and stops before it", () => {
    const plan = policyIndexDates(record(kneeOa("2015-03-01")));
    expect(plan.kneeOaDiagnosis).toBe("2015-03-01");
    expect(plan.indexDates).toEqual([
      { indexDate: "2013-01-15", label: 0 },
      { indexDate: "2014-01-15", label: 0 },
      { indexDate: "2015-01-15", label: 1 },
    ]);
  });

  it("keeps an index date with short follow-up when its diagnosis is seen", () => {
    const plan = policyIndexDates(record(kneeOa("2016-06-30")));
    expect(plan.indexDates.slice(-2)).toEqual([
      { indexDate: "2015-01-15", label: 0 },
      { indexDate: "2016-01-15", label: 1 },
    ]);
  });

  it("ICD-10-CM knee OA counts; refuted and entered-in-error Conditions do not", () => {
    const icd: Resource = {
      ...condition("icd", "Patient/p", "x", "2014-05-01"),
      code: { coding: [{ system: "http://hl7.org/fhir/sid/icd-10-cm", code: "M17.11" }] },
    } as Resource;
    expect(kneeOaDiagnosisDay(record(icd))).toBe(dayFromCivil(2014, 5, 1));
    expect(kneeOaDiagnosisDay(record(kneeOa("2014-05-01", "refuted"), kneeOa("2014-06-01", "entered-in-error")))).toBeNull();
    expect(policyIndexDates(record(kneeOa("2014-05-01", "refuted"))).indexDates).toHaveLength(3);
  });

  it("finds knee OA coded only on an Encounter, as the feature builder does", () => {
    const visit = (id: string, start: string, extra: Record<string, unknown>): Resource =>
      ({ ...encounter(id, "Patient/p", start), ...extra }) as Resource;
    const kneeOaCode = { coding: [{ system: "http://snomed.info/sct", code: "239873007" }] };
    const byReason = visit("r", "2014-06-01", { reasonCode: [kneeOaCode] });
    expect(policyIndexDates(record(byReason))).toMatchObject({
      kneeOaDiagnosis: "2014-06-01",
      indexDates: [
        { indexDate: "2013-01-15", label: 0 },
        { indexDate: "2014-01-15", label: 1 },
      ],
    });
    const undated = { resourceType: "Condition", id: "d", subject: { reference: "Patient/p" }, code: kneeOaCode } as Resource;
    const byDiagnosis = visit("v", "2013-09-01", { diagnosis: [{ condition: { reference: "Condition/d" } }] });
    expect(kneeOaDiagnosisDay(record(undated, byDiagnosis))).toBe(dayFromCivil(2013, 9, 1));
  });

  it("gives no index date when the diagnosis comes before the first one", () => {
    expect(policyIndexDates(record(kneeOa("2011-01-01"))).indexDates).toEqual([]);
    expect(policyIndexDates(record(kneeOa("2013-01-14"))).indexDates).toEqual([]);
  });

  it("keeps an index date inside a partial diagnosis date's period, labelled 1, as the builder counts it on or after the index", () => {
    // First index date 2013-01-15; onset "2013" or "2013-01" may be on or after it.
    for (const onset of ["2013", "2013-01"]) {
      const plan = policyIndexDates(record(kneeOa(onset)));
      expect(plan.kneeOaDiagnosis).toBe("2013-01-01");
      expect(plan.indexDates).toEqual([{ indexDate: "2013-01-15", label: 1 }]);
    }
    // "2012-12" ended before 2013-01-15: a prevalent case.
    expect(policyIndexDates(record(kneeOa("2012-12"))).indexDates).toEqual([]);
  });

  it("labels one year only for a diagnosis dated by its year: the year in which the record shows it", () => {
    // "2015" may fall on any day of 2015. At index 2015-01-15 the builder does not yet see it (it
    // may be on or after that day), and by 2016-01-15 it does: the year from 2015-01-15 labels it.
    // The year from 2014-01-15 holds only 1-14 January 2015 of it, and the builder at 2015-01-15
    // cannot tell.
    expect(policyIndexDates(record(kneeOa("2015"))).indexDates).toEqual([
      { indexDate: "2013-01-15", label: 0 },
      { indexDate: "2014-01-15", label: 0 },
      { indexDate: "2015-01-15", label: 1 },
    ]);
  });

  it("labels the year in which a diagnosis is recorded, not the first index date after an old onset", () => {
    const recorded = (onset: string, recordedDate: string) => ({ ...kneeOa(onset), recordedDate }) as Resource;
    // Onset 2011, written down 2015-06-01: the index dates of 2013 and 2014 see no diagnosis within
    // their year (to 2014-01-15, to 2015-01-15); the one of 2015-01-15 does.
    const late = policyIndexDates(record(recorded("2011-03-01", "2015-06-01")));
    expect(late.kneeOaDiagnosis).toBe("2011-03-01");
    expect(late.indexDates).toEqual([
      { indexDate: "2013-01-15", label: 0 },
      { indexDate: "2014-01-15", label: 0 },
      { indexDate: "2015-01-15", label: 1 },
    ]);
    // Recorded within the first index date's year (2013-06-01 < 2014-01-15): that year is labelled.
    expect(policyIndexDates(record(recorded("2011-03-01", "2013-06-01"))).indexDates).toEqual([{ indexDate: "2013-01-15", label: 1 }]);
    // Recorded 2014-01-15, the end of the first year's window (exclusive): the next year's.
    expect(policyIndexDates(record(recorded("2013-06-01", "2014-01-15"))).indexDates).toEqual([
      { indexDate: "2013-01-15", label: 0 },
      { indexDate: "2014-01-15", label: 1 },
    ]);
  });

  it("keeps an index date on the diagnosis day itself (the builder reads only the days before it), labelled 1", () => {
    expect(policyIndexDates(record(kneeOa("2013-01-15"))).indexDates).toEqual([{ indexDate: "2013-01-15", label: 1 }]);
  });

  it("spans the record over the feature builder's types only", () => {
    const claim = { resourceType: "Claim", id: "c", patient: { reference: "Patient/p" }, billablePeriod: { start: "2005-01-01" } } as Resource;
    expect(policyIndexDates(record(claim))).toEqual(policyIndexDates(record()));
  });

  it("starts 1 year after the first record for a short history", () => {
    const short = [patient("p"), encounter("a", "Patient/p", "2014-01-01"), encounter("b", "Patient/p", "2016-01-01")];
    expect(policyIndexDates(short).indexDates).toEqual([{ indexDate: "2015-01-01", label: 0 }]);
  });

  it("keeps the latest dates with maxIndexDates, and none for an undated record", () => {
    expect(policyIndexDates(record(), { maxIndexDates: 1 }).indexDates).toEqual([{ indexDate: "2015-01-15", label: 0 }]);
    expect(policyIndexDates([patient("p")])).toEqual({
      firstRecord: null,
      lastRecord: null,
      kneeOaDiagnosis: null,
      indexDates: [],
    });
  });
});

describe("addYears", () => {
  it("keeps month and day, moving 29 February to 28 February in common years", () => {
    const leapDay = dayFromCivil(2016, 2, 29);
    expect(dayToIsoDate(addYears(leapDay, 1))).toBe("2017-02-28");
    expect(dayToIsoDate(addYears(leapDay, 4))).toBe("2020-02-29");
    expect(dayToIsoDate(addYears(dayFromCivil(2019, 12, 31), 3))).toBe("2022-12-31");
  });
});
