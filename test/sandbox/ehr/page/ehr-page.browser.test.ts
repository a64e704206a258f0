/**
 * The EHR page in headless chromium, on its own build, a sandbox with a long patient list and a
 * stub CDS service whose card has two suggestions and a smart link:
 * - in a phone-sized window (360 px) the patient list, the chart and the app panel stack, so
 *   opening a chart or an app must bring it on screen, and nothing may stick out sideways;
 * - a card takes one decision, as the service records it: after one, the others are disabled;
 * - the page runs under its Content-Security-Policy without a violation, frames the registered
 *   app only, and renders no link of a hostile card (Bob's) that is not http(s).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Resource } from "fhir/r4";
import express from "express";
import type { Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../../sandbox/build-front-ends.ts";
import { startSandbox, type Sandbox } from "../../../../sandbox/sandbox-server.ts";
import { launchBrowser, type TestBrowser } from "../../../e2e/browser.ts";
import { FIXTURE_RESOURCES } from "../../fixtures.ts";

const WAIT = { timeout: 30_000 };
/** Enough patients that the chart, below the list in a narrow window, starts off screen. */
const EXTRA_PATIENTS: Resource[] = Array.from({ length: 30 }, (_, i) => ({
  resourceType: "Patient",
  id: `extra-${i}`,
  name: [{ given: ["Extra"], family: `Patient ${i}` }],
  gender: i % 2 ? "male" : "female",
  birthDate: "1950-01-01",
}));

/** Bob's card: links a page must not open (javascript:), and a smart link to an app on an
 * origin that is not registered (the stub's port under another name). */
function hostileCard(stubUrl: string) {
  const evil = "javascript:document.title='pwned'";
  return {
    uuid: `hostile-${Date.now()}`,
    summary: "Hostile card",
    indicator: "warning",
    source: { label: "stub source", url: evil },
    links: [
      { label: "Evil link", url: evil, type: "absolute" },
      { label: "Evil app", url: evil, type: "smart" },
      { label: "Unregistered app", url: stubUrl.replace("127.0.0.1", "localhost") + "/app", type: "smart" },
    ],
  };
}

/** Collects the page's CSP violations in window.cspViolations, from its first script on. */
function recordViolations(): void {
  const seen: string[] = [];
  (window as unknown as { cspViolations: string[] }).cspViolations = seen;
  document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
}
const violations = (page: Page) => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

let pageDir: string;
let sandbox: Sandbox;
let stub: Server;
let stubUrl: string;
let browser: TestBrowser;
/** Feedback items the stub received, and the one decision it keeps per card (as the service does). */
const feedbackReceived: { card: string; outcome: string }[] = [];
const decisions = new Map<string, string>();

