/**
 * End to end: the EHR page of the sandbox, the real CDS service and the SMART app, in headless
 * chromium, as a clinician uses them.
 */
import { describe, expect, it } from "vitest";
import { summaryOf } from "../../cds-service/feedback/summarize.ts";
import type { DemoStack } from "../../sandbox/demo-stack.ts";
import type { TestBrowser } from "./browser.ts";
import { openChart as openChartOf, patientWith as patientOf, type Toggles, useE2eStack, WAIT } from "./demo-fixture.ts";

let stack: DemoStack;
let browser: TestBrowser;

useE2eStack((started, launched) => ((stack = started), (browser = launched)));

const patientWith = (tag: string, notTagged: readonly string[] = []) => patientOf(stack, tag, notTagged);
const openChart = (patientId: string, toggles: Toggles = {}) => openChartOf(browser, stack, patientId, toggles);

describe("sandbox EHR with the CDS service and the app", () => {
  it("shows the risk card of a high-risk patient", async () => {
    const page = await openChart(patientWith("high risk"));
    const card = page.locator('[data-testid="cds-card"]');
    await expect(card.count()).resolves.toBe(1);
    const summary = await card.locator(".summary").innerText();
    expect(summary).toMatch(/\d+(\.\d)?% \(High; synthetic-data model, not for clinical use\)/);
    expect(await card.innerText()).toContain("not validated for clinical use");
    await page.close();
  });

  it("sends the dismissal with its reason to the service, which stores it", async () => {
    const page = await openChart(patientWith("high risk"));
    const card = page.locator('[data-testid="cds-card"]');
    const before = await summaryOf(stack.cds.feedback);
    const reasons = await card.locator('[data-testid="override-reason"] option').allInnerTexts();
    expect(reasons.length).toBeGreaterThan(1);
    await card.locator('[data-testid="override-reason"]').selectOption({ index: 1 });
    await card.locator('[data-testid="override-comment"]').fill("seen last week");
    await card.locator('[data-testid="dismiss"]').click();
    await expect(card.locator('[data-testid="feedback-status"]').innerText(WAIT)).resolves.toBe("Feedback sent (overridden).");
    const after = await summaryOf(stack.cds.feedback);
    expect(after.overridden).toBe(before.overridden + 1);
    expect(after.overrideReasons.map((r) => r.display)).toContain(reasons[1]);
    expect(stack.ehr.sentFeedback.at(-1)).toMatchObject({ outcome: "overridden", status: 200 });
    await page.close();
  });

  it("sends an accepted suggestion as feedback", async () => {
    const page = await openChart(patientWith("high risk"));
    const card = page.locator('[data-testid="cds-card"]');
    const before = await summaryOf(stack.cds.feedback);
    await card.locator('[data-testid="suggestion"]').first().click();
    await expect(card.locator('[data-testid="feedback-status"]').innerText(WAIT)).resolves.toBe("Feedback sent (accepted).");
    const after = await summaryOf(stack.cds.feedback);
    expect(after.accepted).toBe(before.accepted + 1);
    expect(stack.ehr.sentFeedback.at(-1)).toMatchObject({ outcome: "accepted", status: 200 });
    await page.close();
  });

  it("shows no card for a low-risk patient", async () => {
    const page = await openChart(patientWith("low risk", ["imaging KL 2+"]));
    await expect(page.locator('[data-testid="cds-card"]').count()).resolves.toBe(0);
    await expect(page.locator('[data-testid="service-status"]').innerText()).resolves.toMatch(/0 cards \(HTTP 200/);
    await page.close();
  });

  it("shows a card, whatever the tier, for each patient with a risk whose knee the imaging AI graded KL 2 or more", async () => {
    const graded = [...stack.cohort.tags].filter(([, tags]) => tags.includes("imaging KL 2+"));
    // At least one of them low risk: the card that comes for the radiograph alone.
    expect(graded.filter(([, tags]) => tags.includes("low risk")).length).toBeGreaterThan(0);
    for (const [patientId] of graded) {
      const page = await openChart(patientId);
      const card = page.locator('[data-testid="cds-card"]');
      await expect(card.count(), patientId).resolves.toBe(1);
      await expect(card.locator(".summary").innerText(), patientId).resolves.toMatch(/^Imaging AI suggests knee OA \(KL [234]\), not coded; 1-year risk of a diagnosis: /);
      await page.close();
    }
  });

  it("launches the app from the card's smart link with the patient and appContext", async () => {
    const patientId = patientWith("high risk");
    const page = await openChart(patientId);
    await page.locator('[data-testid="smart-link"]').first().click();
    const app = page.frameLocator('[data-testid="app-frame"]');
    await app.locator('#app[data-state="ready"]').waitFor(WAIT);
    // The launch's details are for support staff, collapsed at the page's end: opened as they would.
    await app.locator('[data-testid="launch-details"] summary').click();
    await expect(app.locator('[data-testid="patient-id"]').innerText()).resolves.toBe(patientId);
    await expect(app.locator('[data-testid="app-context"]').innerText()).resolves.toContain("cardUuid");
    await expect(app.locator('[data-testid="scope"]').innerText()).resolves.toContain("patient/Condition.rs");
    await page.close();
  });

  it("with prefetch omitted, the service fetches the record itself and still shows the card", async () => {
    const page = await openChart(patientWith("high risk"), { omitPrefetch: true });
    await expect(page.locator('[data-testid="cds-card"] .summary').innerText()).resolves.toMatch(/\(High; synthetic-data model, not for clinical use\)/);
    await page.close();
  });

  it("with prefetch omitted, a low-risk patient whose knee the imaging AI graded KL 2 or more still gets the card: the grades are fetched with the rest", async () => {
    const [patientId] = [...stack.cohort.tags].find(([, tags]) => tags.includes("imaging KL 2+") && tags.includes("low risk"))!;
    const page = await openChart(patientId, { omitPrefetch: true });
    const card = page.locator('[data-testid="cds-card"]');
    await expect(card.count()).resolves.toBe(1);
    await expect(card.locator(".summary").innerText()).resolves.toMatch(/^Imaging AI suggests knee OA \(KL [234]\), not coded; 1-year risk of a diagnosis: .*\(Low; /);
    await page.close();
  });

  it("with prefetch omitted and the FHIR server failing, the service answers 412 and the page says so", async () => {
    const page = await openChart(patientWith("high risk"), { omitPrefetch: true, fhirFault: "fail" });
    await expect(page.locator('[data-testid="cds-card"]').count()).resolves.toBe(0);
    await expect(page.locator('[data-testid="service-status"]').innerText()).resolves.toMatch(/failed: service answered 412 \(HTTP 412/);
    await page.close();
  });

  it("runs a standalone launch: the app asks the sandbox for a patient picker", async () => {
    const patientId = patientWith("already diagnosed");
    const page = await browser.context.newPage();
    await page.goto(`${stack.app.url}/launch.html?iss=${encodeURIComponent(stack.ehr.fhirBaseUrl)}`);
    await page.locator(`a[href*="picked_patient=${patientId}"]`).click(WAIT);
    await page.locator('#app[data-state="ready"]').waitFor(WAIT);
    await page.locator('[data-testid="launch-details"] summary').click();
    await expect(page.locator('[data-testid="patient-id"]').innerText()).resolves.toBe(patientId);
    await expect(page.locator('[data-testid="app-context"]').innerText()).resolves.toContain("no appContext");
    await page.close();
  });
});
