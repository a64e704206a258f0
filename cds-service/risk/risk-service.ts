/**
 * What the hook needs from the risk model: one patient's resources in, either a reason for no
 * estimate or the estimate the card shows. The implementation over the shared code is
 * model-risk-service.ts; the hook depends only on this interface.
 */
import type { Resource } from "fhir/r4";
import type { CardRisk } from "../cards/build-risk-card.ts";

export type HookRiskResult =
  | { kind: "no-estimate"; reasons: readonly string[] }
  | { kind: "estimate"; risk: CardRisk };

export interface RiskService {
  readonly modelName: string;
  readonly modelVersion: string;
  /** Fails only on internal errors (the model), never on the patient's data. */
  assess(resources: readonly Resource[], indexDate: string, patientId: string): Promise<HookRiskResult>;
}
