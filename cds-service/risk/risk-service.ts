/**
 * What the hook needs from the risk model: one patient's resources in, either a reason for no
 * estimate or the estimate with a way to explain it and to compare it with the age/sex baseline.
 * Explaining costs one batched model run of a row per feature group (about ten times a plain
 * prediction), so the hook asks for both only when a card will be shown. The implementation over the shared code is model-risk-service.ts.
 */
import type { Resource } from "fhir/r4";
import type { RiskDriver } from "../../shared/inference/explain.ts";
import type { CardRisk } from "../cards/build-risk-card.ts";

export type HookRiskResult =
  | { kind: "no-estimate"; reasons: readonly string[] }
  | {
      kind: "estimate";
      risk: Omit<CardRisk, "drivers" | "baselineProbability">;
      explain: () => Promise<readonly RiskDriver[]>;
      /** The risk of people of the same age and sex (the age/sex baseline model on the same features). */
      baseline: () => Promise<number>;
    };

export interface RiskService {
  readonly modelName: string;
  readonly modelVersion: string;
  /** Fails only on internal errors (the model), never on the patient's data. */
  assess(resources: readonly Resource[], indexDate: string, patientId: string): Promise<HookRiskResult>;
}
