// @vitest-environment jsdom
/**
 * "Records used" in Data quality is true where no risk is computed (the clinician review of
 * 2026-12: "Records used: 47" for Pedro Garcia, already diagnosed): the model used no record
 * there, whatever the feature builder counted while it found the diagnosis.
 */
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { LoadedRecord } from "../../../app/data/load-record.ts";
import { RECORD_QUERIES } from "../../../app/data/record-queries.ts";
import { DataQuality } from "../../../app/views/DataQuality.tsx";
import { buildFeatures } from "../../../shared/features/build-features.ts";
import type { PatientFeatures } from "../../../shared/features/types.ts";
import { CODES, condition, encounter, patient } from "../../support/fhir-builders.ts";

afterEach(cleanup);

const INDEX_DATE = "2026-12-02";

function record(): LoadedRecord {
  return {
    patientId: "p1",
    queries: RECORD_QUERIES.map((query) => ({ query, outcome: { status: "loaded", resources: [], dropped: {}, notModelInput: 0 } })),
  };
}

describe("DataQuality's records used", () => {
  it("says none, and why, for a patient already diagnosed (no risk), not the builder's count", () => {
    // Knee OA recorded in 2013, visits since: the builder reads them, the model is not run.
    const resources = [
      patient({ birthDate: "1947-06-06", gender: "male" }),
      condition(CODES.kneeOaSnomed, { onsetDateTime: "2013-04-12" }),
      condition(CODES.hypertension, { onsetDateTime: "2024-03-01" }),
      encounter("2025-01-10"),
      encounter("2025-06-10"),
      encounter("2026-02-10"),
    ];
    const features = buildFeatures(resources, INDEX_DATE);
    expect(features.eligibility.eligible).toBe(false);
    expect(features.eligibility.reasons).toContain("already_diagnosed");
    // The builder did count records: the number the review saw beside no risk.
    expect(features.quality.resourcesUsed).toBeGreaterThan(0);
    render(<DataQuality record={record()} features={features} />);
    expect(screen.getByTestId("records-used").textContent).toBe(
      `Records used: none, since no risk is computed for this patient (see the risk above); dated on or after the index date and ignored: ${features.quality.ignoredOnOrAfterIndex}.`,
    );
  });

  it("gives the count where a risk is computed", () => {
    const features = {
      indexDate: INDEX_DATE,
      demographics: { sex: "female", bmi: 27, historyYears: 3 },
      eligibility: { eligible: true, reasons: [], warnings: [] },
      quality: { skipped: {}, unmappedCodes: {}, resourcesUsed: 47, ignoredOnOrAfterIndex: 2 },
    } as unknown as PatientFeatures;
    render(<DataQuality record={record()} features={features} />);
    expect(screen.getByTestId("records-used").textContent).toBe("Records used: 47; dated on or after the index date and ignored: 2.");
  });
});
