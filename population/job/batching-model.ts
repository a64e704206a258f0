/**
 * A RiskModel that coalesces the predict calls made in one turn of the event loop into one
 * onnxruntime run. The job calls the shared assessRisk once per patient, as the CDS service
 * does; started together for a batch of patients, their calls reach onnxruntime as one batch
 * (one session run per few hundred rows instead of one per patient).
 */
import type { ModelInput, RiskModel } from "../../shared/inference/index.ts";

interface Pending {
  rows: readonly ModelInput[];
  resolve: (values: Float32Array) => void;
  reject: (error: unknown) => void;
}

export function batchingModel(model: RiskModel): RiskModel {
  let pending: Pending[] = [];

  async function flush(): Promise<void> {
    const calls = pending;
    pending = [];
    try {
      const all = await model.predict(calls.flatMap((call) => call.rows));
      let start = 0;
      for (const call of calls) {
        call.resolve(all.slice(start, start + call.rows.length));
        start += call.rows.length;
      }
    } catch (error) {
      for (const call of calls) call.reject(error);
    }
  }

  return {
    info: model.info,
    predict(rows) {
      return new Promise<Float32Array>((resolve, reject) => {
        if (pending.length === 0) setImmediate(() => void flush());
        pending.push({ rows, resolve, reject });
      });
    },
    // Explanation batches are already one run per patient (the occluded rows together).
    predictPacked: (batch) => model.predictPacked(batch),
    release: () => model.release(),
  };
}
