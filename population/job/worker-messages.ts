/** What a scoring worker sends back to the pool. */
import type { RiskModelInfo } from "../../shared/inference/index.ts";
import type { ScoredPatient } from "./scored-patient.ts";

export type WorkerReply =
  | { kind: "ready"; model: RiskModelInfo }
  | { kind: "scored"; batch: number; results: ScoredPatient[] }
  /** batch -1: the worker could not start (e.g. the model file). */
  | { kind: "failed"; batch: number; message: string };
