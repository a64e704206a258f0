/**
 * The shipped models in the browser. onnxruntime-web runs in a dedicated worker (ort-worker.ts),
 * so compiling and initialising its 14 MB WASM runtime does not hold up the page while the SMART
 * launch completes and the record is read; the shared loadRiskModel runs here, on the worker's
 * runtime. The WASM binary, the worker and the .onnx files are emitted by vite from the app's own
 * build, never fetched from a CDN.
 */
import deepKoaUrl from "../../models/deep-koa/deep-koa.onnx?url";
import baselineUrl from "../../models/deep-koa/baseline-age-sex-lr.onnx?url";
import { loadRiskModel, type RiskModel } from "../../shared/inference/index.ts";
import { workerOrtRuntime } from "./worker-ort-runtime.ts";
import { checkAgeSexBaseline } from "../../shared/baseline-comparison.ts";

export interface BrowserModels {
  /** Deep-KOA: the model of the card. */
  risk: RiskModel;
  /** Logistic regression on age and sex only: the risk of people of the same age and sex. */
  baseline: RiskModel;
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`model file ${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

export async function loadBrowserModels(): Promise<BrowserModels> {
  performance.mark("patella:models-start");
  const worker = new Worker(new URL("./ort-worker.ts", import.meta.url), { type: "module" });
  const ort = workerOrtRuntime(worker);
  worker.addEventListener("error", (event) => ort.fail(`the model worker failed: ${event.message || "it could not be loaded"}`));
  const [riskBytes, baselineBytes] = await Promise.all([fetchBytes(deepKoaUrl), fetchBytes(baselineUrl)]);
  // One after the other: the WASM runtime initialises once, on the first session.
  const risk = await loadRiskModel(ort, riskBytes);
  const baseline = await loadRiskModel(ort, baselineBytes);
  checkAgeSexBaseline(baseline.info, "the app's baseline model file");
  performance.mark("patella:models-ready");
  return { risk, baseline };
}
