/**
 * An OrtRuntime whose sessions live in the model worker (ort-worker-host.ts): the page passes it
 * to the shared loadRiskModel as it would pass onnxruntime-web itself, so the checks, batching
 * and numbers stay the shared core's, while the WASM runtime works on another thread.
 */
import type { OrtRuntime, OrtSessionLike, OrtTensorLike } from "../../shared/inference/ort-runtime.ts";
import { type CreatedSession, type MessageEndpoint, type OrtRequest, type OrtResponse, type WireTensor, toWire } from "./ort-worker-protocol.ts";

/** A request before `send` numbers it (Omit over each member of the union). */
type Unnumbered<R> = R extends OrtRequest ? Omit<R, "id"> : never;
type Request = Unnumbered<OrtRequest>;

class WireFloat32 implements OrtTensorLike {
  constructor(
    readonly type: "float32",
    readonly data: Float32Array,
    readonly dims: readonly number[],
  ) {}
}

/**
 * `endpoint` is the Worker (or a MessagePort to a host). The caller calls `fail` when the worker
 * could not start or died: every pending and later call then fails with that reason.
 */
export function workerOrtRuntime(endpoint: MessageEndpoint): OrtRuntime & { fail(reason: string): void } {
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  let nextId = 1;
  let failure: string | null = null;

  endpoint.addEventListener("message", (event: MessageEvent) => {
    const response = event.data as OrtResponse;
    const call = pending.get(response.id);
    if (call === undefined) return;
    pending.delete(response.id);
    if (response.ok) call.resolve(response.result);
    else call.reject(new Error(response.message));
  });

  function send<T>(request: Request, transfer: Transferable[] = []): Promise<T> {
    if (failure !== null) return Promise.reject(new Error(failure));
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      endpoint.postMessage({ ...request, id } as OrtRequest, transfer);
    });
  }

  function sessionProxy(created: CreatedSession): OrtSessionLike {
    return {
      inputNames: created.inputNames,
      outputNames: created.outputNames,
      async run(feeds) {
        const { wire, transfer } = toWire(feeds, "input");
        return send<Record<string, WireTensor>>({ op: "run", session: created.session, feeds: wire }, transfer);
      },
      release: () => send<null>({ op: "release", session: created.session }).then(() => undefined),
    };
  }

  return {
    InferenceSession: {
      create: (model) => send<CreatedSession>({ op: "create", model: model.slice() }).then(sessionProxy),
    },
    Tensor: WireFloat32,
    fail(reason) {
      failure = reason;
      for (const call of pending.values()) call.reject(new Error(reason));
      pending.clear();
    },
  };
}
