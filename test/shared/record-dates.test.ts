import { describe, expect, it } from "vitest";
import type { Resource } from "fhir/r4";
import { buildFeatures } from "../../shared/features/build-features.ts";
import { dayFromCivil, dayToIsoDate, parseFhirDay } from "../../shared/fhir-dates.ts";
import { recordDay, recordLastDays, recordSpan, resourceDay } from "../../shared/record-dates.ts";
import { simulateCohort } from "../../models/cohort/simulate.ts";
import { CODES, concept } from "../support/fhir-builders.ts";

const as = (value: object) => value as Resource;
const KNEE_OA = concept(CODES.kneeOaSnomed);

describe("resourceDay", () => {
  it("reads each type's clinical date with its fallbacks, in UTC", () => {
    expect(resourceDay(as({ resourceType: "Encounter", period: { start: "2019-04-01T23:30:00-05:00" } }))).toBe(
      dayFromCivil(2019, 4, 2),
    );
    expect(resourceDay(as({ resourceType: "Condition", code: KNEE_OA, onsetPeriod: { start: "2019-04" }, recordedDate: "2020" }))).toBe(
      dayFromCivil(2019, 4, 1),
    );
    expect(resourceDay(as({ resourceType: "Condition", code: KNEE_OA, recordedDate: "2019-08-09" }))).toBe(dayFromCivil(2019, 8, 9));
    expect(resourceDay(as({ resourceType: "Observation", issued: "2018-02-03T00:00:00Z" }))).toBe(dayFromCivil(2018, 2, 3));
    expect(
      resourceDay(as({ resourceType: "Observation", effectiveInstant: "2018-02-01T10:00:00Z", issued: "2018-02-03T00:00:00Z" })),
    ).toBe(dayFromCivil(2018, 2, 1));
    expect(resourceDay(as({ resourceType: "MedicationDispense", whenHandedOver: "2017-07-07" }))).toBe(dayFromCivil(2017, 7, 7));
    expect(resourceDay(as({ resourceType: "MedicationDispense", whenPrepared: "2017-07-05" }))).toBe(dayFromCivil(2017, 7, 5));
  });

  it("dates a MedicationRequest by authoredOn, else dispenseRequest.validityPeriod.start", () => {
    const validity = { dispenseRequest: { validityPeriod: { start: "2018-03-10", end: "2019-03-09" } } };
    expect(resourceDay(as({ resourceType: "MedicationRequest", ...validity }))).toBe(dayFromCivil(2018, 3, 10));
    expect(resourceDay(as({ resourceType: "MedicationRequest", authoredOn: "2018-01-05", ...validity }))).toBe(
      dayFromCivil(2018, 1, 5),
    );
    // The first present date decides: an invalid authoredOn does not fall back to the validity period.
    expect(resourceDay(as({ resourceType: "MedicationRequest", authoredOn: "2018-02-30", ...validity }))).toBeNull();
  });

  it("dates a MedicationStatement by effectivePeriod.start when it has a period, else effectiveDateTime, never dateAsserted", () => {
    expect(resourceDay(as({ resourceType: "MedicationStatement", dateAsserted: "2018-06-01" }))).toBeNull();
    expect(
      resourceDay(as({ resourceType: "MedicationStatement", effectiveDateTime: "2018-05-05", dateAsserted: "2018-06-01" })),
    ).toBe(dayFromCivil(2018, 5, 5));
    expect(
      resourceDay(
        as({ resourceType: "MedicationStatement", effectivePeriod: { start: "2017-01-01" }, effectiveDateTime: "2017-05-05" }),
      ),
    ).toBe(dayFromCivil(2017, 1, 1));
    // A period without a start leaves the statement undated, as in the builder ("no usable date").
    expect(
      resourceDay(
        as({ resourceType: "MedicationStatement", effectivePeriod: { end: "2017-12-31" }, effectiveDateTime: "2017-05-05" }),
      ),
    ).toBeNull();
  });

  it("dates an Encounter by period.start, else period.end", () => {
    // 22:00 at -04:00 is 02:00 UTC the next day.
    expect(resourceDay(as({ resourceType: "Encounter", period: { end: "2016-09-30T22:00:00-04:00" } }))).toBe(
      dayFromCivil(2016, 10, 1),
    );
    expect(resourceDay(as({ resourceType: "Encounter", period: { start: "2016-09-01", end: "2016-09-30" } }))).toBe(
      dayFromCivil(2016, 9, 1),
    );
  });

  it("gives null for undated types, missing and invalid dates", () => {
    expect(resourceDay(as({ resourceType: "Patient", birthDate: "1950-01-01" }))).toBeNull();
    expect(resourceDay(as({ resourceType: "Encounter" }))).toBeNull();
    expect(resourceDay(as({ resourceType: "MedicationRequest", authoredOn: "2019-02-30" }))).toBeNull();
    expect(resourceDay(as({ resourceType: "constructor", period: { start: "2019-01-01" } }))).toBeNull();
  });
});

