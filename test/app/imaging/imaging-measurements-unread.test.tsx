// @vitest-environment jsdom
/**
 * An imaging AI report whose result Observations are missing because the imaging Observations
 * were not read (not granted, or the query failed) is not an invalid result: its measurements
 * could not be read. Read and found missing, it stays invalid.
 */
import { cleanup, render, screen } from "@testing-library/react";
import type { Resource } from "fhir/r4";
import { afterEach, describe, expect, it } from "vitest";
import type { LoadedQuery, QueryOutcome } from "../../../app/data/load-record.ts";
import { RECORD_QUERIES } from "../../../app/data/record-queries.ts";
import { ImagingPanel } from "../../../app/imaging/ImagingPanel.tsx";
import { exampleResources, FINDINGS } from "../../support/imaging-examples.ts";

afterEach(cleanup);

/** The imaging queries, all loaded but the imaging Observations, which end as `observations`. */
function imagingQueries(observations: QueryOutcome): LoadedQuery[] {
  return RECORD_QUERIES.filter((query) => query.use === "imaging").map((query) => ({
    query,
    outcome: query.key === "imagingObservations" ? observations : { status: "loaded", resources: [], dropped: {}, notModelInput: 0 },
  }));
}

const withoutObservations = (): Resource[] => exampleResources(FINDINGS.kl).filter((r) => r.resourceType !== "Observation");

describe("an imaging AI result whose measurements were not read", () => {
  it.each([
    ["not granted", { status: "not-granted" } as const],
    ["failed", { status: "failed", message: "could not be read (HTTP 500)" } as const],
  ])("says its measurements could not be read, not that it is invalid, when the Observations were %s", (_how, outcome) => {
    render(<ImagingPanel indexDate="2026-01-01" resources={withoutObservations()} queries={imagingQueries(outcome)} />);
    const result = screen.getByTestId(/^imaging-ai-/);
    expect(result.textContent).toContain("Measurements not read: this result's imaging AI measurements (Observation) could not be read (above), so its values cannot be shown.");
    expect(result.textContent).not.toContain("Invalid result");
  });

  it("says so too when the Observations were granted only in part (a granular scope outside imaging)", () => {
    const partial: QueryOutcome = { status: "loaded", resources: [], dropped: {}, notModelInput: 0, partial: ["category=vital-signs"] };
    render(<ImagingPanel indexDate="2026-01-01" resources={withoutObservations()} queries={imagingQueries(partial)} />);
    expect(screen.getByTestId(/^imaging-ai-/).textContent).toContain("Measurements not read");
  });

  it("stays invalid when the Observations were read and its own are not among them", () => {
    render(<ImagingPanel indexDate="2026-01-01" resources={withoutObservations()} queries={imagingQueries({ status: "loaded", resources: [], dropped: {}, notModelInput: 0 })} />);
    expect(screen.getByTestId(/^imaging-ai-/).textContent).toContain("Invalid result");
  });
});
