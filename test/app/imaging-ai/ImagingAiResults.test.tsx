// @vitest-environment jsdom
import { cleanup, render, screen, within } from "@testing-library/react";
import type { ImagingStudy } from "fhir/r4";
import { afterEach, describe, expect, it } from "vitest";
import { ImagingAiResults } from "../../../app/imaging-ai/ImagingAiResults.tsx";
import { readImagingResults } from "../../../shared/imaging/read-results.ts";
import { FINDINGS, STUDY_UID, editedResources, exampleResources } from "../../support/imaging-examples.ts";

afterEach(cleanup);

const TEMPLATE = "https://viewer.example.org/viewer?StudyInstanceUIDs={studyUid}";
/** The examples' heat map is on one of the site's image servers, so that it may be linked. */
const IMAGE_ORIGINS = ["https://images.example.org"];

function renderResults(...resourceLists: ReturnType<typeof exampleResources>[]) {
  const { results } = readImagingResults(resourceLists.flat(), { viewerUrlTemplate: TEMPLATE, imageOrigins: IMAGE_ORIGINS });
  return render(<ImagingAiResults results={results} viewerConfigured />);
}

describe("ImagingAiResults", () => {
  it("says when there are no results", () => {
    render(<ImagingAiResults results={[]} viewerConfigured={false} />);
    expect(screen.getByText("No imaging AI results for this patient.")).toBeTruthy();
    // Nothing to link: the site's lack of a viewer is not worth a line.
    expect(screen.queryByTestId("no-image-viewer")).toBeNull();
  });

  it("groups by system in a fixed order and lists each group newest first", () => {
    renderResults(
      exampleResources(FINDINGS.csae),
      exampleResources(FINDINGS.kl, { idPrefix: "old", issued: "2023-01-05T00:00:00Z" }),
      exampleResources(FINDINGS.kl, { idPrefix: "new", issued: "2025-02-07T00:00:00Z" }),
    );
    const headings = screen.getAllByRole("heading", { level: 3 }).map((h) => h.textContent);
    expect(headings).toEqual(["Knee osteoarthritis grade (Kellgren-Lawrence)", "Arthritis classification (HR-pQCT)"]);
    const kl = screen.getByRole("region", { name: "Knee osteoarthritis grade (Kellgren-Lawrence)" });
    const dates = within(kl).getAllByText(/result of/).map((p) => /result of (\S+?),?\s/.exec(p.textContent + " ")?.[1]);
    expect(dates).toEqual(["2025-02-07", "2023-01-05"]);
  });

  it("shows the algorithm name, version, manufacturer and date", () => {
    renderResults(exampleResources(FINDINGS.kl));
    expect(screen.getByText(/result of/).textContent).toBe("Knee KL grader version 1.2.0 by Example AI Inc., result of 2025-03-02 (images of 2025-03-01)");
  });

  it("marks a result issued after the index date of the risk beside it, as the imaging list marks its report", () => {
    const { results } = readImagingResults(
      [exampleResources(FINDINGS.kl, { idPrefix: "old", issued: "2025-02-07T00:00:00Z" }), exampleResources(FINDINGS.kl, { idPrefix: "new", issued: "2025-03-02T08:00:00Z" })].flat(),
      { viewerUrlTemplate: TEMPLATE, imageOrigins: IMAGE_ORIGINS },
    );
    const lines = (indexDate?: string) => {
      cleanup();
      render(<ImagingAiResults results={results} viewerConfigured {...(indexDate !== undefined && { indexDate })} />);
      return screen.getAllByText(/result of/).map((p) => /result of [^(]*(\(after the index date\))?/.exec(p.textContent ?? "")![0].trim());
    };
    expect(lines("2025-03-01")).toEqual(["result of 2025-03-02 (after the index date)", "result of 2025-02-07"]);
    // On the index day itself, not after it; and without an index date (the preview), never.
    expect(lines("2025-03-02")).toEqual(["result of 2025-03-02", "result of 2025-02-07"]);
    expect(lines()).toEqual(["result of 2025-03-02", "result of 2025-02-07"]);
  });

  it("shows the KL grade of each knee", () => {
    renderResults(exampleResources(FINDINGS.kl));
    const table = screen.getByRole("table", { name: "Kellgren-Lawrence grade (0-4) per knee" });
    expect(within(table).getByRole("row", { name: "Left 1 (doubtful)" })).toBeTruthy();
    expect(within(table).getByRole("row", { name: "Right 3 (moderate)" })).toBeTruthy();
  });

  it("shows SvH totals recomputed from the joints and colours the joint map by score", () => {
    const { container } = renderResults(exampleResources(FINDINGS.svh));
    expect(screen.getByTestId("svh-erosion").textContent).toBe("10");
    expect(screen.getByTestId("svh-narrowing").textContent).toBe("2");
    expect(screen.getByTestId("svh-total").textContent).toBe("12");
    expect(screen.getAllByRole("img").map((i) => i.getAttribute("aria-label"))).toEqual([
      "Right hand: joint scores", "Left hand: joint scores", "Right foot: joint scores", "Left foot: joint scores",
    ]);
    // Right MTP 5 erosion 7 of 10 is in the 4th fifth (60-80%): the 4th viridis step.
    const mtp5 = [...container.querySelectorAll("circle")].find((c) => c.textContent === "Right foot MTP 5 erosion: 7 of 10");
    expect(mtp5?.getAttribute("fill")).toBe("#3b528b");
    const unscored = [...container.querySelectorAll("rect")].find((c) => c.textContent === "Left foot MTP 1 narrowing: not scored");
    expect(unscored?.getAttribute("fill")).toBe("none");
  });

  it("shows the CSAE class probabilities as labelled bars and links the heat map", () => {
    renderResults(exampleResources(FINDINGS.csae));
    expect(screen.getByText("Predicted class:").textContent).toBe("Predicted class: Rheumatoid arthritis");
    const bars = within(screen.getByRole("list", { name: "Class probabilities" })).getAllByRole("listitem");
    expect(bars.map((b) => b.textContent)).toEqual(["Rheumatoid arthritis62%", "Psoriatic arthritis25%", "Healthy (no arthritis)13%"]);
    expect((bars[0]!.querySelector(".iai-bar-fill") as HTMLElement).style.width).toBe("62%");
    const heat = screen.getByRole("link", { name: /Heat map/ });
    expect(heat.getAttribute("href")).toBe("https://images.example.org/heat/1.png");
    expect(heat.getAttribute("target")).toBe("_blank");
  });

  it("shows the reconstructed series with slice count and thickness, and opens the viewer in a new tab", () => {
    renderResults(exampleResources(FINDINGS.deepresolve));
    expect(screen.getByText("Slices").nextElementSibling?.textContent).toBe("160");
    expect(screen.getByText("Slice thickness").nextElementSibling?.textContent).toBe("0.7 mm");
    const link = screen.getByRole("link", { name: "Open the reconstructed series in the viewer (opens in a new tab)" });
    expect(link.getAttribute("href")).toBe("https://viewer.example.org/viewer?StudyInstanceUIDs=1.2.826.0.1.3680043.8.498.1");
    expect(link.getAttribute("target")).toBe("_blank");
    expect(link.getAttribute("rel")).toBe("noopener noreferrer");
  });

  it("shows an invalid result as invalid with its problems and none of its numbers", () => {
    renderResults(exampleResources({ ...FINDINGS.svh, totals: { erosion: 11, narrowing: 2, total: 13 } }));
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("Invalid result");
    expect(alert.textContent).toContain("reported erosion total 11 does not match 10, the sum of the joint scores");
    expect(screen.queryByTestId("svh-erosion")).toBeNull();
    expect(screen.queryByRole("img")).toBeNull();
  });

  it("without a viewer at the site, says so once above the results and nothing under each", () => {
    const { results } = readImagingResults([...exampleResources(FINDINGS.kl), ...exampleResources(FINDINGS.deepresolve)]);
    render(<ImagingAiResults results={results} viewerConfigured={false} />);
    expect(screen.getAllByRole("article")).toHaveLength(2);
    expect(screen.getAllByText(/viewer/).map((p) => p.textContent)).toEqual([
      "No image viewer is configured for this site, so studies are listed without links to their images.",
    ]);
    // Above the first result, not among them.
    const line = screen.getByTestId("no-image-viewer");
    expect(line.closest("article")).toBeNull();
    expect(line.compareDocumentPosition(screen.getAllByRole("article")[0]!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.queryByRole("link")).toBeNull();
  });

  it("with a viewer at the site, says under a result whose study has no UID that it has no link, and links the others", () => {
    // The KL result's ImagingStudy names no DICOM Study UID: the template has nothing to fill.
    const withoutUid = editedResources<ImagingStudy>(exampleResources(FINDINGS.kl), "ImagingStudy", (study) => delete study.identifier);
    const results = [withoutUid, exampleResources(FINDINGS.deepresolve)].flatMap((resources) => readImagingResults(resources, { viewerUrlTemplate: TEMPLATE }).results);
    render(<ImagingAiResults results={results} viewerConfigured />);
    expect(screen.queryByTestId("no-image-viewer")).toBeNull();
    expect(screen.getByTestId("imaging-ai-ex-kl-report").textContent).toContain(
      "No image viewer link for this study: the record lacks what the site\u2019s viewer link needs (such as the study\u2019s UID), or names an image server that is not one of the site\u2019s.",
    );
    const linked = screen.getByTestId("imaging-ai-ex-deepresolve-report");
    expect(linked.textContent).not.toContain("No image viewer link");
    expect(within(linked).getByRole("link", { name: "Open the reconstructed series in the viewer (opens in a new tab)" }).getAttribute("href")).toBe(
      `https://viewer.example.org/viewer?StudyInstanceUIDs=${STUDY_UID}`,
    );
  });

  it("counts the reports it could not read, with the reason, beside the results it could", () => {
    const withoutId = (prefix: string) =>
      exampleResources(FINDINGS.kl, { idPrefix: prefix }).map((r) => (r.resourceType === "DiagnosticReport" ? { ...r, id: undefined } : r));
    const reading = readImagingResults([...withoutId("lost-1"), ...withoutId("lost-2"), ...exampleResources(FINDINGS.csae)]);
    render(<ImagingAiResults results={reading.results} viewerConfigured skipped={reading.skipped} />);
    const status = screen.getByTestId("imaging-ai-skipped");
    expect(status.textContent).toBe("2 results could not be read: Knee osteoarthritis grade (Kellgren-Lawrence) report without an id, so its measurements cannot be linked to it");
    expect(screen.getAllByRole("heading", { level: 3 }).map((h) => h.textContent)).toEqual(["Arthritis classification (HR-pQCT)"]);
  });

  it("says nothing about unread results when every report was read", () => {
    renderResults(exampleResources(FINDINGS.kl));
    expect(screen.queryByTestId("imaging-ai-skipped")).toBeNull();
  });
});
