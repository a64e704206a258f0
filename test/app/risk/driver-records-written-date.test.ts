/**
 * The reasons' records carry the UTC day the model counts them on (`date`, unchanged: the trend's
 * events are dated by it) and, where the record writes another date, that date (`writtenDate`).
 */
import type { Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { recordsByDriver } from "../../../app/risk/driver-records.ts";
import { trendEvents } from "../../../app/risk/trend-events.ts";
import type { TrendPoint } from "../../../app/risk/risk-trend.ts";
import { CODES, condition, encounter } from "../../support/fhir-builders.ts";

const INDEX_DATE = "2025-01-01";
const dates = (resources: Resource[], key: string, scope: "evidence" | "history" = "evidence") =>
  recordsByDriver(resources, INDEX_DATE, scope)
    .get(key)
    ?.map((ref) => ({ id: ref.id, date: ref.date, writtenDate: ref.writtenDate }));

describe("recordsByDriver: the date a record writes", () => {
  it("keeps a visit at 21:36 at -04:00 counted on the next UTC day, and gives the day it was written on", () => {
    const visit = encounter("2024-03-01T21:36:00-04:00", { id: "evening", reasons: [CODES.diabetes] });
    for (const scope of ["evidence", "history"] as const) {
      expect(dates([visit], "diagnosis:diabetes", scope)).toEqual([{ id: "evening", date: "2024-03-02", writtenDate: "2024-03-01" }]);
    }
  });

  it("gives no written date where it is the counted day: UTC, an offset that stays on the day, a plain date", () => {
    const visits = [
      encounter("2024-03-01T10:00:00Z", { id: "utc", reasons: [CODES.diabetes] }),
      encounter("2024-02-01T10:00:00-04:00", { id: "morning", reasons: [CODES.diabetes] }),
      encounter("2024-01-01", { id: "date", reasons: [CODES.diabetes] }),
    ];
    expect(dates(visits, "diagnosis:diabetes")).toEqual([
      { id: "utc", date: "2024-03-01", writtenDate: undefined },
      { id: "morning", date: "2024-02-01", writtenDate: undefined },
      { id: "date", date: "2024-01-01", writtenDate: undefined },
    ]);
  });

  it("gives a Condition dated by its visit the visit's written date, and a year onset as written", () => {
    const visit = encounter("2024-03-01T21:36:00-04:00", { id: "evening" });
    const byVisit = condition(CODES.diabetes, { id: "by-visit", encounterId: "evening" });
    // An onset of a year ago: the model counts it from 1 January.
    const yearOnset = condition(CODES.diabetes, { id: "year", onsetDateTime: "2023", encounterId: "evening" });
    expect(dates([visit, byVisit, yearOnset], "diagnosis:diabetes")).toEqual([
      { id: "by-visit", date: "2024-03-02", writtenDate: "2024-03-01" },
      { id: "year", date: "2023-01-01", writtenDate: "2023" },
    ]);
  });

  it("lists newest first by the date shown, though the counted days say otherwise", () => {
    // "late" is the later instant (22:00 UTC on 1 March against 20:00 UTC), but written a day earlier.
    const visits = [
      encounter("2024-03-01T22:00:00Z", { id: "late", reasons: [CODES.diabetes] }),
      encounter("2024-03-02T01:00:00+05:00", { id: "east", reasons: [CODES.diabetes] }),
    ];
    expect(dates(visits, "diagnosis:diabetes")?.map((ref) => ref.id)).toEqual(["east", "late"]);
  });

  it("leaves the trend's events on the counted UTC day", () => {
    const visit = encounter("2024-03-31T21:36:00-04:00", { id: "evening", reasons: [CODES.aclInjury] });
    const records = recordsByDriver([visit], INDEX_DATE, "history");
    const points: TrendPoint[] = ["2024-03-01", "2024-04-01", "2024-05-01"].map((indexDate) => ({ indexDate, probability: 0.1, state: "risk" }));
    // Counted on 1 April (UTC): it first counts at the index date after that, 1 May.
    expect(trendEvents(points, records)).toEqual([{ date: "2024-04-01", label: "Knee injury", pointIndex: 2 }]);
  });
});
