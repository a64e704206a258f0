// @vitest-environment jsdom
/**
 * What the app shows of imaging AI results a FHIR server sent wrong: a withdrawn grade, another
 * patient's value, an impossible date, an enormous version. Never the number, always the reason.
 */
import { cleanup, render, screen } from "@testing-library/react";
import type { Device, DiagnosticReport, Observation, Resource } from "fhir/r4";
import { afterEach, describe, expect, it } from "vitest";
import { ImagingAiResults } from "../../../app/imaging-ai/ImagingAiResults.tsx";
import { readImagingResults } from "../../../shared/imaging/read-results.ts";
import { FINDINGS, editedResources, exampleResources } from "../../support/imaging-examples.ts";

afterEach(cleanup);

function show(resources: Resource[]) {
  const { results, skipped } = readImagingResults(resources);
  return render(<ImagingAiResults results={results} viewerConfigured={false} skipped={skipped} />);
}

const edited = <T extends Resource>(type: T["resourceType"], change: (r: T, i: number) => void): Resource[] => editedResources(exampleResources(FINDINGS.kl), type, change);

describe("imaging AI results a server sent wrong", () => {
  it("a KL grade entered in error, or about another patient, shows its report as invalid and no grade", () => {
    for (const [change, reason] of [
      [(o: Observation) => (o.status = "entered-in-error"), "Observation/ex-kl-o2 is entered-in-error"],
      [(o: Observation) => (o.subject = { reference: "Patient/someone-else" }), "Observation/ex-kl-o2 is about another patient than the report"],
    ] as const) {
      show(edited<Observation>("Observation", (o, i) => i === 1 && change(o)));
      expect(screen.getByRole("alert").textContent).toContain(reason);
      expect(screen.queryByRole("table")).toBeNull();
      expect(screen.queryByText(/moderate/)).toBeNull();
      cleanup();
    }
  });

  it("an impossible report date reads 'date unknown', and an enormous version is not printed", () => {
    const resources = edited<DiagnosticReport>("DiagnosticReport", (d) => (d.issued = "2025-02-30T10:00:00Z"));
    resources.filter((r): r is Device => r.resourceType === "Device").forEach((d) => (d.version = [{ value: "9".repeat(50_000) }]));
    show(resources);
    expect(screen.getByText(/result of/).textContent).toBe("Knee KL grader by Example AI Inc., result of date unknown (images of 2025-03-01)");
    const problems = screen.getAllByRole("listitem").map((li) => li.textContent);
    expect(problems).toEqual(["the report's issued date is not a FHIR date", "the algorithm Device's version is longer than 64 characters"]);
  });
});