describe("recordSpan", () => {
  it("spans the first and last dated resources of the types the feature builder reads, ignoring the rest", () => {
    const span = recordSpan([
      as({ resourceType: "Patient", birthDate: "1900-01-01" }),
      as({ resourceType: "Observation", effectiveDateTime: "2012-05-05" }),
      as({ resourceType: "MedicationRequest", authoredOn: "2010-01-01" }),
      as({ resourceType: "Encounter", period: { start: "bad" } }),
      // Types the builder does not read do not move the span, whichever reader kept them.
      as({ resourceType: "Claim", billablePeriod: { start: "2009-01-01" }, created: "2009-01-01" }),
      as({ resourceType: "Immunization", occurrenceDateTime: "2014-01-01" }),
      as({ resourceType: "Procedure", performedDateTime: "2014-01-01" }),
    ]);
    expect(span).toEqual({ first: dayFromCivil(2010, 1, 1), last: dayFromCivil(2012, 5, 5) });
    expect(recordSpan([])).toBeNull();
  });

  it("starts at a validity period and ends at an Encounter's end, or at a later dateAsserted (the record was in use that day)", () => {
    const resources = [
      as({ resourceType: "MedicationRequest", dispenseRequest: { validityPeriod: { start: "2011-02-03" } } }),
      as({ resourceType: "Observation", effectiveDateTime: "2012-05-05" }),
      as({ resourceType: "Encounter", period: { end: "2013-11-30" } }),
    ];
    expect(recordSpan(resources)).toEqual({ first: dayFromCivil(2011, 2, 3), last: dayFromCivil(2013, 11, 30) });
    const asserted = as({ resourceType: "MedicationStatement", effectiveDateTime: "2012-01-01", dateAsserted: "2015-01-01" });
    expect(recordSpan([...resources, asserted])).toEqual({ first: dayFromCivil(2011, 2, 3), last: dayFromCivil(2015, 1, 1) });
    // Its evidence day stays the day it was taken.
    expect(resourceDay(asserted)).toBe(dayFromCivil(2012, 1, 1));
  });
});

