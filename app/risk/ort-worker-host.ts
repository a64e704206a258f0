/**
 * The worker's side: answers OrtRequests with a real onnxruntime (onnxruntime-web in the browser;
 * any OrtRuntime-shaped module in tests), one session per created model.
 */
import type { OrtRuntime, OrtSessionLike } from "../../shared/inference/ort-runtime.ts";
import { type MessageEndpoint, type OrtRequest, type OrtResponse, type WireTensor, ownCopy } from "./ort-worker-protocol.ts";

export function serveOrt(ort: OrtRuntime, endpoint: MessageEndpoint): void {
  const sessions = new Map<number, OrtSessionLike>();
  let nextSession = 1;

  function sessionFor(id: number): OrtSessionLike {
    const session = sessions.get(id);
    if (session === undefined) throw new Error(`no model session ${id} in the worker`);
    return session;
  }

  async function answer(request: OrtRequest): Promise<Extract<OrtResponse, { ok: true }>["result"]> {
    switch (request.op) {
      case "create": {
        const session = await ort.InferenceSession.create(request.model);
        const id = nextSession++;
        sessions.set(id, session);
        return { session: id, inputNames: [...session.inputNames], outputNames: [...session.outputNames] };
      }
      case "run": {
        const feeds = Object.fromEntries(Object.entries(request.feeds).map(([name, t]) => [name, new ort.Tensor("float32", t.data, t.dims)]));
        const outputs = await sessionFor(request.session).run(feeds);
        const wire: Record<string, WireTensor> = {};
        for (const [name, tensor] of Object.entries(outputs)) {
          if (!(tensor.data instanceof Float32Array)) throw new Error(`output "${name}" is not float32`);
          wire[name] = { data: ownCopy(tensor.data), dims: [...tensor.dims] };
        }
        return wire;
      }
      case "release":
        await sessionFor(request.session).release();
        sessions.delete(request.session);
        return null;
    }
  }

  endpoint.addEventListener("message", (event: MessageEvent) => {
    const request = event.data as OrtRequest;
    answer(request).then(
      (result) => {
        const transfer = result !== null && !("session" in result) ? Object.values(result).map((t) => t.data.buffer as ArrayBuffer) : [];
        endpoint.postMessage({ id: request.id, ok: true, result } satisfies OrtResponse, transfer);
      },
      (err: unknown) => endpoint.postMessage({ id: request.id, ok: false, message: err instanceof Error ? err.message : String(err) } satisfies OrtResponse, []),
    );
  });
}
