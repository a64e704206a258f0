// @vitest-environment jsdom
/**
 * What a FHIR server sends is JSON whatever the FHIR types say: a field that should be a string
 * may be an object, an array a single value. Such a record must not take the app down (React
 * throws on an object as a child, and an uncaught render error unmounts every section, the risk
 * included), and only http(s) addresses may become links.
 */
import { cleanup, render, screen } from "@testing-library/react";
import type { Media, Patient, Resource } from "fhir/r4";
import { afterEach, describe, expect, it } from "vitest";
import { ImagingPanel } from "../../../app/imaging/ImagingPanel.tsx";
import { PatientBanner } from "../../../app/views/PatientBanner.tsx";
import { RecordList } from "../../../app/views/RecordList.tsx";
import { exampleResources, FINDINGS } from "../../support/imaging-examples.ts";

afterEach(cleanup);

/** A value of the wrong JSON type where FHIR says string (or number, or array). */
const OBJECT = { div: "<b>not text</b>" } as never;

describe("PatientBanner with malformed fields", () => {
  it("shows what is text and says 'unknown' for the rest, instead of failing", () => {
    const patient = { resourceType: "Patient", name: [{ text: OBJECT, given: ["Ann", OBJECT], family: "Lee" }], gender: OBJECT } as Patient;
    render(<PatientBanner patient={patient} />);
    expect(screen.getByTestId("patient-banner").textContent).toBe("Ann Lee · sex unknown · born unknown");
  });

  it("a name that is not an array is no name", () => {
    render(<PatientBanner patient={{ resourceType: "Patient", name: { text: "Ann Lee" } as never, gender: "female" }} />);
    expect(screen.getByTestId("patient-banner").textContent).toBe("(no name) · female · born unknown");
  });
});

describe("ImagingPanel with malformed fields", () => {
  it("lists a study and a report whose texts are objects by their kind, with the valid fields", () => {
    const study = { resourceType: "ImagingStudy", id: "s1", status: "available", started: "2025-03-01", description: OBJECT, modality: { code: "CR" }, numberOfSeries: OBJECT, numberOfInstances: 2 };
    // A category of a malformed shape is no category: the study reference alone makes it an imaging report.
    const report = { resourceType: "DiagnosticReport", id: "r1", status: "final", category: OBJECT, imagingStudy: [{ reference: "ImagingStudy/s1" }], effectiveDateTime: "2025-03-02", code: { text: OBJECT }, conclusion: OBJECT };
    render(<ImagingPanel indexDate="2026-01-01" resources={[study, report] as Resource[]} queries={[]} />);
    expect(screen.getAllByRole("listitem").map((li) => li.textContent)).toEqual(["2025-03-02 Report: Diagnostic report", "2025-03-01 Study: Imaging study (2 images)"]);
  });

  it("makes no link of a heat map whose address is not http(s), and shows that result as invalid", () => {
    const resources = exampleResources(FINDINGS.csae).map((r) =>
      r.resourceType === "Media" ? ({ ...r, content: { ...(r as Media).content, url: "javascript:alert(document.cookie)" } } as Media) : r,
    );
    render(<ImagingPanel indexDate="2026-01-01" resources={resources} queries={[]} />);
    const hrefs = screen.queryAllByRole("link").map((a) => a.getAttribute("href"));
    expect(hrefs.filter((href) => !/^https?:\/\//.test(href ?? ""))).toEqual([]);
    expect(screen.queryByText(/Heat map of the regions/)).toBeNull();
    expect(screen.getByText(/has an image URL that is not http\(s\)/)).toBeTruthy();
  });
});

describe("right-to-left marks in the server's text", () => {
  // U+202E RIGHT-TO-LEFT OVERRIDE: unless isolated, it shows the app's own text after it reversed
  // ("born 1960-01-01" as "10-10-0691 nrob").
  const RLO = "\u202E";
  /** The server's text, and whether each place that shows it is an isolating <bdi> element. */
  const isolated = (root: HTMLElement) =>
    [...root.querySelectorAll("*")].filter((e) => [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent?.includes(RLO))).map((e) => e.tagName);

  it("are isolated in the patient banner", () => {
    render(<PatientBanner patient={{ resourceType: "Patient", name: [{ text: `${RLO}Ann Lee` }], gender: "female", birthDate: "1960-01-01" }} />);
    expect(isolated(screen.getByTestId("patient-banner"))).toEqual(["BDI"]);
  });

  it("are isolated in a record's name and value", () => {
    const { container } = render(<RecordList refs={[{ resourceType: "Observation", id: "o1", date: "2024-01-02", codings: [], text: `${RLO}BMI`, value: `${RLO}31 kg/m2` }]} />);
    expect(isolated(container)).toEqual(["BDI", "BDI"]);
  });

  it("are isolated in an imaging study's title and a report's conclusion", () => {
    const study = { resourceType: "ImagingStudy", id: "s1", status: "available", started: "2025-03-01", description: `${RLO}XR knee` };
    const report = { resourceType: "DiagnosticReport", id: "r1", status: "final", imagingStudy: [{ reference: "ImagingStudy/s1" }], effectiveDateTime: "2025-03-02", code: { text: "XR knee report" }, conclusion: `${RLO}normal` };
    render(<ImagingPanel indexDate="2026-01-01" resources={[study, report] as Resource[]} queries={[]} />);
    expect(isolated(screen.getByTestId("imaging"))).toEqual(["BDI", "BDI"]);
  });
});
