// @vitest-environment jsdom
import { cleanup, render, screen } from "@testing-library/react";
import type { Media, Resource } from "fhir/r4";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_DISPLAY_CHARS } from "../../../shared/clipped-text.ts";
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
const RADIOLOGY = [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0074", code: "RAD" }] }];
const REPORT = {
  resourceType: "DiagnosticReport",
  id: "knee-report",
  status: "final",
  category: RADIOLOGY,
  subject: { reference: "Patient/p1" },
  code: { text: "XR knee report" },
  effectiveDateTime: "2025-03-02",
  conclusion: "Mild joint space narrowing, medial compartment.",
} as Resource;

const renderPanel = (viewerUrlTemplate?: string) =>
  render(<ImagingPanel indexDate="2026-01-01" resources={[STUDY, REPORT]} queries={[]} {...(viewerUrlTemplate !== undefined && { viewerUrlTemplate })} />);

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
    // The viewer is another site: it learns nothing of the page the link was on.
    expect(screen.getByRole("link").getAttribute("rel")).toBe("noopener noreferrer");
  });

  it("lists the newest first by the instant, whatever the time zone or precision, and undated ones last", () => {
    const study = (id: string, started?: string) => ({ resourceType: "ImagingStudy", id, status: "available", description: `study ${id}`, ...(started !== undefined && { started }) }) as Resource;
    // 10:00 at +05:00 is 05:00 UTC, an hour before "utc" on the same day; a year or a month counts from its start.
    const resources = [study("undated"), study("year", "2024"), study("east", "2024-03-05T10:00:00+05:00"), study("utc", "2024-03-05T06:00:00Z"), study("month", "2024-03")];
    render(<ImagingPanel indexDate="2026-01-01" resources={resources} queries={[]} />);
    expect(screen.getAllByRole("listitem").map((li) => li.textContent?.replace(/^.* Study: /, ""))).toEqual([
      "study utc",
      "study east",
      "study month",
      "study year",
      "study undated",
    ]);
  });

  it("shows a day as the record writes it, a year or a month as given, newest first by the date shown", () => {
    const study = (id: string, started: string) => ({ resourceType: "ImagingStudy", id, status: "available", description: `study ${id}`, started }) as Resource;
    // 21:36 at -04:00 on 10 February is 01:36 UTC on the 11th: shown on the 10th, the day it was
    // taken. 02:00 at +05:00 on 5 March is 21:00 UTC on 4 March, an hour before "late" (22:00 UTC
    // on 4 March), yet listed above it: its date reads 5 March, and a list whose dates go up
    // would read as misordered. 2023-12-31T23:00 at -05:00 is in 2024 by UTC, but written in 2023.
    const resources = [
      study("year", "2024"),
      study("month", "2024-03"),
      study("new-year", "2023-12-31T23:00:00-05:00"),
      study("late", "2024-03-04T22:00:00Z"),
      study("march", "2024-03-05T02:00:00+05:00"),
      study("evening", "2024-02-10T21:36:00-04:00"),
    ];
    render(<ImagingPanel indexDate="2026-01-01" resources={resources} queries={[]} />);
    expect(screen.getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "2024-03-05 Study: study march",
      "2024-03-04 Study: study late",
      "2024-03 Study: study month",
      "2024-02-10 Study: study evening",
      "2024 Study: study year",
      "2023-12-31 Study: study new-year",
    ]);
    // Each a <time> whose machine-readable value has the same precision as its text.
    expect(screen.getAllByRole("listitem").map((li) => li.querySelector("time")?.getAttribute("datetime"))).toEqual([
      "2024-03-05",
      "2024-03-04",
      "2024-03",
      "2024-02-10",
      "2024",
      "2023-12-31",
    ]);
  });

  it("cuts a study's or a report's enormous title to what the app shows of a server's text", () => {
    const study = { resourceType: "ImagingStudy", id: "s1", status: "available", started: "2025-03-01", description: "d".repeat(100_000) };
    const report = { resourceType: "DiagnosticReport", id: "r1", status: "final", category: RADIOLOGY, effectiveDateTime: "2025-03-02", code: { coding: [{ display: "r".repeat(100_000) }] } };
    render(<ImagingPanel indexDate="2026-01-01" resources={[study, report] as Resource[]} queries={[]} />);
    expect(screen.getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      `2025-03-02 Report: ${"r".repeat(MAX_DISPLAY_CHARS)}…`,
      `2025-03-01 Study: ${"d".repeat(MAX_DISPLAY_CHARS)}…`,
    ]);
  });

  it("links nothing without a viewer: a FHIR resource URL would open without the app's token", () => {
    renderPanel();
    expect(screen.queryAllByRole("link")).toEqual([]);
    expect(screen.getByText(/XR knee, 2 views/)).toBeTruthy();
  });

  it("says once that the site has no image viewer, beside its imaging AI results, and only without one", () => {
    const resources = [...exampleResources(FINDINGS.kl, { idPrefix: "a" }), ...exampleResources(FINDINGS.kl, { idPrefix: "b" }).filter((r) => r.resourceType !== "ImagingStudy")];
    const noViewer = "No image viewer is configured for this site, so studies are listed without links to their images.";
    render(<ImagingPanel indexDate="2026-01-01" resources={resources} queries={[]} />);
    expect(screen.getAllByRole("article")).toHaveLength(2);
    expect(screen.getAllByText(/image viewer/).map((p) => p.textContent)).toEqual([noViewer]);
    cleanup();
    render(<ImagingPanel indexDate="2026-01-01" resources={resources} queries={[]} viewerUrlTemplate={TEMPLATE} />);
    expect(screen.queryByText(noViewer)).toBeNull();
    expect(screen.getAllByRole("link", { name: "Open images in viewer (opens in a new tab)" })).toHaveLength(2);
  });
});

