/**
 * The files the models need, from the app's own build (vite emits them as hashed assets; never a
 * CDN): the onnxruntime WASM binary and the two .onnx models.
 */
import wasmUrl from "onnxruntime-web/ort-wasm-simd-threaded.wasm?url";
import deepKoaUrl from "../../models/deep-koa/deep-koa.onnx?url";
import baselineUrl from "../../models/deep-koa/baseline-age-sex-lr.onnx?url";

export const MODEL_FILES = { wasm: wasmUrl, deepKoa: deepKoaUrl, baseline: baselineUrl } as const;

/**
 * Asks the browser to fetch the model files into its cache while the launch page waits for the
 * EHR's authorization: a prefetch outlives the page's navigation to the app, so the app then
 * reads the 14 MB WASM from the cache instead of the network.
 */
export function prefetchModelFiles(doc: Document): void {
  for (const url of Object.values(MODEL_FILES)) {
    const link = doc.createElement("link");
    link.rel = "prefetch";
    link.href = url;
    doc.head.append(link);
  }
}
