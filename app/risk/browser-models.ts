/**
 * The shipped models in the browser, through onnxruntime-web's WASM backend. Everything here is
 * loaded lazily (a dynamic import of this module) and from the app's own build: the WASM binary
 * and the .onnx files are emitted by vite as assets, never fetched from a CDN.
 */
import * as ort from "onnxruntime-web/wasm";
import wasmUrl from "onnxruntime-web/ort-wasm-simd-threaded.wasm?url";
import deepKoaUrl from "../../models/deep-koa/deep-koa.onnx?url";
import baselineUrl from "../../models/deep-koa/baseline-age-sex-lr.onnx?url";
import { loadRiskModel, type RiskModel } from "../../shared/inference/index.ts";

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
  // One thread: threads need cross-origin isolation, which an app inside an EHR frame rarely has.
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.wasmPaths = { wasm: new URL(wasmUrl, document.baseURI).toString() };
  const [riskBytes, baselineBytes] = await Promise.all([fetchBytes(deepKoaUrl), fetchBytes(baselineUrl)]);
  // One after the other: the WASM runtime initialises once, on the first session.
  const risk = await loadRiskModel(ort, riskBytes);
  const baseline = await loadRiskModel(ort, baselineBytes);
  performance.mark("patella:models-ready");
  return { risk, baseline };
}