describe("ImagingPanel: reports that are not imaging", () => {
  const lab = (id: string) => ({ ...REPORT, id, code: { text: `Lipid panel ${id}` }, category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0074", code: "LAB" }] }] }) as Resource;
  const uncoded = (id: string) => ({ ...REPORT, id, code: { text: `Report ${id}` }, category: [{ text: "Radiology" }] }) as Resource;

  it("lists no laboratory report and says nothing of them", () => {
    render(<ImagingPanel indexDate="2026-01-01" resources={[STUDY, REPORT, lab("l1"), lab("l2")]} queries={[]} />);
    expect(screen.getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "2025-03-02 Report: XR knee report (Mild joint space narrowing, medial compartment.)",
      "2025-03-01 Study: XR knee, 2 views (1 series, 2 images)",
    ]);
    expect(screen.queryByTestId("imaging-uncoded")).toBeNull();
  });

  it("says how many reports it left out whose category does not say whether they are imaging", () => {
    render(<ImagingPanel indexDate="2026-01-01" resources={[STUDY, lab("l1"), uncoded("u1"), uncoded("u2")]} queries={[]} />);
    expect(screen.getAllByRole("listitem")).toHaveLength(1);
    expect(screen.getByTestId("imaging-uncoded").textContent).toBe(
      "2 other reports are not listed: their category does not say whether they are imaging reports (see the EHR).",
    );
    cleanup();
    render(<ImagingPanel indexDate="2026-01-01" resources={[uncoded("u1")]} queries={[]} />);
    expect(screen.getByTestId("imaging").textContent).toContain("No imaging studies or reports found.");
    expect(screen.getByTestId("imaging-uncoded").textContent).toBe("1 other report is not listed: its category does not say whether it is an imaging report (see the EHR).");
  });
});

describe("ImagingPanel and the index date", () => {
  it("lists entries after the index date, marked, and says once what the mark means", () => {
    render(<ImagingPanel indexDate="2025-03-01" resources={[STUDY, REPORT]} queries={[]} />);
    expect(screen.getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "2025-03-02 (after the index date) Report: XR knee report (Mild joint space narrowing, medial compartment.)",
      "2025-03-01 Study: XR knee, 2 views (1 series, 2 images)",
    ]);
    expect(screen.getByTestId("imaging-after-index").textContent).toBe(
      "Entries marked \u201cafter the index date\u201d are newer than the date the risk is for (2025-03-01).",
    );
  });

  it("says nothing of the index date when no entry is after it", () => {
    render(<ImagingPanel indexDate="2025-03-02" resources={[STUDY, REPORT]} queries={[]} />);
    expect(screen.getByTestId("imaging").textContent).not.toContain("after the index date");
    expect(screen.queryByTestId("imaging-after-index")).toBeNull();
  });
});

