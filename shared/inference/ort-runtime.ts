/**
 * The slice of the onnxruntime JavaScript API that Patella uses, as a structural type that both
 * `onnxruntime-node` and `onnxruntime-web` satisfy. The caller passes the module in
 * (`import * as ort from "onnxruntime-node"`), so shared/ never imports a platform-specific
 * runtime and the same inference code runs in the service, the population job and the browser.
 */

/** A tensor as returned by a session run; only float32 outputs are read. */
export interface OrtTensorLike {
  readonly dims: readonly number[];
  readonly data: unknown;
}

/** A loaded model. */
export interface OrtSessionLike {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensorLike>): Promise<Readonly<Record<string, OrtTensorLike>>>;
  release(): Promise<void>;
}

export interface OrtRuntime {
  InferenceSession: {
    create(modelBytes: Uint8Array): Promise<OrtSessionLike>;
  };
  Tensor: new (type: "float32", data: Float32Array, dims: readonly number[]) => OrtTensorLike;
}
