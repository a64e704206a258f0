/** The demo stack as the end-to-end tests start it (free ports, in-memory feedback), and the
 * EHR page steps they share. */
import type { Page } from "playwright-core";
import { buildFrontEnds } from "../../sandbox/build-front-ends.ts";
import { type DemoStack, startEphemeralDemoStack } from "../../sandbox/demo-stack.ts";
import { afterAll, beforeAll } from "vitest";
import { launchBrowser, type TestBrowser } from "./browser.ts";

export const WAIT = { timeout: 30_000 };

async function startE2eStack(): Promise<DemoStack> {
  await buildFrontEnds();
  return startEphemeralDemoStack();
}

/** One demo stack and one Chromium for the calling test file: started before its tests (handed
 * to `ready`), stopped after them. */
export function useE2eStack(ready: (stack: DemoStack, browser: TestBrowser) => void): void {
  let stack: DemoStack | undefined;
  let browser: TestBrowser | undefined;
  beforeAll(async () => {
    stack = await startE2eStack();
    browser = await launchBrowser();
    ready(stack, browser);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
}

/** The first demo patient tagged `tag` and none of `notTagged`. */
export function patientWith(stack: DemoStack, tag: string, notTagged: readonly string[] = []): string {
  const entry = [...stack.cohort.tags].find(([, tags]) => tags.includes(tag as never) && !notTagged.some((t) => tags.includes(t as never)));
  if (!entry) throw new Error(`no demo patient tagged "${tag}"${notTagged.length > 0 ? ` and not ${notTagged.join(", ")}` : ""}`);
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
