/**
 * End to end: a demo patient's imaging AI results, served by the sandbox FHIR server, appear in
 * the SMART app's imaging panel with a viewer link built from the site's runtime config and
 * links to the resources on the FHIR server. The patient is found in the demo cohort by its
 * results, not by name. Set PATELLA_SCREENSHOT_DIR to keep screenshots of the panel.
 */
import type { DiagnosticReport, ImagingStudy, Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import type { DemoStack } from "../../sandbox/demo-stack.ts";
import { patientIdOf } from "../../shared/fhir-references.ts";
import { type ImagingAiResult, readImagingResults } from "../../shared/imaging/read-results.ts";
import type { TestBrowser } from "./browser.ts";
import { useE2eStack, WAIT } from "./demo-fixture.ts";

const VIEWER = "https://viewer.example.org/viewer?StudyInstanceUIDs={studyUid}";
let stack: DemoStack;
let browser: TestBrowser;

useE2eStack((started, launched) => ((stack = started), (browser = launched)));

/** A demo patient with a valid DeepResolve result (it needs Provenance and Device) or else any valid result. */
function patientWithResults(): { patientId: string; result: ImagingAiResult } {
  const byPatient = new Map<string, Resource[]>();
  for (const r of stack.cohort.resources) {
    const owner = patientIdOf(r);
    if (owner !== null) byPatient.set(owner, [...(byPatient.get(owner) ?? []), r]);
  }
  const shared = stack.cohort.resources.filter((r) => r.resourceType === "Device" || r.resourceType === "Provenance");
  const found = [...byPatient].flatMap(([patientId, rs]) =>
    readImagingResults([...rs, ...shared]).results.filter((x) => x.problems.length === 0).map((result) => ({ patientId, result })),
  );
  const pick = found.find((f) => f.result.kind === "deepresolve") ?? found[0];
  if (pick === undefined) throw new Error("no demo patient has a valid imaging AI result");
  return pick;
}

describe("imaging AI results in the app", () => {
  it("shows a demo patient's results with the configured viewer link, and lists the study and report without links to the FHIR API", async () => {
    const { patientId, result } = patientWithResults();
    const report = stack.cohort.resources.find((r) => r.resourceType === "DiagnosticReport" && r.id === result.reportId) as DiagnosticReport;
    const source = stack.cohort.resources.find((r) => `ImagingStudy/${r.id}` === report.imagingStudy?.[0]?.reference) as ImagingStudy;
    const studyUid = source.identifier?.[0]?.value?.replace("urn:oid:", "");

    const page = await browser.context.newPage();
    const config = (await (await fetch(`${stack.app.url}/patella-app.json`)).json()) as Record<string, unknown>;
    await page.route("**/patella-app.json", (route) => route.fulfill({ json: { ...config, imagingViewerUrl: VIEWER } }));
    await page.goto(`${stack.app.url}/launch.html?iss=${encodeURIComponent(stack.ehr.fhirBaseUrl)}`);
    await page.locator(`a[href*="picked_patient=${patientId}"]`).click(WAIT);
    await page.locator('#app[data-state="ready"]').waitFor(WAIT);

    const panel = page.locator('[data-testid="imaging"]');
    const card = panel.locator(`[data-testid="imaging-ai-${result.reportId}"]`);
    await card.waitFor(WAIT);
    expect(await card.locator(".iai-invalid").count()).toBe(0);
    const viewer = card.locator("a.iai-viewer-link");
    await expect(viewer.getAttribute("href")).resolves.toBe(`https://viewer.example.org/viewer?StudyInstanceUIDs=${studyUid}`);
    await expect(viewer.getAttribute("target")).resolves.toBe("_blank");
    if (result.kind === "deepresolve") await expect(card.innerText()).resolves.toMatch(/160/);

    // The study list: the report on its date, and the source study opening in the viewer. Nothing
    // links to the FHIR API, which a browser would open without the app's token.
    const list = panel.locator("ul.imaging");
    await expect(list.innerText()).resolves.toContain(`${result.studyDate!.slice(0, 10)} Report:`);
    const hrefs = await list.locator("a").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
    expect(hrefs).toContain(`https://viewer.example.org/viewer?StudyInstanceUIDs=${studyUid}`);
    expect(hrefs.filter((href) => href.startsWith(stack.ehr.fhirBaseUrl))).toEqual([]);

    // Nothing of the imaging record was refused or failed.
    expect(await panel.locator('[data-testid="query-status"]').count()).toBe(0);

    const dir = process.env.PATELLA_SCREENSHOT_DIR;
    if (dir !== undefined) {
      await panel.screenshot({ path: `${dir}/imaging-panel-wide.png` });
      await page.setViewportSize({ width: 360, height: 800 });
      await panel.screenshot({ path: `${dir}/imaging-panel-360.png` });
    }
    await page.close();
  }, 120_000);
});
