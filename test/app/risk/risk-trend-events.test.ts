/** An event on the trend never sits on a date before the record starts. */
import { describe, expect, it } from "vitest";
import type { RecordRef } from "../../../app/risk/driver-records.ts";
import type { TrendPoint } from "../../../app/risk/risk-trend.ts";
import { recordsByDriver } from "../../../app/risk/driver-records.ts";
import { trendEvents, trendEventsOf } from "../../../app/risk/trend-events.ts";
import { encounter, LOINC, observation, patient } from "../../support/fhir-builders.ts";

const point = (indexDate: string, state: TrendPoint["state"]): TrendPoint => ({ indexDate, probability: state === "risk" ? 0.004 : null, state });

describe("trendEvents and the start of the record", () => {
  it("puts an event dated before the record starts (an old onset recorded later) on the first date with a record", () => {
    const points = [point("2023-10-15", "no-record"), point("2023-11-15", "no-record"), point("2023-12-15", "risk"), point("2024-01-15", "risk")];
    const injury: RecordRef = { resourceType: "Condition", id: "acl", date: "2023-10-20", codings: [] };
    const events = trendEvents(points, new Map([["diagnosis:knee_injury", [injury]]]));
    // The first date after 2023-10-20 is 2023-11-15, but nothing counts there yet: 2023-12-15 (index 2).
    expect(events).toEqual([{ date: "2023-10-20", label: "Knee injury", pointIndex: 2 }]);
  });

  it("marks a stated BMI change of 1 or more from the record's history, not only from the BMI the model uses now", () => {
    const record = [
      patient({ birthDate: "1960-05-20" }),
      encounter("2023-01-10"),
      observation(LOINC.bmi, 28.1, "kg/m2", "2023-06-01"),
      observation(LOINC.bmi, 28.5, "kg/m2", "2023-09-01"),
      observation(LOINC.bmi, 29.6, "kg/m2", "2024-01-08"),
    ];
    const points = [point("2023-12-15", "risk"), point("2024-01-15", "risk"), point("2024-02-15", "risk")];
    // 28.5 to 29.6 is a change of 1.1 (28.1 to 28.5 is noise): counted from the first date after 2024-01-08.
    expect(trendEventsOf(points, record, "2024-02-20")).toEqual([
      { date: "2024-01-08", label: "BMI 29.6 (was 28.5)", pointIndex: 1 },
    ]);
    // The reasons' records hold only the BMI the model uses now: no change to see there.
    expect(recordsByDriver(record, "2024-02-20").get("bmi")?.map((ref) => ref.date)).toEqual(["2024-01-08"]);
  });

  it("marks the first knee pain after a quiet year, the diagnosis that moves this model most", () => {
    const pain = (id: string, date: string): RecordRef => ({ resourceType: "Condition", id, date, codings: [] });
    const points = [point("2023-12-15", "risk"), point("2024-01-15", "risk"), point("2024-02-15", "risk")];
    // 2024-01-20 is 5 days after 2024-01-15: not new.
    const events = trendEvents(points, new Map([["diagnosis:knee_pain", [pain("a", "2024-01-15"), pain("b", "2024-01-20")]]]));
    expect(events).toEqual([{ date: "2024-01-15", label: "Knee pain", pointIndex: 2 }]);
  });
});

