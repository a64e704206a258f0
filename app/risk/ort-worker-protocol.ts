/**
 * The messages between the page and the model worker (ort-worker.ts): the page keeps the shared
 * inference code (loadRiskModel, its checks and batching) and the worker only hosts
 * onnxruntime-web, so the 14 MB WASM runtime compiles and initialises off the page's thread.
 */

/** A float32 tensor as it crosses the thread boundary. */
export interface WireTensor {
  data: Float32Array;
  dims: readonly number[];
}

export type OrtRequest =
  | { id: number; op: "create"; model: Uint8Array }
  | { id: number; op: "run"; session: number; feeds: Record<string, WireTensor> }
  | { id: number; op: "release"; session: number };

export interface CreatedSession {
  session: number;
  inputNames: readonly string[];
  outputNames: readonly string[];
}

export type OrtResponse =
  | { id: number; ok: true; result: CreatedSession | Record<string, WireTensor> | null }
  | { id: number; ok: false; message: string };

/** What both ends talk through: a dedicated worker's global scope, a Worker, or a MessagePort. */
export interface MessageEndpoint {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
}

/**
 * A copy of the tensor's values in a buffer of its own, ready to transfer: a typed array may be a
 * view on a bigger buffer (a batch slice, the WASM heap), which structured cloning would copy whole.
 */
export function ownCopy(data: Float32Array): Float32Array {
  return data.slice();
}