beforeAll(async () => {
  // Its own build folder: dist/ belongs to `npm start` and the end-to-end tests.
  pageDir = await mkdtemp(join(tmpdir(), "patella-ehr-page-"));
  await build({ configFile: `${REPO_ROOT}sandbox/ehr/page/vite.config.ts`, logLevel: "error", build: { outDir: pageDir, emptyOutDir: true } });
  sandbox = await startSandbox({ port: 0, resources: [...FIXTURE_RESOURCES, ...EXTRA_PATIENTS], pageDir });
  const app = express();
  app.use(express.json());
  app.get("/cds-services", (_req, res) => void res.json({ services: [{ hook: "patient-view", id: "stub", description: "d" }] }));
  app.post("/cds-services/stub/feedback", (req, res) => {
    const item = (req.body as { feedback: { card: string; outcome: string; acceptedSuggestions?: { id: string }[] }[] }).feedback[0]!;
    feedbackReceived.push(item);
    const decision = JSON.stringify([item.outcome, item.acceptedSuggestions ?? []]);
    if (decisions.has(item.card) && decisions.get(item.card) !== decision) {
      return void res.status(409).json({ resourceType: "OperationOutcome", issue: [{ severity: "error", code: "conflict", diagnostics: "another decision was recorded" }] });
    }
    decisions.set(item.card, decision);
    res.json({});
  });
  app.get("/app", (_req, res) => void res.type("html").send("<!doctype html><title>app</title><p>stub app</p>"));
  stub = createServer(app);
  await new Promise<void>((r) => stub.listen(0, "127.0.0.1", r));
  stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  // The stub app is registered as the sandbox's SMART app: the page's frame-src allows its origin only.
  sandbox.appClients.push({ clientId: "stub-app", redirectUris: [`${stubUrl}/app`] });
  app.post("/cds-services/stub", (req, res) => {
    if ((req.body as { context?: { patientId?: string } }).context?.patientId === "bob") return void res.json({ cards: [hostileCard(stubUrl)] });
    res.json({
      cards: [
        {
          uuid: `c-${feedbackReceived.length}-${Date.now()}`,
          summary: "Stub risk",
          indicator: "info",
          source: { label: "stub" },
          selectionBehavior: "any",
          suggestions: [
            { uuid: "s-1", label: "Propose physiotherapy" },
            { uuid: "s-2", label: "Propose weight management" },
          ],
          // As long as the service's longest reason.
          overrideReasons: [{ code: "already-assessed", system: "urn:test", display: "Knee osteoarthritis already assessed or managed" }],
          links: [{ label: "Open the app", url: `${stubUrl}/app`, type: "smart" }],
        },
      ],
    });
  });
  sandbox.cdsServices.push(stubUrl);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  stub?.closeAllConnections();
  await new Promise((r) => stub?.close(r));
  await sandbox?.close();
  if (pageDir) await rm(pageDir, { recursive: true, force: true });
});

const onScreen = (page: Page, selector: string) =>
  page.locator(selector).evaluate((e) => {
    const { top, bottom } = e.getBoundingClientRect();
    return top < window.innerHeight && bottom > 0;
  });

describe("the EHR page at 360 px wide", () => {
  it("brings the chart on screen when a patient is picked, then the app opened from the card", async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(sandbox.url);
    await page.locator('[data-testid="patient-list"][data-state="loaded"]').waitFor(WAIT);
    const first = page.locator("#patient-list li").first();
    await expect(onScreen(page, "#patient-list li:first-child")).resolves.toBe(true);
    await expect(onScreen(page, "#chart")).resolves.toBe(false);

    await first.click();
    await page.locator('[data-testid="cards"][data-state="done"]').waitFor(WAIT);
    await expect(onScreen(page, '[data-testid="patient-banner"]')).resolves.toBe(true);

    // Scrolled back to the chart's end, so that the panel opening below is off screen.
    await page.locator('[data-testid="smart-link"]').scrollIntoViewIfNeeded();
    await page.locator('[data-testid="smart-link"]').click();
    await page.frameLocator('[data-testid="app-frame"]').locator("text=stub app").waitFor(WAIT);
    await expect(onScreen(page, "#app-panel")).resolves.toBe(true);
    await page.close();
  }, 60_000);

  it("sticks out nowhere: the page is no wider than the window, footer switches included", async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(sandbox.url);
    await page.locator('[data-testid="patient-list"][data-state="loaded"]').waitFor(WAIT);
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(360);
    for (const id of ["omit-prefetch", "fhir-fault", "app-target"]) {
      const right = await page.locator(`#${id}`).evaluate((e) => e.getBoundingClientRect().right);
      expect(right, id).toBeLessThanOrEqual(360);
    }
    // A card's controls stay inside the card, the override reasons' select included.
    await page.locator('[data-patient-id="alice"]').click();
    await page.locator('[data-testid="cards"][data-state="done"]').waitFor(WAIT);
    const card = page.locator('[data-testid="cds-card"]');
    const cardRight = await card.evaluate((e) => e.getBoundingClientRect().right);
    const controlRights = await card.locator("select, input, button").evaluateAll((es) => es.map((e) => e.getBoundingClientRect().right));
    expect(Math.max(...controlRights)).toBeLessThanOrEqual(cardRight);
    await page.close();
  }, 60_000);
});

