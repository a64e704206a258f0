// @vitest-environment jsdom
import { cleanup, render, screen } from "@testing-library/react";
import type { Resource } from "fhir/r4";
import { afterEach, describe, expect, it } from "vitest";
import { ImagingPanel } from "../../../app/imaging/ImagingPanel.tsx";
import { readImagingResults } from "../../../shared/imaging/read-results.ts";
import { exampleResources, FINDINGS } from "../../support/imaging-examples.ts";

afterEach(cleanup);

const TEMPLATE = "https://viewer.example.org/viewer?StudyInstanceUIDs={studyUid}";
const STUDY = {
  resourceType: "ImagingStudy",
  id: "knee-xr",
  status: "available",
  subject: { reference: "Patient/p1" },
  started: "2025-03-01T09:00:00Z",
  description: "XR knee, 2 views",
  numberOfSeries: 1,
  numberOfInstances: 2,
  identifier: [{ system: "urn:dicom:uid", value: "urn:oid:1.2.840.1234.5" }],
} as Resource;
const REPORT = {
  resourceType: "DiagnosticReport",
  id: "knee-report",
  status: "final",
  subject: { reference: "Patient/p1" },
  code: { text: "XR knee report" },
  effectiveDateTime: "2025-03-02",
  conclusion: "Mild joint space narrowing, medial compartment.",
} as Resource;

const renderPanel = (viewerUrlTemplate?: string) =>
  render(<ImagingPanel resources={[STUDY, REPORT]} queries={[]} {...(viewerUrlTemplate !== undefined && { viewerUrlTemplate })} />);

describe("ImagingPanel", () => {
  it("links a study to the site's image viewer, newest first, and shows a report's conclusion", () => {
    renderPanel(TEMPLATE);
    const items = screen.getAllByRole("listitem").map((li) => li.textContent);
    expect(items).toEqual([
      "2025-03-02 Report: XR knee report (Mild joint space narrowing, medial compartment.)",
      "2025-03-01 Study: XR knee, 2 views (open in the image viewer) (1 series, 2 images)",
    ]);
    const links = screen.getAllByRole("link").map((a) => a.getAttribute("href"));
    expect(links).toEqual(["https://viewer.example.org/viewer?StudyInstanceUIDs=1.2.840.1234.5"]);
  });

  it("links nothing without a viewer: a FHIR resource URL would open without the app's token", () => {
    renderPanel();
    expect(screen.queryAllByRole("link")).toEqual([]);
    expect(screen.getByText(/XR knee, 2 views/)).toBeTruthy();
  });
});

describe("ImagingPanel and AI results", () => {
  it("says which listed report is an imaging AI result", () => {
    const resources = exampleResources(FINDINGS.kl);
    const [result] = readImagingResults(resources).results;
    render(<ImagingPanel resources={[...resources, REPORT]} queries={[]} />);
    const aiLine = screen.getAllByRole("listitem").find((li) => li.textContent?.includes("imaging AI result, shown below"));
    expect(aiLine?.textContent).toContain(result!.studyDate!.slice(0, 10));
    expect(screen.getAllByRole("listitem").filter((li) => li.textContent?.includes("imaging AI result"))).toHaveLength(1);
  });
});

