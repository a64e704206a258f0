import { describe, expect, it } from "vitest";
import type { Resource } from "fhir/r4";
import { dayFromCivil } from "../../shared/fhir-dates.ts";
import { recordSpan, resourceDay } from "../../shared/record-dates.ts";

const as = (value: object) => value as Resource;

describe("resourceDay", () => {
  it("reads each type's clinical date with its fallbacks, in UTC", () => {
    expect(resourceDay(as({ resourceType: "Encounter", period: { start: "2019-04-01T23:30:00-05:00" } }))).toBe(
      dayFromCivil(2019, 4, 2),
    );
    expect(resourceDay(as({ resourceType: "Condition", onsetPeriod: { start: "2019-04" }, recordedDate: "2020" }))).toBe(
      dayFromCivil(2019, 4, 1),
    );
    expect(resourceDay(as({ resourceType: "Observation", issued: "2018-02-03T00:00:00Z" }))).toBe(dayFromCivil(2018, 2, 3));
    expect(resourceDay(as({ resourceType: "MedicationDispense", whenHandedOver: "2017-07-07" }))).toBe(dayFromCivil(2017, 7, 7));
  });

  it("gives null for undated types, missing and invalid dates", () => {
    expect(resourceDay(as({ resourceType: "Patient", birthDate: "1950-01-01" }))).toBeNull();
    expect(resourceDay(as({ resourceType: "Encounter" }))).toBeNull();
    expect(resourceDay(as({ resourceType: "MedicationRequest", authoredOn: "2019-02-30" }))).toBeNull();
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
});
