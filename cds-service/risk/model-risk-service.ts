/**
 * RiskService over the shared code: assessRisk's steps (buildFeatures, then assessFeatures:
 * eligibility, probability, tier)
 * with an ONNX model loaded by shared/inference, and explainRisk for the drivers when the hook
 * asks for them. Nothing here re-derives the risk.
 */
import { readFile } from "node:fs/promises";
import * as ort from "onnxruntime-node";
import { assessFeatures } from "../../shared/assess-risk.ts";
import { buildFeatures } from "../../shared/features/build-features.ts";
import type { PatientFeatures } from "../../shared/features/types.ts";
import { explainRisk } from "../../shared/inference/explain.ts";
import { checkAgeSexBaseline } from "../../shared/baseline-comparison.ts";
import { loadRiskModel, type OrtRuntime, type RiskModel } from "../../shared/inference/index.ts";
import type { HookRiskResult, RiskService } from "./risk-service.ts";

/**
 * `models`: Deep-KOA copies; `baseline`: the age/sex baseline model, the card's reference risk.
 * One loaded model runs one batch at a time (shared/inference queues runs per session). With
 * several copies each call picks the least busy; that only adds throughput with a runtime that
 * runs sessions off the event loop (onnxruntime-node 1.30 runs them on it: see the README).
 */
export function createModelRiskService(models: RiskModel | readonly RiskModel[], baseline: RiskModel): RiskService {
  const pool = (Array.isArray(models) ? models : [models]) as readonly RiskModel[];
  const first = pool[0];
  if (!first) throw new Error("createModelRiskService needs at least one model");
  const inFlight = pool.map(() => 0);
  const withModel = async <T>(work: (model: RiskModel) => Promise<T>): Promise<T> => {
    const i = inFlight.indexOf(Math.min(...inFlight));
    inFlight[i]! += 1;
    try {
      return await work(pool[i]!);
    } finally {
      inFlight[i]! -= 1;
    }
  };
  /** Everything after the features: it holds no resource, so none outlives them. */
  const estimate = async (features: PatientFeatures, patientId: string): Promise<HookRiskResult> => {
    const result = await withModel((model) => assessFeatures(model, features, { explain: false }));
    const { eligibility } = result;
    if (!eligibility.eligible || result.probability === undefined || result.tier === undefined) {
      return { kind: "no-estimate", reasons: eligibility.reasons.length > 0 ? eligibility.reasons : ["no probability"] };
    }
    const probability = result.probability;
    return {
      kind: "estimate",
      risk: {
        patientId,
        probability,
        tier: result.tier,
        warnings: eligibility.warnings,
        bmi: features.demographics.bmi,
        ...(features.demographics.bmiDate === undefined ? {} : { bmiDate: features.demographics.bmiDate }),
        sex: features.demographics.sex,
        historyYears: features.demographics.historyYears,
      },
      // The probability is known: the explanation's batch leaves out the patient's own row.
      explain: async () => (await withModel((model) => explainRisk(model, features, { probability }))).drivers,
      baseline: async () => (await baseline.predict([features]))[0] as number,
    };
  };
  return {
    modelName: first.info.name,
    modelVersion: first.info.version,
    // Not async: the features are built before it returns, so the resources (a hook call's
    // parsed prefetch, about 0.5 MB of heap) are not kept alive while the model runs (assessRisk).
    assess(resources, indexDate, patientId) {
      let features: PatientFeatures;
      try {
        features = buildFeatures(resources, indexDate);
      } catch (err) {
        return Promise.reject(err);
      }
      return estimate(features, patientId);
    },
  };
}

/**
 * onnxruntime-node with a fixed number of intra-op threads. One is fastest for this service:
 * a request's batch is small (one row, or one per explained feature group), and extra threads
 * compete with the event loop for the same cores (measured 2-3x slower on a busy 2-core host).
 */
function nodeRuntime(threads: number): OrtRuntime {
  return {
    Tensor: ort.Tensor,
    InferenceSession: {
      create: (bytes) => ort.InferenceSession.create(bytes, { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: "sequential" }),
    },
  };
}

/** How to load the model (config `model`). */
export interface ModelLoadOptions {
  path: string;
  /** onnxruntime intra-op threads per copy. */
  threads: number;
  /** Copies of the model that run concurrently. */
  instances: number;
}

async function readModelFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    throw new Error(`Cannot read model file ${path}: ${(err as Error).message}`);
  }
}

/** Loads the ONNX file into `instances` onnxruntime-node sessions; the caller releases them. */
export async function loadModelPool(options: ModelLoadOptions): Promise<RiskModel[]> {
  const bytes = await readModelFile(options.path);
  const runtime = nodeRuntime(options.threads);
  return Promise.all(Array.from({ length: options.instances }, () => loadRiskModel(runtime, bytes)));
}

/** Loads the age/sex baseline model (config `model.baselinePath`; one session: one row per
 * card) and refuses any other model (checkAgeSexBaseline). */
export async function loadBaselineModel(options: Pick<ModelLoadOptions, "threads"> & { baselinePath: string }): Promise<RiskModel> {
  const model = await loadRiskModel(nodeRuntime(options.threads), await readModelFile(options.baselinePath));
  try {
    checkAgeSexBaseline(model.info, `model.baselinePath ${options.baselinePath}`);
  } catch (err) {
    await model.release();
    throw err;
  }
  return model;
}
