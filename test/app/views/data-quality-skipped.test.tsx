// @vitest-environment jsdom
/** The data-quality section lists what did not reach the model and why. */
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { LoadedRecord } from "../../../app/data/load-record.ts";
import { RECORD_QUERIES } from "../../../app/data/record-queries.ts";
import { DataQuality } from "../../../app/views/DataQuality.tsx";
import type { PatientFeatures } from "../../../shared/features/types.ts";

afterEach(cleanup);

/** Every query loaded and empty, but for the outcomes given by key. */
function record(outcomes: Record<string, { dropped?: Record<string, number>; notModelInput?: number }>): LoadedRecord {
  return {
    patientId: "p1",
    queries: RECORD_QUERIES.map((query) => ({
      query,
      outcome: { status: "loaded", resources: [], dropped: outcomes[query.key]?.dropped ?? {}, notModelInput: outcomes[query.key]?.notModelInput ?? 0 },
    })),
  };
}

const skippedLines = () => screen.queryAllByRole("listitem").map((li) => li.textContent);

describe("DataQuality: skipped records", () => {
  it("says none when nothing was dropped or set aside and the model skipped nothing", () => {
    const features = { demographics: { sex: "female", bmi: 27, historyYears: 3 }, eligibility: { eligible: true, reasons: [], warnings: [] }, quality: { skipped: {}, unmappedCodes: {}, resourcesUsed: 5, ignoredOnOrAfterIndex: 0 } };
    render(<DataQuality record={record({})} features={features as unknown as PatientFeatures} />);
    expect(screen.getByTestId("data-quality").textContent).toContain("Skipped recordsNone.");
  });

  it("says how many records the model does not read when nothing else was dropped (a server that ignored code)", () => {
    render(<DataQuality record={record({ bodyMeasures: { notModelInput: 4 } })} />);
    expect(skippedLines()).toEqual([
      "4 not used by the model (Observation other than BMI, weight or height; the FHIR server returned more than the query asked for)",
    ]);
  });

  it("counts another patient's records and the records the model does not read, each with its reason", () => {
    render(<DataQuality record={record({ conditions: { dropped: { "another patient": 2 } }, bodyMeasures: { notModelInput: 3 } })} />);
    expect(skippedLines()).toEqual([
      "2 dropped as not this patient's (Condition: another patient)",
      "3 not used by the model (Observation other than BMI, weight or height; the FHIR server returned more than the query asked for)",
    ]);
  });

  it("says not known for a model input type that was not read, not none, when the risk was computed without it", () => {
    const features = { demographics: { sex: "female", bmi: 27, historyYears: 3 }, eligibility: { eligible: true, reasons: [], warnings: [] }, quality: { skipped: {}, unmappedCodes: {}, resourcesUsed: 5, ignoredOnOrAfterIndex: 0 } };
    const loaded = record({});
    const unread = {
      ...loaded,
      queries: loaded.queries.map((q) =>
        q.query.key === "medicationStatements" ? { ...q, outcome: { status: "not-granted" as const } }
        : q.query.key === "medicationDispenses" ? { ...q, outcome: { status: "failed" as const, message: "could not be read (HTTP 500)" } }
        : q,
      ),
    };
    render(<DataQuality record={unread} features={features as unknown as PatientFeatures} />);
    const text = screen.getByTestId("data-quality").textContent;
    expect(text).toContain(
      "Skipped recordsNot known for the medication statements (MedicationStatement) and dispensed medications (MedicationDispense): they could not be read (above).",
    );
    expect(screen.getByText("None among the records read.")).toBeDefined();
    expect(text).not.toContain("Skipped recordsNone.");
  });
});