describe("resources the feature builder ignores for their status", () => {
  const observation = as({ resourceType: "Observation", status: "final", effectiveDateTime: "2012-05-05" });
  const request = as({ resourceType: "MedicationRequest", status: "active", authoredOn: "2010-01-01" });

  it("an entered-in-error or cancelled Encounter, the only late resource, leaves the span of the others", () => {
    for (const status of ["entered-in-error", "cancelled"]) {
      const late = as({ resourceType: "Encounter", status, period: { start: "2016-01-01" } });
      expect(resourceDay(late), status).toBeNull();
      // Without it: 2010-01-01 (the order) to 2012-05-05 (the Observation), not to 2016-01-01.
      expect(recordSpan([request, observation, late]), status).toEqual({
        first: dayFromCivil(2010, 1, 1),
        last: dayFromCivil(2012, 5, 5),
      });
    }
    // A finished Encounter on the same day does end the span.
    const finished = as({ resourceType: "Encounter", status: "finished", period: { start: "2016-01-01" } });
    expect(recordSpan([request, observation, finished])).toEqual({ first: dayFromCivil(2010, 1, 1), last: dayFromCivil(2016, 1, 1) });
  });

  it("a cancelled, draft, entered-in-error or doNotPerform MedicationRequest does not date the record", () => {
    for (const extra of [{ status: "cancelled" }, { status: "draft" }, { status: "entered-in-error" }, { doNotPerform: true }]) {
      const early = as({ resourceType: "MedicationRequest", authoredOn: "2009-01-01", ...extra });
      const label = JSON.stringify(extra);
      expect(resourceDay(early), label).toBeNull();
      expect(recordSpan([early]), label).toBeNull();
      // The span starts at the active order (2010-01-01), not at the ignored one (2009-01-01).
      expect(recordSpan([early, request, observation]), label).toEqual({ first: dayFromCivil(2010, 1, 1), last: dayFromCivil(2012, 5, 5) });
    }
    // A stopped order counts as ordered (models/FEATURES.md), so it dates the record.
    expect(resourceDay(as({ resourceType: "MedicationRequest", status: "stopped", authoredOn: "2009-01-01" }))).toBe(dayFromCivil(2009, 1, 1));
    expect(resourceDay(as({ resourceType: "MedicationRequest", doNotPerform: false, authoredOn: "2009-01-01" }))).toBe(dayFromCivil(2009, 1, 1));
  });

  it("a refuted or entered-in-error Condition does not date the record, coded or as a plain STU3 string", () => {
    const verification = (code: string) => ({
      coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-ver-status", code }],
    });
    for (const verificationStatus of [verification("refuted"), verification("entered-in-error"), "refuted", "entered-in-error"]) {
      const condition = as({ resourceType: "Condition", code: KNEE_OA, verificationStatus, onsetDateTime: "2008-03-03" });
      expect(resourceDay(condition), JSON.stringify(verificationStatus)).toBeNull();
      expect(recordSpan([condition, request, observation])).toEqual({ first: dayFromCivil(2010, 1, 1), last: dayFromCivil(2012, 5, 5) });
    }
    // Statuses the builder counts: provisional, and a resolved clinicalStatus.
    const counted = [
      { verificationStatus: verification("provisional") },
      { verificationStatus: "unconfirmed" },
      { clinicalStatus: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "resolved" }] } },
    ];
    for (const extra of counted) {
      expect(resourceDay(as({ resourceType: "Condition", code: KNEE_OA, onsetDateTime: "2008-03-03", ...extra }))).toBe(dayFromCivil(2008, 3, 3));
    }
  });

  it("ignored MedicationStatements, MedicationDispenses and Observations are undated; other statuses are dated", () => {
    const ignored = [
      as({ resourceType: "MedicationStatement", status: "not-taken", effectiveDateTime: "2011-01-01" }),
      as({ resourceType: "MedicationStatement", status: "intended", effectiveDateTime: "2011-01-01" }),
      as({ resourceType: "MedicationStatement", status: "entered-in-error", effectiveDateTime: "2011-01-01" }),
      as({ resourceType: "MedicationDispense", status: "declined", whenHandedOver: "2011-01-01" }),
      as({ resourceType: "MedicationDispense", status: "cancelled", whenHandedOver: "2011-01-01" }),
      as({ resourceType: "MedicationDispense", status: "entered-in-error", whenHandedOver: "2011-01-01" }),
      as({ resourceType: "Observation", status: "cancelled", effectiveDateTime: "2011-01-01" }),
      as({ resourceType: "Observation", status: "entered-in-error", effectiveDateTime: "2011-01-01" }),
    ];
    for (const resource of ignored) expect(resourceDay(resource), JSON.stringify(resource)).toBeNull();
    expect(recordSpan(ignored)).toBeNull();
    const counted = [
      as({ resourceType: "MedicationStatement", status: "completed", effectiveDateTime: "2011-01-01" }),
      as({ resourceType: "MedicationDispense", status: "completed", whenHandedOver: "2011-01-01" }),
      as({ resourceType: "Observation", status: "preliminary", effectiveDateTime: "2011-01-01" }),
      // A status the builder ignores for another type (a Dispense's "declined") counts here.
      as({ resourceType: "MedicationRequest", status: "declined", authoredOn: "2011-01-01" }),
    ];
    for (const resource of counted) expect(resourceDay(resource), JSON.stringify(resource)).toBe(dayFromCivil(2011, 1, 1));
  });
});

describe("Conditions the feature builder can never use for their content", () => {
  const observation = as({ resourceType: "Observation", status: "final", effectiveDateTime: "2012-05-05" });

  it("a Condition without a coded code, or with an invalid recordedDate, does not start the span", () => {
    const early = [
      as({ resourceType: "Condition", onsetDateTime: "2008-03-03" }),
      as({ resourceType: "Condition", code: { coding: [] }, onsetDateTime: "2008-03-03" }),
      // Text alone is no code: the builder matches coded codings only.
      as({ resourceType: "Condition", code: { text: "knee pain" }, onsetDateTime: "2008-03-03" }),
      as({ resourceType: "Condition", code: KNEE_OA, onsetDateTime: "2008-03-03", recordedDate: "2008-13-01" }),
    ];
    for (const condition of early) {
      expect(resourceDay(condition), JSON.stringify(condition)).toBeNull();
      // Without it the span is the Observation's day alone, not 2008-03-03 to 2012-05-05.
      expect(recordSpan([condition, observation])).toEqual({ first: dayFromCivil(2012, 5, 5), last: dayFromCivil(2012, 5, 5) });
    }
    // With a code and a valid recordedDate it is usable, dated by its onset.
    expect(resourceDay(as({ resourceType: "Condition", code: KNEE_OA, onsetDateTime: "2008-03-03", recordedDate: "2009-01-01" }))).toBe(
      dayFromCivil(2008, 3, 3),
    );
  });
});