describe("ImagingPanel and AI results", () => {
  it("says which listed report is an imaging AI result", () => {
    const resources = exampleResources(FINDINGS.kl);
    const [result] = readImagingResults(resources).results;
    // Among Synthea-like laboratory panels, which the reader and the list both leave alone.
    const lab = { ...REPORT, id: "lipid", category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0074", code: "LAB" }] }] } as Resource;
    render(<ImagingPanel indexDate="2026-01-01" resources={[lab, ...resources, REPORT]} queries={[]} />);
    expect(screen.getByTestId(`imaging-ai-${result!.reportId}`)).toBeTruthy();
    const aiLine = screen.getAllByRole("listitem").find((li) => li.textContent?.includes("imaging AI result, shown below"));
    expect(aiLine?.textContent).toContain(result!.studyDate!.slice(0, 10));
    expect(screen.getAllByRole("listitem").filter((li) => li.textContent?.includes("imaging AI result"))).toHaveLength(1);
  });
});


describe("ImagingPanel and a heat map's address", () => {
  const IMAGE_ORIGINS = ["https://pacs.example.org"];
  const withHeatMapAt = (url: string) =>
    exampleResources(FINDINGS.csae).map((r) => (r.resourceType === "Media" ? ({ ...r, content: { ...(r as Media).content, url } } as Media) : r));
  const heatMapLinks = () => screen.queryAllByRole("link", { name: /Heat map/ }).map((a) => a.getAttribute("href"));

  it("links a heat map on one of the site's image servers or the image viewer's origin", () => {
    for (const url of ["https://pacs.example.org/dicomweb/studies/1/series/2/instances/3/rendered", "https://viewer.example.org/heat/1.png"]) {
      render(<ImagingPanel indexDate="2026-01-01" resources={withHeatMapAt(url)} queries={[]} viewerUrlTemplate={TEMPLATE} imageOrigins={IMAGE_ORIGINS} />);
      expect(heatMapLinks()).toEqual([url]);
      cleanup();
    }
  });

  it("shows a heat map on any other origin as not linked, with the reason, and the rest of the result", () => {
    for (const [url, origin] of [
      ["https://images.example.org/heat/1.png", "https://images.example.org"],
      ["https://pacs.example.org:8443/heat/1.png", "https://pacs.example.org:8443"],
      ["http://pacs.example.org/heat/1.png", "http://pacs.example.org"],
      // The FHIR server is no image server: a browser would open it without the app's token.
      ["https://ehr.example.org/fhir/Binary/1", "https://ehr.example.org"],
    ]) {
      render(<ImagingPanel indexDate="2026-01-01" resources={withHeatMapAt(url!)} queries={[]} viewerUrlTemplate={TEMPLATE} imageOrigins={IMAGE_ORIGINS} />);
      expect(heatMapLinks()).toEqual([]);
      expect(screen.getByText(/^Heat map not linked/).textContent).toBe(
        `Heat map not linked: it is stored on ${origin}, which is neither one of the site's image servers nor the image viewer's.`,
      );
      expect(screen.getByText("Predicted class:").textContent).toBe("Predicted class: Rheumatoid arthritis");
      cleanup();
    }
  });

  it("links no heat map when neither site is known, and says so", () => {
    render(<ImagingPanel indexDate="2026-01-01" resources={withHeatMapAt("https://ehr.example.org/heat/1.png")} queries={[]} />);
    expect(heatMapLinks()).toEqual([]);
    expect(screen.getByText(/^Heat map not linked/).textContent).toBe(
      "Heat map not linked: it is stored on https://ehr.example.org, which is neither one of the site's image servers nor the image viewer's.",
    );
  });
});
