/**
 * Writes the standalone preview page of the imaging AI components (static markup and their
 * stylesheet) and, with --screenshot, a full-page PNG taken in Debian's Chromium:
 *   npx tsx app/imaging-ai/preview/render-preview.tsx --out dist/imaging-ai-preview [--screenshot]
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { renderToStaticMarkup } from "react-dom/server";
import { launchChromium } from "./chromium.ts";
import { ImagingAiResults } from "../ImagingAiResults.tsx";
import { previewResults } from "./preview-results.ts";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const outAt = args.indexOf("--out");
  const out = outAt >= 0 && args[outAt + 1] ? args[outAt + 1]! : "dist/imaging-ai-preview";
  const css = await readFile(new URL("../imaging-ai.css", import.meta.url), "utf8");
  const { results, skipped } = previewResults();
  // previewResults reads the results with an example viewer template: the preview has a viewer.
  const body = renderToStaticMarkup(<ImagingAiResults results={results} viewerConfigured skipped={skipped} />);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Imaging AI results: preview</title><style>${css}</style></head><body>${body}</body></html>`;
  await mkdir(out, { recursive: true });
  const page = join(out, "index.html");
  await writeFile(page, html);
  console.log(`wrote ${page}`);
  if (args.includes("--screenshot")) {
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage({ viewport: { width: 1000, height: 800 } });
      await tab.goto(pathToFileURL(page).href);
      await tab.screenshot({ path: join(out, "preview.png"), fullPage: true });
      console.log(`wrote ${join(out, "preview.png")}`);
    } finally {
      await browser.close();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
