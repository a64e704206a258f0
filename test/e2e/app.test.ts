/**
 * End to end: the SMART app in headless chromium against the sandbox EHR, launched from the
 * card and standalone; partial records (a failing type, a narrower grant); what-if; the same
 * probability as the card; axe-core on every view at 360 px and wide.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { APP_DIR } from "../../sandbox/build-front-ends.ts";
import type { DemoStack } from "../../sandbox/demo-stack.ts";
import { SHORT_DISCLAIMER } from "../../shared/assess-risk.ts";
import type { TestBrowser } from "./browser.ts";
import { openChart, patientWith, useE2eStack, WAIT } from "./demo-fixture.ts";
import { MAX_DISPLAY_CHARS } from "../../shared/clipped-text.ts";
import { contrastRatio } from "../../app/smart/contrast.ts";

let stack: DemoStack;
let browser: TestBrowser;

useE2eStack((started, launched) => ((stack = started), (browser = launched)));

const READY = '#app[data-state="ready"]';

interface LaunchOptions {
  width?: number;
  beforeLaunch?: (page: Page) => Promise<unknown>;
  /** The FHIR server as the link spells it (default: the sandbox's base). */
  iss?: string;
  /** More parameters of the link, e.g. a card's indexDate. */
  extra?: string;
  /** The page state to wait for (default: the risk ready). */
  until?: string;
}

/** Standalone launch: launch.html with only iss (and `extra`), then the sandbox's patient picker. */
async function standalone(patientId: string, options: LaunchOptions = {}): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: options.width ?? 1280, height: 900 });
  await options.beforeLaunch?.(page);
  await page.goto(`${stack.app.url}/launch.html?iss=${encodeURIComponent(options.iss ?? stack.ehr.fhirBaseUrl)}${options.extra ?? ""}`);
  await page.locator(`a[href*="picked_patient=${patientId}"]`).click(WAIT);
  await page.locator(options.until ?? READY).waitFor({ timeout: 60_000 });
  return page;
}

async function seriousViolations(page: Page): Promise<string[]> {
  // Open every disclosure so that the records, the table and the launch details are checked too.
  await page.evaluate(() => document.querySelectorAll("details").forEach((d) => d.setAttribute("open", "")));
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/**
 * Content outside every landmark (axe's "region", a moderate issue that seriousViolations leaves
 * out: the patient banner was, on every view), or a second banner landmark beside the page's title.
 */
async function landmarkViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withRules(["region", "landmark-no-duplicate-banner", "landmark-unique"]).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/**
 * What a narrow panel could break: an ISO date shown outside a <time> element, or a <time> not
 * kept on one line. Not checked: the chart's SVG labels and text for screen readers only (never
 * wrapped), and the raw appContext JSON for support staff.
 */
async function breakableDates(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      // Identifiers (the patient id, the card's uuid, appContext) are set as code: a patient id
      // such as d4027892-275b-... holds "7892-27", which is no date.
      if (node.parentElement?.closest("time, svg, code, .visually-hidden")) continue;
      for (const date of node.textContent?.match(/\d{4}-\d{2}(?:-\d{2})?/g) ?? []) problems.push(`${date} outside <time>`);
    }
    for (const time of document.querySelectorAll("time")) {
      if (getComputedStyle(time).whiteSpace !== "nowrap" || time.getClientRects().length > 1) problems.push(`${time.textContent} can wrap`);
    }
    return problems;
  });
}

/** How far the trend table sticks out of its panel, in px (it scrolls by that much). */
function trendTableOverflow(page: Page): Promise<number> {
  return page.locator('[data-testid="trend"] .table-scroll').evaluate((e) => e.scrollWidth - e.clientWidth);
}

/**
 * How much taller each grid item of the layout is drawn than its content needs, in px, by its
 * test id: a grid that stretches its items to the row's height left a short panel beside a long
 * one (the what-if beside the reasons) as a large empty box. The height its content needs is the
 * item's own when it is laid out alone at the top of its grid area (align-self: start, for the
 * measurement only).
 */