describe("a card's decision", () => {
  it("takes one: after an accepted suggestion the card's other suggestion and its dismissal are disabled", async () => {
    const page = await browser.context.newPage();
    await page.goto(sandbox.url);
    await page.locator('[data-testid="patient-list"][data-state="loaded"]').waitFor(WAIT);
    await page.locator('[data-patient-id="alice"]').click();
    await page.locator('[data-testid="cards"][data-state="done"]').waitFor(WAIT);
    const card = page.locator('[data-testid="cds-card"]');
    const before = feedbackReceived.length;
    await card.locator('[data-testid="suggestion"]').first().click();
    await expect(card.locator('[data-testid="feedback-status"]').innerText(WAIT)).resolves.toBe("Feedback sent (accepted).");
    // A second, different decision would only earn the service's 409.
    await expect(card.locator('[data-testid="suggestion"]').nth(1).isDisabled()).resolves.toBe(true);
    await expect(card.locator('[data-testid="dismiss"]').isDisabled()).resolves.toBe(true);
    await expect(card.locator('[data-testid="override-reason"]').isDisabled()).resolves.toBe(true);
    await expect(card.locator('[data-testid="smart-link"]').isDisabled()).resolves.toBe(false);
    expect(feedbackReceived.length - before).toBe(1);
    await page.close();
  }, 60_000);
});

describe("the page's Content-Security-Policy and a hostile card", () => {
  it("runs without a violation: patient list, chart, cards, and the registered app framed in the panel", async () => {
    const page = await browser.context.newPage();
    await page.addInitScript(recordViolations);
    await page.goto(sandbox.url);
    await page.locator('[data-testid="patient-list"][data-state="loaded"]').waitFor(WAIT);
    await page.locator('[data-patient-id="alice"]').click();
    await page.locator('[data-testid="cards"][data-state="done"]').waitFor(WAIT);
    await page.locator('[data-testid="smart-link"]').click();
    await page.frameLocator('[data-testid="app-frame"]').locator("text=stub app").waitFor(WAIT);
    await expect(violations(page)).resolves.toEqual([]);
    await page.close();
  }, 60_000);

  it("renders no javascript: anchor, says the links were dropped, and frames no unregistered origin", async () => {
    const page = await browser.context.newPage();
    await page.addInitScript(recordViolations);
    await page.goto(sandbox.url);
    await page.locator('[data-testid="patient-list"][data-state="loaded"]').waitFor(WAIT);
    await page.locator('[data-patient-id="bob"]').click();
    await page.locator('[data-testid="cards"][data-state="done"]').waitFor(WAIT);
    const card = page.locator('[data-testid="cds-card"]');
    await expect(card.locator(".summary").innerText()).resolves.toBe("Hostile card");
    await expect(page.locator('a[href^="javascript" i]').count()).resolves.toBe(0);
    await expect(card.locator("a").count()).resolves.toBe(0);
    await expect(card.locator(".source").innerText()).resolves.toBe("Source: stub source");
    await expect(card.locator('[data-testid="refused-links"]').innerText()).resolves.toBe(
      "3 links of this card not shown (javascript:): this EHR opens only http and https links.",
    );
    await expect(card.locator('[data-testid="smart-link"]').allInnerTexts()).resolves.toEqual(["Unregistered app"]);

    // The one smart link left is http, but its origin is no registered app's: the CSP blocks the frame.
    const unregistered = stubUrl.replace("127.0.0.1", "localhost");
    await card.locator('[data-testid="smart-link"]').click();
    await page.waitForFunction(() => (window as unknown as { cspViolations: string[] }).cspViolations.length > 0, null, WAIT);
    const seen = await violations(page);
    // Chromium reports a cross-origin blocked URL by its origin.
    expect(seen).toEqual([`frame-src ${unregistered}`]);
    await expect(page.frameLocator('[data-testid="app-frame"]').locator("text=stub app").count()).resolves.toBe(0);
    // No javascript: URL ran (it would have renamed the page).
    await expect(page.title()).resolves.toBe("Patella sandbox EHR");
    await page.close();
  }, 60_000);
});
