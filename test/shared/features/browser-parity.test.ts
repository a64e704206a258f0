/**
 * The feature builder gives the same bytes in a browser as in Node: the shared module is bundled
 * for the browser with vite (as the SMART app is) and run in headless chromium on the same record.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build, type Rollup } from "vite";
import { buildFeatures } from "../../../shared/features/build-features.ts";
import { launchBrowser, type TestBrowser } from "../../e2e/browser.ts";
import { futureResources, realisticRecord } from "../../support/realistic-record.ts";

const INDEX = "2024-03-15";
const ENTRY = new URL("../../../shared/features/build-features.ts", import.meta.url).pathname;

async function browserBundle(): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: "silent",
    build: { write: false, minify: false, lib: { entry: ENTRY, formats: ["iife"], name: "PatellaFeatures" } },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[];
  const chunk = outputs.flatMap((output) => output.output).find((item) => item.type === "chunk");
  if (chunk === undefined || chunk.type !== "chunk") throw new Error("vite produced no bundle");
  return chunk.code;
}

describe("buildFeatures in a browser", () => {
  let browser: TestBrowser;
  let code: string;

  beforeAll(async () => {
    [browser, code] = await Promise.all([launchBrowser(), browserBundle()]);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("gives the same sequence, static vector and eligibility as in Node", async () => {
    const record = [...realisticRecord(400, INDEX, 11), ...futureResources(INDEX)];
    const page = await browser.context.newPage();
    await page.addScriptTag({ content: code });
    const inBrowser = await page.evaluate(
      ({ resources, indexDate }) => {
        const api = (globalThis as unknown as { PatellaFeatures: { buildFeatures: typeof buildFeatures } }).PatellaFeatures;
        const features = api.buildFeatures(resources, indexDate);
        return { ...features, sequence: Array.from(features.sequence), static: Array.from(features.static) };
      },
      { resources: record, indexDate: INDEX },
    );
    const inNode = buildFeatures(record, INDEX);
    expect(inBrowser.sequence).toEqual(Array.from(inNode.sequence));
    expect(inBrowser.static).toEqual(Array.from(inNode.static));
    expect(inBrowser.demographics).toEqual(inNode.demographics);
    expect(inBrowser.eligibility).toEqual(inNode.eligibility);
    expect(inBrowser.quality).toEqual(inNode.quality);
    expect(inBrowser.sequence.filter((value) => value !== 0).length).toBeGreaterThan(100);
  });
});
