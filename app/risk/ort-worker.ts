/**
 * The model worker's entry: onnxruntime-web with its WASM binary from the app's own build (never
 * a CDN), one thread (threads need cross-origin isolation, which an app inside an EHR frame
 * rarely has), serving the page's requests (ort-worker-host.ts).
 */
import * as ort from "onnxruntime-web/wasm";
import wasmUrl from "onnxruntime-web/ort-wasm-simd-threaded.wasm?url";
import { serveOrt } from "./ort-worker-host.ts";

ort.env.wasm.numThreads = 1;
ort.env.wasm.wasmPaths = { wasm: new URL(wasmUrl, self.location.href).toString() };
serveOrt(ort, self as unknown as Parameters<typeof serveOrt>[1]);
// onnxruntime-web fetches and compiles its WASM on the first session: an empty model starts that
// at once, while the page is still fetching the real models, and then fails harmlessly.
ort.InferenceSession.create(new Uint8Array(0)).catch(() => undefined);
