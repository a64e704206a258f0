// @vitest-environment jsdom
/** Data quality names the latest entry the model reads before the index date, current or not. */
import { cleanup, render, screen } from "@testing-library/react";
import type { Resource } from "fhir/r4";
import { afterEach, describe, expect, it } from "vitest";
import type { LoadedRecord } from "../../../app/data/load-record.ts";
import { RECORD_QUERIES } from "../../../app/data/record-queries.ts";
import { DataQuality } from "../../../app/views/DataQuality.tsx";
import type { PatientFeatures } from "../../../shared/features/types.ts";
import { encounter, LOINC, observation } from "../../support/fhir-builders.ts";

afterEach(cleanup);

const INDEX_DATE = "2026-01-15";

/** Every query loaded, with these resources for the keys given. */
function record(resources: Record<string, Resource[]>): LoadedRecord {
  return {
    patientId: "p1",
    queries: RECORD_QUERIES.map((query) => ({ query, outcome: { status: "loaded", resources: resources[query.key] ?? [], dropped: {}, notModelInput: 0 } })),
  };
}

const features = {
  indexDate: INDEX_DATE,
  demographics: { sex: "female", bmi: 27, historyYears: 3 },
  eligibility: { eligible: true, reasons: [], warnings: [] },
  quality: { skipped: {}, unmappedCodes: {}, resourcesUsed: 2, ignoredOnOrAfterIndex: 1 },
} as unknown as PatientFeatures;

describe("DataQuality: the latest entry", () => {
  it("is the latest visit, diagnosis, medicine or body measure dated before the index date, as a <time>", () => {
    const loaded = record({
      encounters: [encounter("2025-06-02"), encounter("2026-02-01")],
      bodyMeasures: [observation(LOINC.bmi, 27, "kg/m2", "2025-10-24")],
    });
    render(<DataQuality record={loaded} features={features} />);
    const line = screen.getByTestId("latest-entry");
    expect(line.textContent).toBe("Latest entry the model reads before the index date: 2025-10-24.");
    expect([...line.querySelectorAll("time")].map((t) => t.textContent)).toEqual(["2025-10-24"]);
  });

  it("says none dated when nothing before the index date is", () => {
    render(<DataQuality record={record({ encounters: [encounter("2026-02-01")] })} features={features} />);
    expect(screen.getByTestId("latest-entry").textContent).toBe("Latest entry the model reads before the index date: none dated.");
  });
});
