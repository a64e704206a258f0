/** The sandbox EHR's chart: each part lists the patient's own records, newest first. */
import type { Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { readChart } from "../../../sandbox/ehr/chart.ts";
import { createSearchEngine } from "../../../sandbox/fhir/search-engine.ts";
import { condition, patient, procedure, snomed } from "../../support/fhir-builders.ts";

const TKR = { ...snomed("609588000"), display: "Total knee replacement" };
/** The resource, as `patientId`'s. */
const of = (patientId: string, resource: Resource): Resource => ({ ...resource, subject: { reference: `Patient/${patientId}` } }) as Resource;
const RECORD: Resource[] = [
  patient({ id: "p1" }),
  patient({ id: "p2" }),
  of("p1", procedure(TKR, { performedDateTime: "2023-04-05T10:00:00Z" }, { id: "tkr" })),
  of("p1", procedure({ ...snomed("80146002"), display: "Appendectomy" }, { performedPeriod: { start: "2019-01-02" } }, { id: "old" })),
  of("p1", procedure(TKR, { performedDateTime: "2025-09-09" }, { id: "planned", status: "preparation" })),
  of("p2", procedure(TKR, { performedDateTime: "2024-01-01" }, { id: "theirs" })),
  of("p1", condition(snomed("44054006"), { id: "dm", onsetDateTime: "2020-01-01" })),
];

describe("readChart", () => {
  it("lists the patient's procedures newest first, dated by when performed, with a status other than completed said", async () => {
    const engine = await createSearchEngine(RECORD, "http://127.0.0.1/fhir", { defaultCount: 50, maxCount: 500 });
    const chart = await readChart(engine, "p1", []);
    expect(chart?.procedures).toEqual([
      { date: "2025-09-09", text: "Total knee replacement (preparation)" },
      { date: "2023-04-05", text: "Total knee replacement" },
      { date: "2019-01-02", text: "Appendectomy" },
    ]);
    expect((await readChart(engine, "p2", []))?.procedures).toEqual([{ date: "2024-01-01", text: "Total knee replacement" }]);
  });
});
