/**
 * Tensors crossing to and from the model worker: each is copied into a buffer of its own before
 * its buffer is transferred, so a view on a bigger buffer (a batch slice, the WASM heap) neither
 * takes the whole buffer along nor detaches the sender's data.
 */
import { describe, expect, it } from "vitest";
import { toWire } from "../../../app/risk/ort-worker-protocol.ts";

describe("toWire", () => {
  it("copies a view into a buffer of its own and transfers that buffer only", () => {
    const batch = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const view = batch.subarray(2, 5); // 3, 4, 5
    const { wire, transfer } = toWire({ x: { data: view, dims: [1, 3] } }, "input");
    expect([...wire.x!.data]).toEqual([3, 4, 5]);
    expect(wire.x!.data.buffer.byteLength).toBe(12);
    expect(wire.x!.dims).toEqual([1, 3]);
    expect(transfer).toEqual([wire.x!.data.buffer]);
    expect(transfer[0]).not.toBe(batch.buffer);
    // Transferring detaches what is sent; the sender's batch stays whole.
    structuredClone(wire, { transfer });
    expect([...batch]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("refuses a tensor that is not float32, naming it and its role", () => {
    expect(() => toWire({ ok: { data: new Float32Array(1), dims: [1] }, ids: { data: new Int32Array(1), dims: [1] } }, "output")).toThrow('output "ids" is not float32');
  });
});
