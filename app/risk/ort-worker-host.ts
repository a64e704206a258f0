/**
 * The worker's side: answers OrtRequests with a real onnxruntime (onnxruntime-web in the browser;
 * any OrtRuntime-shaped module in tests), one session per created model.
 */
import type { OrtRuntime, OrtSessionLike } from "../../shared/inference/ort-runtime.ts";
import { type MessageEndpoint, type OrtRequest, type OrtResponse, toWire } from "./ort-worker-protocol.ts";

export function serveOrt(ort: OrtRuntime, endpoint: MessageEndpoint): void {
  const sessions = new Map<number, OrtSessionLike>();
  let nextSession = 1;

  function sessionFor(id: number): OrtSessionLike {
    const session = sessions.get(id);
    if (session === undefined) throw new Error(`no model session ${id} in the worker`);
    return session;
  }

  /** The answer's result, and the buffers to transfer with it (a run's outputs). */
  async function answer(request: OrtRequest): Promise<{ result: Extract<OrtResponse, { ok: true }>["result"]; transfer: ArrayBuffer[] }> {
    switch (request.op) {
      case "create": {
        const session = await ort.InferenceSession.create(request.model);
        const id = nextSession++;
        sessions.set(id, session);
        return { result: { session: id, inputNames: [...session.inputNames], outputNames: [...session.outputNames] }, transfer: [] };
      }
      case "run": {
        const feeds = Object.fromEntries(Object.entries(request.feeds).map(([name, t]) => [name, new ort.Tensor("float32", t.data, t.dims)]));
        const { wire, transfer } = toWire(await sessionFor(request.session).run(feeds), "output");
        return { result: wire, transfer };
      }
      case "release":
        await sessionFor(request.session).release();
        sessions.delete(request.session);
        return { result: null, transfer: [] };
    }
  }

  endpoint.addEventListener("message", (event: MessageEvent) => {
    const request = event.data as OrtRequest;
    answer(request).then(
      ({ result, transfer }) => endpoint.postMessage({ id: request.id, ok: true, result } satisfies OrtResponse, transfer),
      (err: unknown) => endpoint.postMessage({ id: request.id, ok: false, message: err instanceof Error ? err.message : String(err) } satisfies OrtResponse, []),
    );
  });
}