describe("record-dates and the feature builder", () => {
  const INDEX_DATE = "2021-01-01";
  const INDEX_DAY = dayFromCivil(2021, 1, 1);
  const DAYS_PER_YEAR = 365.25;

  /** Whether the builder's record history counts a one-resource record at this index day. */
  const builderSees = (resource: Resource, indexDay: number): boolean =>
    buildFeatures([resource], dayToIsoDate(indexDay)).demographics.historyYears > 0;

  /** The day the builder counts a one-resource record on as evidence, or null when it cannot
   * date it: the knee OA diagnosis day for a diagnosis, else the start of its history (every
   * date below is within the history's 3-year cap). */
  function builderEvidenceDay(resource: Resource): number | null {
    const features = buildFeatures([resource], INDEX_DATE);
    const diagnosed = features.eligibility.alreadyDiagnosed?.date;
    if (diagnosed !== undefined) return parseFhirDay(diagnosed);
    const years = features.demographics.historyYears;
    return years === 0 ? null : INDEX_DAY - Math.round(years * DAYS_PER_YEAR);
  }

  // Conditions whose recordedDate and onset differ: the history counts them from the later one.
  const recordedAfterOnset = as({ resourceType: "Condition", code: KNEE_OA, onsetPeriod: { start: "2019-04-02" }, recordedDate: "2019-08-01" });
  const recordedBeforeOnset = as({ resourceType: "Condition", code: KNEE_OA, onsetDateTime: "2019-09-01", recordedDate: "2019-07-01" });
  // A MedicationStatement asserted after it was taken: likewise from the assertion.
  const assertedLater = as({ resourceType: "MedicationStatement", effectiveDateTime: "2019-05-05", dateAsserted: "2019-06-01" });
  const enteredRecord = new Map([
    [assertedLater, dayFromCivil(2019, 6, 1)],
    [recordedAfterOnset, dayFromCivil(2019, 8, 1)],
    [recordedBeforeOnset, dayFromCivil(2019, 9, 1)],
  ]);

  const resources: Resource[] = [
    as({ resourceType: "MedicationRequest", status: "active", dispenseRequest: { validityPeriod: { start: "2019-03-10" } } }),
    as({ resourceType: "MedicationRequest", authoredOn: "2019-01-05", dispenseRequest: { validityPeriod: { start: "2019-03-10" } } }),
    as({ resourceType: "MedicationRequest", authoredOn: "2019-02-30", dispenseRequest: { validityPeriod: { start: "2019-03-10" } } }),
    as({ resourceType: "MedicationStatement", status: "completed", dateAsserted: "2019-06-01" }),
    assertedLater,
    as({ resourceType: "MedicationStatement", effectivePeriod: { start: "2019-01-01" }, effectiveDateTime: "2019-05-05" }),
    as({ resourceType: "MedicationStatement", effectivePeriod: { end: "2019-12-31" }, effectiveDateTime: "2019-05-05" }),
    as({ resourceType: "MedicationDispense", whenPrepared: "2019-07-05" }),
    as({ resourceType: "Encounter", status: "finished", period: { end: "2019-09-30T22:00:00-04:00" } }),
    as({ resourceType: "Encounter", status: "finished" }),
    recordedAfterOnset,
    recordedBeforeOnset,
    as({ resourceType: "Condition", code: KNEE_OA, recordedDate: "2019-08-09" }),
    as({ resourceType: "Observation", status: "final", effectiveInstant: "2019-02-01T10:00:00Z", issued: "2019-02-03T00:00:00Z" }),
    as({ resourceType: "Observation", status: "final", issued: "2019-02-03T00:00:00Z" }),
    // Ignored for their status by the builder, whatever the index date: undated.
    as({ resourceType: "Encounter", status: "entered-in-error", period: { start: "2019-06-01" } }),
    as({ resourceType: "Encounter", status: "cancelled", period: { start: "2019-06-01" } }),
    as({ resourceType: "Condition", code: KNEE_OA, verificationStatus: "refuted", onsetDateTime: "2019-06-01" }),
    as({ resourceType: "MedicationRequest", status: "cancelled", authoredOn: "2019-06-01" }),
    as({ resourceType: "MedicationRequest", doNotPerform: true, authoredOn: "2019-06-01" }),
    as({ resourceType: "MedicationStatement", status: "not-taken", effectiveDateTime: "2019-06-01" }),
    as({ resourceType: "MedicationDispense", status: "declined", whenHandedOver: "2019-06-01" }),
    as({ resourceType: "Observation", status: "cancelled", effectiveDateTime: "2019-06-01" }),
    // Statuses the builder counts: dated.
    as({ resourceType: "MedicationRequest", status: "stopped", authoredOn: "2019-06-02" }),
    as({ resourceType: "Condition", code: KNEE_OA, verificationStatus: "provisional", onsetDateTime: "2019-06-03" }),
    // Never usable for its content, whatever the index date: undated.
    as({ resourceType: "Condition", onsetDateTime: "2019-06-04" }),
    as({ resourceType: "Condition", code: { text: "  " }, onsetDateTime: "2019-06-04" }),
    as({ resourceType: "Condition", code: KNEE_OA, onsetDateTime: "2019-06-04", recordedDate: "2019-02-30" }),
  ];

  it("date every resource on the day the builder counts it, start the span where the builder's history starts, or leave it undated when the builder cannot date it", () => {
    const expected = [
      dayFromCivil(2019, 3, 10),
      dayFromCivil(2019, 1, 5),
      null,
      null,
      dayFromCivil(2019, 5, 5),
      dayFromCivil(2019, 1, 1),
      null,
      dayFromCivil(2019, 7, 5),
      dayFromCivil(2019, 10, 1),
      null,
      dayFromCivil(2019, 4, 2),
      dayFromCivil(2019, 9, 1),
      dayFromCivil(2019, 8, 9),
      dayFromCivil(2019, 2, 1),
      dayFromCivil(2019, 2, 3),
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      dayFromCivil(2019, 6, 2),
      dayFromCivil(2019, 6, 3),
      null,
      null,
      null,
    ];
    for (const [i, resource] of resources.entries()) {
      const label = JSON.stringify(resource);
      const entered = enteredRecord.get(resource) ?? expected[i] ?? null;
      expect(builderEvidenceDay(resource), `builder evidence: ${label}`).toBe(expected[i]);
      expect(resourceDay(resource), `resourceDay: ${label}`).toBe(expected[i]);
      expect(recordDay(resource), `recordDay: ${label}`).toBe(entered);
      expect(recordSpan([resource]), `recordSpan: ${label}`).toEqual(entered === null ? null : { first: entered, last: entered });
      // The builder's history counts the resource at index dates after its record day, not on it.
      if (entered === null) expect(builderSees(resource, INDEX_DAY), `builder history: ${label}`).toBe(false);
      else {
        expect(builderSees(resource, entered), `builder history on the day: ${label}`).toBe(false);
        expect(builderSees(resource, entered + 1), `builder history the day after: ${label}`).toBe(true);
      }
    }
  });
});

