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

  it("marks knee pain once in a month, from its first record there", () => {
    const pain = (id: string, date: string): RecordRef => ({ resourceType: "Condition", id, date, codings: [] });
    const points = [point("2023-12-15", "risk"), point("2024-01-15", "risk"), point("2024-02-15", "risk")];
    // 2024-01-20 is 5 days after 2024-01-15: not new.
    const events = trendEvents(points, new Map([["diagnosis:knee_pain", [pain("a", "2024-01-15"), pain("b", "2024-01-20")]]]));
    expect(events).toEqual([{ date: "2024-01-15", label: "Knee pain", pointIndex: 2 }]);
  });

  it("marks every month in which knee pain or a knee injury is recorded, however recent the last one", () => {
    const ref = (id: string, date: string): RecordRef => ({ resourceType: "Encounter", id, date, codings: [] });
    const months = ["2025-12-01", "2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01"];
    const points = months.map((m) => point(m, "risk"));
    const records = new Map([
      // Knee pain 2025-12-10, then again 39 and 83 days later: each is a visit the model counts.
      ["diagnosis:knee_pain", [ref("p1", "2025-12-10"), ref("p2", "2026-01-18"), ref("p3", "2026-03-02")]],
      ["diagnosis:knee_injury", [ref("i1", "2026-01-05"), ref("i2", "2026-02-20")]],
      ["medication:nsaid_oral", [ref("n1", "2026-03-10")]],
      ["medication:paracetamol", [ref("c1", "2026-03-12")]],
    ]);
    expect(trendEvents(points, records)).toEqual([
      { date: "2025-12-10", label: "Knee pain", pointIndex: 1 },
      { date: "2026-01-05", label: "Knee injury", pointIndex: 2 },
      { date: "2026-01-18", label: "Knee pain", pointIndex: 2 },
      { date: "2026-02-20", label: "Knee injury", pointIndex: 3 },
      { date: "2026-03-02", label: "Knee pain", pointIndex: 4 },
      { date: "2026-03-10", label: "New oral NSAID course", pointIndex: 4 },
      { date: "2026-03-12", label: "New paracetamol course", pointIndex: 4 },
    ]);
  });

  it("marks only the BMI readings the feature builder accepts: no implausible value, no unknown unit", () => {
    const record = [
      patient({ birthDate: "1960-05-20" }),
      encounter("2023-01-10"),
      observation(LOINC.bmi, 34.2, "kg/m2", "2023-06-01"),
      observation(LOINC.bmi, 500, "kg/m2", "2023-09-01"),
      observation(LOINC.bmi, 28, "lb/in2", "2023-10-01"),
      // No unit: the builder reads kg/m2.
      observation(LOINC.bmi, 35.5, undefined, "2023-11-01"),
      observation(LOINC.bmi, 36, "kg/m2", "2024-01-08"),
    ];
    const points = ["2023-05-15", "2023-06-15", "2023-07-15", "2023-08-15", "2023-09-15", "2023-10-15", "2023-11-15", "2023-12-15", "2024-01-15"].map((d) =>
      point(d, "risk"),
    );
    // 500 and 28 lb/in2 are skipped; 35.5 is 1.3 above 34.2; 36.0 is 0.5 above 35.5 (noise).
    expect(trendEventsOf(points, record, "2024-02-20")).toEqual([{ date: "2023-11-01", label: "BMI 35.5 (was 34.2)", pointIndex: 6 }]);
  });
});
