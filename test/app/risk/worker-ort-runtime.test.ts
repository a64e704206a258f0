/**
 * The app's model worker protocol: the shared loadRiskModel on the page, onnxruntime-web behind
 * a message channel (as in the worker). Its answers must be the runtime's own, row for row.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { serveOrt } from "../../../app/risk/ort-worker-host.ts";
import { workerOrtRuntime } from "../../../app/risk/worker-ort-runtime.ts";
import { loadRiskModel } from "../../../shared/inference/index.ts";
import { RUNTIMES, randomRows } from "../../shared/inference/fixtures.ts";

const MODEL = readFileSync("models/deep-koa/deep-koa.onnx");
const channels: MessageChannel[] = [];

/** A host serving onnxruntime-web on one end of a channel, the page's runtime on the other. */
function connected() {
  const channel = new MessageChannel();
  channels.push(channel);
  serveOrt(RUNTIMES.web, channel.port1);
  const runtime = workerOrtRuntime(channel.port2);
  channel.port1.start();
  channel.port2.start();
  return runtime;
}

afterEach(() => {
  for (const channel of channels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
});

describe("the model worker's runtime", () => {
  it("gives exactly onnxruntime-web's probabilities, over more rows than one batch", async () => {
    const rows = randomRows(300, 11);
    const direct = await (await loadRiskModel(RUNTIMES.web, new Uint8Array(MODEL))).predict(rows);
    const model = await loadRiskModel(connected(), new Uint8Array(MODEL));
    const viaWorker = await model.predict(rows);
    expect(viaWorker).toHaveLength(300);
    expect([...viaWorker]).toEqual([...direct]);
    // A second call on the same session after the first: sessions live on in the worker.
    expect([...(await model.predict(rows.slice(0, 3)))]).toEqual([...direct.slice(0, 3)]);
  });

  it("reports the runtime's own error for a model it cannot load", async () => {
    const runtime = connected();
    await expect(runtime.InferenceSession.create(new Uint8Array([1, 2, 3]))).rejects.toThrow(/./);
  });

  it("fails every pending and later call once the worker has failed", async () => {
    const runtime = connected();
    const pending = runtime.InferenceSession.create(new Uint8Array(MODEL));
    runtime.fail("the model worker could not be loaded");
    await expect(pending).rejects.toThrow("the model worker could not be loaded");
    await expect(runtime.InferenceSession.create(new Uint8Array(MODEL))).rejects.toThrow("the model worker could not be loaded");
  });

  it("releases a session: later runs on it fail in the worker", async () => {
    const runtime = connected();
    const session = await runtime.InferenceSession.create(new Uint8Array(MODEL));
    await session.release();
    const feeds = { static: new runtime.Tensor("float32", new Float32Array(6), [1, 6]) };
    await expect(session.run(feeds)).rejects.toThrow(/no model session/);
  });
});