describe("recordLastDays and recordSpan against recordDay resource by resource", () => {
  it("give the days a plain pass over recordDay gives, for simulated records with uncounted resources mixed in at every place", () => {
    // Resources the builder never counts, dated to move every bound if they were counted.
    const uncounted = (day: string): Resource[] => [
      as({ resourceType: "Encounter", status: "entered-in-error", subject: { reference: "Patient/x" }, period: { start: day } }),
      as({ resourceType: "Condition", subject: { reference: "Patient/x" }, onsetDateTime: day }),
    ];
    let checked = 0;
    for (const { resources } of simulateCohort({ patients: 40, seed: 11, endDate: "2025-06-30" })) {
      const mixed = [...uncounted("1900-01-01"), ...resources.slice(0, 20), ...uncounted("2025-06-29"), ...resources.slice(20), ...uncounted("2099-01-01")];
      for (const beforeDay of [dayFromCivil(2024, 1, 1), dayFromCivil(2025, 6, 1), dayFromCivil(2030, 1, 1)]) {
        const days = mixed.map(recordDay).filter((d): d is number => d !== null);
        const before = days.filter((d) => d < beforeDay);
        const { last, lastBefore } = recordLastDays(mixed, beforeDay);
        expect({ last, lastBefore }).toEqual({
          last: days.length === 0 ? null : Math.max(...days),
          lastBefore: before.length === 0 ? null : Math.max(...before),
        });
        expect(recordSpan(mixed)).toEqual(days.length === 0 ? null : { first: Math.min(...days), last: Math.max(...days) });
        checked += 1;
      }
    }
    expect(checked).toBe(120);
  });
});
