/**
 * End to end: a DICOM SR written with dcmjs is imported by `imaging:import` (the CLI, as a
 * separate process, authenticating with SMART Backend Services) into this test's own running
 * sandbox, and the SMART app then shows the imported KL grades for that patient in its imaging
 * panel. The sandbox started by `npm start` is never touched: this stack lives and dies with
 * this file. Set PATELLA_SCREENSHOT_DIR to keep a screenshot of the panel.
 */
import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../sandbox/build-front-ends.ts";
import type { DemoStack } from "../../sandbox/demo-stack.ts";
import { patientIdOf } from "../../shared/fhir-references.ts";
import { KNOWN_ALGORITHM_NAME } from "../../shared/imaging/algorithms.ts";
import { registerBackendClient } from "../support/backend-client-key.ts";
import { group, num, projectCode, sct, site, srFile } from "../support/sr-writer.ts";
import type { TestBrowser } from "./browser.ts";
import { useE2eStack, WAIT } from "./demo-fixture.ts";

let stack: DemoStack;
let browser: TestBrowser;

useE2eStack((started, launched) => ((stack = started), (browser = launched)));

function importCli(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(REPO_ROOT, "models/imaging/cli.ts"), ...args], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, output })));
}

/** A demo patient with no imaging at all, so whatever the panel shows came from the import. */
function patientWithoutImaging(): string {
  const withImaging = new Set(
    stack.cohort.resources.filter((r: Resource) => r.resourceType === "DiagnosticReport" || r.resourceType === "ImagingStudy").map((r) => patientIdOf(r)),
  );
  const patient = stack.cohort.resources.find((r) => r.resourceType === "Patient" && !withImaging.has(r.id!));
  if (patient === undefined) throw new Error("every demo patient has imaging");
  return patient.id!;
}

describe("an imported SR in the app", () => {
  it("imports a KL grading SR into the running sandbox and shows its grades in the app's imaging panel", async () => {
    const patientId = patientWithoutImaging();
    const knee = sct("72696002", "Knee");
    const kl = projectCode("kl-grade", "Kellgren-Lawrence grade");
    const algorithm = { name: KNOWN_ALGORITHM_NAME.kl, version: "3.1" };
    const sr = srFile(
      [group(algorithm, [site(knee, "left"), num(kl, 3, "{grade}")], "left knee"), group(algorithm, [site(knee, "right"), num(kl, 1, "{grade}")], "right knee")],
      { patientId, studyUid: "2.25.777001", sopUid: "2.25.777002", contentDate: "20250610" },
    );
    const dir = await mkdtemp(join(tmpdir(), "patella-e2e-sr-"));
    const file = join(dir, "kl.dcm");
    await writeFile(file, sr);
    const keyFile = await registerBackendClient(stack.ehr, "imaging-importer", { mayWrite: true });

    const run = await importCli([file, "--fhir", stack.ehr.fhirBaseUrl, "--client-id", "imaging-importer", "--key", keyFile]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/results imported: kl 1; 0 items skipped/);

    const page = await browser.context.newPage();
    await page.goto(`${stack.app.url}/launch.html?iss=${encodeURIComponent(stack.ehr.fhirBaseUrl)}`);
    await page.locator(`a[href*="picked_patient=${patientId}"]`).click(WAIT);
    await page.locator('#app[data-state="ready"]').waitFor(WAIT);

    const panel = page.locator('[data-testid="imaging"]');
    const card = panel.locator('[data-testid^="imaging-ai-"]');
    await card.first().waitFor(WAIT);
    expect(await card.count()).toBe(1);
    expect(await card.locator(".iai-invalid").count()).toBe(0);
    const text = await card.innerText();
    expect(text).toContain("Knee KL grader version 3.1 by Example AI Inc., result of 2025-06-10");
    expect(text).toMatch(/Left\s+3 \(/);
    expect(text).toMatch(/Right\s+1 \(/);
    // The imported source study and report are listed; without a viewer configured, nothing links
    // (a link to the FHIR API would open without the app's token).
    await expect(panel.locator("ul.imaging li", { hasText: "Report:" }).count()).resolves.toBe(1);
    await expect(panel.locator("ul.imaging li", { hasText: "Study:" }).count()).resolves.toBe(1);
    await expect(panel.locator("ul.imaging a").count()).resolves.toBe(0);
    expect(await panel.locator('[data-testid="query-status"]').count()).toBe(0);

    const shots = process.env.PATELLA_SCREENSHOT_DIR;
    if (shots !== undefined) await panel.screenshot({ path: `${shots}/imaging-panel-imported-sr.png` });
    await page.close();
  }, 180_000);
});
