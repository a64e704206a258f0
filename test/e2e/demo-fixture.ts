/** The demo stack as the end-to-end tests start it (free ports, in-memory feedback), and the
 * EHR page steps they share. */
import type { Page } from "playwright-core";
import { buildFrontEnds, REPO_ROOT } from "../../sandbox/build-front-ends.ts";
import { startDemoStack, type DemoStack } from "../../sandbox/demo-stack.ts";
import type { TestBrowser } from "./browser.ts";

export const WAIT = { timeout: 30_000 };

export async function startE2eStack(): Promise<DemoStack> {
  await buildFrontEnds();
  return startDemoStack({
    host: "127.0.0.1",
    ports: { ehr: 0, cds: 0, app: 0 },
    seed: 20260101,
    endDate: new Date().toISOString().slice(0, 10),
    poolSize: 400,
    patients: 50,
    modelPath: process.env.PATELLA_MODEL_PATH || `${REPO_ROOT}models/deep-koa/deep-koa.onnx`,
    feedbackDbPath: ":memory:",
  });
}

export function patientWith(stack: DemoStack, tag: string): string {
  const entry = [...stack.cohort.tags].find(([, tags]) => tags.includes(tag as never));
  if (!entry) throw new Error(`no demo patient tagged "${tag}"`);
  return entry[0];
}

export interface Toggles {
  omitPrefetch?: boolean;
  fhirFault?: "none" | "slow" | "fail";
}

/** Opens the EHR page and a chart, and waits until every CDS service has answered. */
export async function openChart(browser: TestBrowser, stack: DemoStack, patientId: string, toggles: Toggles = {}): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(stack.ehr.url);
  await page.locator('[data-testid="patient-list"][data-state="loaded"]').waitFor(WAIT);
  await page.locator("#omit-prefetch").setChecked(toggles.omitPrefetch ?? false);
  await page.locator("#fhir-fault").selectOption(toggles.fhirFault ?? "none");
  await page.locator(`[data-patient-id="${patientId}"]`).click();
  await page.locator('[data-testid="cards"][data-state="done"]').waitFor({ timeout: 60_000 });
  return page;
}