function heightBeyondContent(page: Page): Promise<Record<string, number>> {
  return page.locator("#app").evaluate((layout) =>
    Object.fromEntries(
      [...layout.children].map((item) => {
        const element = item as HTMLElement;
        const drawn = element.getBoundingClientRect().height;
        element.style.alignSelf = "start";
        const needed = element.getBoundingClientRect().height;
        element.style.alignSelf = "";
        return [element.getAttribute("data-testid") ?? element.tagName, Math.round(drawn - needed)];
      }),
    ),
  );
}

/**
 * How the trend chart paints its tier lines' labels ("Moderate from 1.0%"): after the risk line
 * (over it), and with a halo in the trend panel's colour under the letters, so that the line,
 * wherever the data takes it, cannot run through the text. Colours as #rrggbb.
 */
function tierLabelPaint(page: Page) {
  return page.locator('[data-testid="trend"]').evaluate((panel) => {
    const hex = (rgb: string) => `#${(rgb.match(/\d+/g) ?? []).slice(0, 3).map((c) => Number(c).toString(16).padStart(2, "0")).join("")}`;
    const riskLine = panel.querySelector(".recharts-line-curve");
    const labels = [...panel.querySelectorAll(".recharts-label")].filter((label) => / from \d/.test(label.textContent ?? ""));
    return {
      panelColour: hex(getComputedStyle(panel).backgroundColor),
      labels: labels.map((label) => {
        const style = getComputedStyle(label);
        return {
          text: label.textContent ?? "",
          overRiskLine: riskLine !== null && (riskLine.compareDocumentPosition(label) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0,
          strokeFirst: style.paintOrder.split(" ")[0] === "stroke",
          halo: hex(style.stroke),
          haloPx: parseFloat(style.strokeWidth),
          fill: hex(style.fill),
        };
      }),
    };
  });
}

/** Opens the support staff's launch details with the keyboard, as a clinician never needs to. */
async function openLaunchDetails(root: Pick<Page, "locator">): Promise<void> {
  await expect(root.locator('[data-testid="launch-details"]').getAttribute("open")).resolves.toBeNull();
  await root.locator('[data-testid="launch-details"] summary').press("Enter");
  await expect(root.locator('[data-testid="launch-details"]').getAttribute("open")).resolves.toBe("");
}

/** Drops resource scopes from the authorize request, as an EHR or user granting less would. */
function withholdScopes(types: string[]) {
  return async (page: Page) => {
    await page.route(`${stack.ehr.url}/auth/authorize?**`, async (route) => {
      const url = new URL(route.request().url());
      const scope = (url.searchParams.get("scope") ?? "").split(" ").filter((s) => !types.some((t) => s === `patient/${t}.rs`));
      url.searchParams.set("scope", scope.join(" "));
      await route.continue({ url: url.toString() });
    });
  };
}

describe("the SMART app", { timeout: 420_000 }, () => {
  it("opens from the card's link (EHR launch) and shows the card's probability", async () => {
    for (const tag of ["high risk", "moderate risk"]) {
      const patientId = patientWith(stack, tag);
      const page = await openChart(browser, stack, patientId);
      const cardRisk = /(\d+\.\d%|<0\.1%|>99\.9%)/.exec(await page.locator('[data-testid="cds-card"] .summary').innerText())?.[1];
      const cardText = await page.locator('[data-testid="cds-card"]').innerText();
      await page.locator('[data-testid="smart-link"]').first().click();
      const app = page.frameLocator('[data-testid="app-frame"]');
      await app.locator(READY).waitFor({ timeout: 60_000 });
      expect(cardRisk).toBeDefined();
      await expect(app.locator('[data-testid="risk-value"]').innerText()).resolves.toBe(cardRisk);
      // The same comparison with the same age and sex, in the same words (onnxruntime-node and -web).
      expect(cardText).toContain(await app.locator('[data-testid="baseline"]').innerText());
      // The site's patella-app.json asks for the procedures behind the knee-replacement caveat, and the sandbox grants and serves them.
      await expect(app.locator('[data-testid="data-caveat"][data-query="procedures"]').count()).resolves.toBe(0);
      await openLaunchDetails(app);
      await expect(app.locator('[data-testid="app-context"]').innerText()).resolves.toContain("cardUuid");
      await expect(app.locator('[data-testid="model-info"]').innerText()).resolves.toContain("the date of the CDS card");
      // Embedded in the chart, the EHR shows its own banner (need_patient_banner: false).
      await expect(app.locator('[data-testid="patient-banner"]').count()).resolves.toBe(0);
      await page.close();
    }
  });

  it("runs a standalone launch with the picker, keeps the session on reload, and passes axe at both widths", async () => {
    const patientId = patientWith(stack, "high risk");
    for (const width of [360, 1280]) {
      const page = await standalone(patientId, { width });
      const risk = await page.locator('[data-testid="risk-value"]').innerText();
      // The support staff's details come last, collapsed.
      await expect(page.locator("#app > :last-child").getAttribute("data-testid")).resolves.toBe("launch-details");
      await openLaunchDetails(page);
      await expect(page.locator('[data-testid="app-context"]').innerText()).resolves.toContain("no appContext");
      // Standalone, the app shows the patient itself (need_patient_banner: true), in the EHR's style.
      await expect(page.locator('[data-testid="patient-banner"]').count()).resolves.toBe(1);
      await page.waitForFunction(() => getComputedStyle(document.body).backgroundColor === "rgb(243, 245, 249)", null, WAIT);
      await expect(page.locator("#risk-heading").evaluate((e) => getComputedStyle(e).fontFamily)).resolves.toContain("DejaVu Serif");
      await page.locator('[data-testid="trend-table"]').waitFor({ state: "attached", ...WAIT });
      await expect(page.locator('[data-testid="trend-table"] tbody tr').count()).resolves.toBe(36);
      // Every section that shows a risk says the model is trained on synthetic data.
      for (const section of ["trend", "what-if"]) await expect(page.locator(`[data-testid="${section}"]`).innerText()).resolves.toContain(SHORT_DISCLAIMER);
      expect(await seriousViolations(page)).toEqual([]);
      expect(await landmarkViolations(page)).toEqual([]);
      // With the table open: every date on one line, and the table within its panel even at 360 px.
      expect(await breakableDates(page)).toEqual([]);
      await expect(trendTableOverflow(page)).resolves.toBeLessThanOrEqual(0);
      // The model card link opens the card as a page, not as raw Markdown.
      const cardUrl = await page.locator('[data-testid="model-info"] a').getAttribute("href").then((h) => new URL(h ?? "", page.url()).toString());
      const card = await page.request.get(cardUrl);
      expect(card.headers()["content-type"]).toContain("text/html");
      await expect(card.text()).resolves.toContain("<h1>");
      // Readable in a 360 px side panel: wide tables scroll inside themselves, the page does not.
      const cardPage = await page.context().newPage();
      await cardPage.setViewportSize({ width: 360, height: 800 });
      await cardPage.goto(cardUrl);
      await expect(cardPage.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(360);
      await cardPage.close();
      // The PKCE secrets left the stored session once the code was exchanged; the reload needs none.
      const storedState = () => page.evaluate(() => Object.keys(JSON.parse(sessionStorage.getItem(JSON.parse(sessionStorage.getItem("SMART_KEY")!))!)));
      await expect(storedState()).resolves.toContain("tokenResponse");
      await expect(storedState()).resolves.not.toContain("codeVerifier");
      await page.reload();
      await page.locator(READY).waitFor({ timeout: 60_000 });
      await expect(page.locator('[data-testid="risk-value"]').innerText()).resolves.toBe(risk);
      await page.close();
    }
  });

  it("draws each panel as tall as its content, and the tier lines' labels haloed over the risk line, at both widths", async () => {
    // A high-risk patient: its reasons run long beside the short what-if, and the trend reaches the Moderate line.
    const patientId = patientWith(stack, "high risk");
    for (const width of [360, 1280]) {
      const page = await standalone(patientId, { width });
      await page.locator('[data-testid="trend"] .recharts-line-curve').waitFor(WAIT);
      const beyondContent = await heightBeyondContent(page);
      expect(Object.keys(beyondContent)).toEqual(expect.arrayContaining(["risk-summary", "what-if", "reasons", "trend", "imaging", "data-quality"]));
      expect(Object.entries(beyondContent).filter(([, px]) => px !== 0)).toEqual([]);
      const { panelColour, labels } = await tierLabelPaint(page);
      expect(labels.map((label) => label.text)).toContain("Moderate from 1.0%");
      for (const { text, overRiskLine, strokeFirst, halo, haloPx, fill } of labels) {
        expect({ text, overRiskLine, strokeFirst, halo }).toEqual({ text, overRiskLine: true, strokeFirst: true, halo: panelColour });
        expect(haloPx).toBeGreaterThanOrEqual(3);
        // Around its letters the label's text meets only the halo: WCAG AA's 4.5:1 for text this small.
        expect(contrastRatio(fill, halo)).toBeGreaterThanOrEqual(4.5);
      }
      await page.close();
    }
  });

  it("runs framed by the EHR under the Content-Security-Policy it is served with, without a violation, and so does the model card", async () => {
    const recordViolations = () => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    };
    const violations = (frame: { evaluate: Page["evaluate"] }) => frame.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
    const headers = (await browser.context.request.get(`${stack.app.url}/launch.html`)).headers();
    expect(headers["content-security-policy"]).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(headers["content-security-policy"]).toContain(`frame-ancestors 'self' ${stack.ehr.url}`);
    expect(headers["content-security-policy"]).toContain(`connect-src 'self' ${stack.ehr.url}`);
    expect(headers["referrer-policy"]).toBe("no-referrer");
    expect(headers["x-frame-options"]).toBeUndefined();

    const page = await openChart(browser, stack, patientWith(stack, "high risk"));
    await page.addInitScript(recordViolations);
    await page.locator('[data-testid="smart-link"]').first().click();
    const app = page.frameLocator('[data-testid="app-frame"]');
    await app.locator(READY).waitFor({ timeout: 60_000 });
    await app.locator('[data-testid="trend-table"]').waitFor({ state: "attached", ...WAIT });
    const appFrame = page.frames().find((f) => f.url().startsWith(stack.app.url));
    expect(appFrame).toBeDefined();
    await expect(violations(appFrame!)).resolves.toEqual([]);
    await page.close();

    const card = await browser.context.newPage();
    await card.addInitScript(recordViolations);
    await card.goto(`${stack.app.url}/model-card.html`);
    await expect(card.locator("h1").count()).resolves.toBeGreaterThan(0);
    await expect(violations(card)).resolves.toEqual([]);
    await card.close();
  });

  it("is built without a logger that localStorage.debug could turn on (fhirclient's lines hold the token)", () => {
    const scripts = readdirSync(join(APP_DIR, "assets")).filter((f) => f.endsWith(".js"));
    expect(scripts.length).toBeGreaterThan(0);
    for (const file of scripts) expect(readFileSync(join(APP_DIR, "assets", file), "utf8"), file).not.toMatch(/getItem\(["'`]debug["'`]\)/);
  });

  it("recomputes the risk at once when the BMI changes and states the difference", async () => {
    const page = await standalone(patientWith(stack, "high risk"));
    const now = await page.locator('[data-testid="risk-value"]').innerText();
    await page.locator('[data-testid="what-if-bmi"]').fill("20");
    const result = page.locator('[data-testid="what-if-result"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="what-if-result"]')?.textContent?.includes("With BMI 20.0:"), null, WAIT);
    const text = await result.innerText();
    const whatIf = /With BMI 20\.0: (\S+) \((?:Low|Moderate|High) risk\) compared with/.exec(text)?.[1];
    expect(whatIf).toBeDefined();
    expect(whatIf).not.toBe(now);
    const tier = await page.locator('[data-testid="risk-tier"]').innerText();
    expect(text).toMatch(new RegExp(`compared with ${now.replace(/[.<>]/g, "\\$&")} \\(${tier}\\) now, (?:(?:more|less) than |up to )?\\d+\\.\\d percentage points (?:higher|lower)\\.`));
    await page.close();
  });

  it("shows states without a number: already diagnosed and too young (axe clean)", async () => {
    const states = [
      ["already diagnosed", "already-diagnosed", "already diagnosed \\(knee OA first recorded \\d{4}-\\d{2}-\\d{2}\\)"],
      ["too young", "not-applicable", "model does not apply \\(under the minimum age of 18\\)"],
    ] as const;
    for (const [tag, state, noRiskReason] of states) {
      const page = await standalone(patientWith(stack, tag), { width: 360 });
      await expect(page.locator('[data-testid="risk-state"]').getAttribute("data-state")).resolves.toBe(state);
      await expect(page.locator('[data-testid="risk-value"]').count()).resolves.toBe(0);
      // The trend's own "Computing..." (not recharts' tooltip, also a status).
      await page.locator('[data-testid="trend"] > [role="status"]').waitFor({ state: "detached", ...WAIT });
      expect(await seriousViolations(page)).toEqual([]);
      expect(await landmarkViolations(page)).toEqual([]);
      expect(await breakableDates(page)).toEqual([]);
      // No month has a risk for either patient: one sentence with the reason, not 36 rows.
      await expect(page.locator('[data-testid="trend-table"]').count()).resolves.toBe(0);
      await expect(page.locator('[data-testid="trend"]').innerText()).resolves.toMatch(
        new RegExp(`The model gave no risk at any of the 36 monthly dates: \\d{4}-\\d{2}-\\d{2} to \\d{4}-\\d{2}-\\d{2}, ${noRiskReason}\\.$`),
      );
      await page.close();
    }
  });

  it("a FHIR 500 on one type is said in its place while the other sections work", async () => {
    const page = await standalone(patientWith(stack, "high risk"), {
      beforeLaunch: (p) => p.route("**/fhir/MedicationStatement?**", (route) => route.fulfill({ status: 500, body: "boom" })),
    });
    await expect(page.locator('[data-testid="data-quality"] [data-query="medicationStatements"]').innerText()).resolves.toContain("could not be read (HTTP 500)");
    await expect(page.locator('[data-testid="risk-value"]').innerText()).resolves.toMatch(/%$/);
    // Beside the risk, in the card's words: the estimate is made without them.
    await expect(page.locator('[data-testid="risk-summary"] [data-query="medicationStatements"]').innerText()).resolves.toBe(
      "The EHR could not supply medication statements; the estimate is made without them. The medication statements (MedicationStatement) could not be read (HTTP 500).",
    );
    await expect(page.locator('[data-testid="reasons"]').count()).resolves.toBe(1);
    await page.close();

    const failing = await standalone(patientWith(stack, "high risk"), {
      beforeLaunch: (p) => p.route("**/fhir/Encounter?**", (route) => route.fulfill({ status: 500, body: "boom" })),
    });
    await expect(failing.locator('[data-testid="risk-state"]').getAttribute("data-state")).resolves.toBe("missing-data");
    await expect(failing.locator('[data-testid="risk-summary"]').innerText()).resolves.toContain("encounters (Encounter) could not be read (HTTP 500)");
    await expect(failing.locator('[data-testid="imaging"]').count()).resolves.toBe(1);
    await expect(failing.locator('[data-testid="data-quality"]').count()).resolves.toBe(1);
    await failing.close();
  });

  it("a name or a study description that is one long word does not widen a 360 px panel", async () => {
    const patientId = patientWith(stack, "high risk");
    const name = "W".repeat(300);
    const description = "S".repeat(300);
    const study = { resourceType: "ImagingStudy", id: "long", status: "available", subject: { reference: `Patient/${patientId}` }, description };
    const page = await standalone(patientId, {
      width: 360,
      beforeLaunch: async (p) => {
        await p.route(`**/fhir/Patient/${patientId}`, async (route) => {
          const response = await route.fetch();
          await route.fulfill({ response, json: { ...(await response.json()), name: [{ text: name }] } });
        });
        await p.route("**/fhir/ImagingStudy?**", async (route) => {
          const response = await route.fetch();
          await route.fulfill({ response, json: { resourceType: "Bundle", type: "searchset", entry: [{ resource: study }] } });
        });
      },
    });
    await expect(page.locator('[data-testid="patient-banner"]').innerText()).resolves.toContain(name);
    // Cut at the app's limit for a server's titles (a 100 KB one would flood the panel).
    await expect(page.locator('[data-testid="imaging"]').innerText()).resolves.toContain(`${description.slice(0, MAX_DISPLAY_CHARS)}…`);
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(360);
    await page.close();
  });

  it("reads the granted scopes: a narrower grant is said, and a missing required type withholds the risk", async () => {
    const optional = await standalone(patientWith(stack, "high risk"), { beforeLaunch: withholdScopes(["MedicationStatement", "DiagnosticReport", "Procedure"]) });
    await openLaunchDetails(optional);
    await expect(optional.locator('[data-testid="scope"]').innerText()).resolves.not.toContain("DiagnosticReport");
    await expect(optional.locator('[data-testid="imaging"]').innerText()).resolves.toContain("did not grant access to imaging reports");
    await expect(optional.locator('[data-testid="data-quality"]').innerText()).resolves.toContain("did not grant access to medication statements");
    await expect(optional.locator('[data-testid="risk-value"]').innerText()).resolves.toMatch(/%$/);
    await expect(optional.locator('[data-testid="risk-summary"]').innerText()).resolves.toContain("did not grant access to procedures (knee replacement)");
    await optional.close();

    const required = await standalone(patientWith(stack, "high risk"), { beforeLaunch: withholdScopes(["Encounter"]), width: 360 });
    await expect(required.locator('[data-testid="risk-summary"]').innerText()).resolves.toContain("did not grant access to encounters");
    await expect(required.locator('[data-testid="risk-value"]').count()).resolves.toBe(0);
    expect(await seriousViolations(required)).toEqual([]);
    await required.close();
  });

  it("without smart_style_url keeps its own style", async () => {
    const page = await standalone(patientWith(stack, "high risk"), {
      beforeLaunch: (p) =>
        p.route(`${stack.ehr.url}/auth/token`, async (route) => {
          const response = await route.fetch();
          const { smart_style_url: _dropped, ...token } = (await response.json()) as Record<string, unknown>;
          await route.fulfill({ response, json: token });
        }),
    });
    await expect(page.locator('[data-testid="risk-value"]').innerText()).resolves.toMatch(/%$/);
    await expect(page.evaluate(() => getComputedStyle(document.body).backgroundColor)).resolves.toBe("rgb(255, 255, 255)");
    await expect(page.locator("#risk-heading").evaluate((e) => getComputedStyle(e).fontFamily)).resolves.not.toContain("DejaVu");
    await page.close();
  });

  it("refuses a launch naming a FHIR server the site does not list, before any request leaves the app's origin", async () => {
    const page = await browser.context.newPage();
    const requested: string[] = [];
    page.on("request", (request) => void requested.push(new URL(request.url()).origin));
    // The sandbox's own FHIR server under another path: on loopback, answering, but not listed.
    const unlisted = `${stack.ehr.url}/other-fhir`;
    await page.goto(`${stack.app.url}/launch.html?iss=${encodeURIComponent(unlisted)}`);
    await page.getByRole("alert").waitFor(WAIT);
    await expect(page.getByRole("alert").innerText()).resolves.toBe(
      `Could not start the SMART launch: Patella is not set up for the FHIR server at ${stack.ehr.url}: the site lists its servers in patella-app.json (fhirServers)`,
    );
    expect(new Set(requested)).toEqual(new Set([stack.app.url]));
    await page.close();
  });

  it("when the FHIR server stops taking the token, asks to relaunch, and a reload still does", async () => {
    const page = await standalone(patientWith(stack, "high risk"));
    // The token revoked: the FHIR server (not the authorization server) answers 401 from now on.
    await page.route(`${stack.ehr.fhirBaseUrl}/**`, (route) => route.fulfill({ status: 401, headers: { "www-authenticate": "Bearer" }, body: "" }));
    await page.reload();
    await page.locator('#app[data-state="session-lost"]').waitFor(WAIT);
    await expect(page.getByRole("heading", { name: "Relaunch Patella from the EHR" }).count()).resolves.toBe(1);
    await expect(page.locator("body").innerText()).resolves.not.toContain("The session has expired");
    // The server answers again, but the session was cleared: a reload does not revive the token.
    await page.unrouteAll();
    await page.reload();
    await page.locator('#app[data-state="session-lost"]').waitFor(WAIT);
    await expect(page.evaluate(() => sessionStorage.getItem("SMART_KEY"))).resolves.toBeNull();
    await page.close();
  });

  it("without a session, asks to relaunch from the EHR (axe clean)", async () => {
    const context = await browser.context.browser()?.newContext();
    const page = context ? await context.newPage() : await browser.context.newPage();
    await page.goto(`${stack.app.url}/app/index.html`);
    await page.locator('#app[data-state="session-lost"]').waitFor(WAIT);
    await expect(page.locator("#app").innerText()).resolves.toContain("Relaunch Patella from the EHR");
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("launches a link whose iss has a trailing slash with the listed server, to the risk", async () => {
    const page = await standalone(patientWith(stack, "high risk"), { iss: `${stack.ehr.fhirBaseUrl}/` });
    await expect(page.locator('[data-testid="risk-value"]').innerText()).resolves.toMatch(/%$/);
    await page.close();
  });

  it("takes the card's index date from the launch link when the EHR sends no appContext, and says so", async () => {
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const card = "0b6f3c1e-5d2a-4c8e-9f71-2a4b6c8d0e1f";
    const page = await standalone(patientWith(stack, "high risk"), { extra: `&indexDate=${yesterday}&cardUuid=${card}` });
    await expect(page.locator('[data-testid="model-info"]').innerText()).resolves.toContain(
      `Index date ${yesterday} (the date of the CDS card that opened the app, from its launch link: the EHR sent no appContext)`,
    );
    await openLaunchDetails(page);
    await expect(page.locator('[data-testid="launch-link-context"]').innerText()).resolves.toBe(`card ${card}, index date ${yesterday}`);
    expect(await breakableDates(page)).toEqual([]);
    await page.close();
  });

  it("when the token endpoint fails (5xx) at the end of the launch, says the authorization server failed and a relaunch may work (axe clean)", async () => {
    const page = await standalone(patientWith(stack, "high risk"), {
      width: 360,
      until: '#app[data-state="authorization-failed"]',
      beforeLaunch: (p) => p.route(`${stack.ehr.url}/auth/token`, (route) => route.fulfill({ status: 503, body: "Service Unavailable" })),
    });
    await expect(page.getByRole("heading", { name: "The EHR's authorization server failed" }).count()).resolves.toBe(1);
    await expect(page.locator("#app").innerText()).resolves.toContain("Detail: the token endpoint answered HTTP 503");
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});
