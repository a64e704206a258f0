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
 * Float32 tensors as they cross the thread boundary, and the buffers to transfer with them. Each
 * tensor's values are copied into a buffer of their own: a typed array may be a view on a bigger
 * buffer (a batch slice, the WASM heap), which structured cloning would copy whole. `role` names
 * the tensors in the error for one that is not float32 ("input", "output").
 */
export function toWire(
  tensors: Readonly<Record<string, { data: unknown; dims: readonly number[] }>>,
  role: string,
): { wire: Record<string, WireTensor>; transfer: ArrayBuffer[] } {
  const wire: Record<string, WireTensor> = {};
  const transfer: ArrayBuffer[] = [];
  for (const [name, tensor] of Object.entries(tensors)) {
    if (!(tensor.data instanceof Float32Array)) throw new Error(`${role} "${name}" is not float32`);
    const data = tensor.data.slice();
    wire[name] = { data, dims: [...tensor.dims] };
    transfer.push(data.buffer);
  }
  return { wire, transfer };
}
