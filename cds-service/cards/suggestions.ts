/**
 * Card suggestions, each a real FHIR action: a draft ServiceRequest with intent "proposal"
 * that the clinician can accept into the order workflow. Offered only where guidelines for
 * knee OA prevention back them: exercise therapy for high risk, weight management for obesity.
 * Each gives the reason it is offered on: the model's tier for physiotherapy; the BMI alone for
 * weight management (the card says the same: the model may credit an obese BMI with lowering its
 * estimate, shared/obesity.ts). SNOMED CT codes as checked in docs/terminology.md.
 */
import type { ServiceRequest } from "fhir/r4";
import type { RiskTier } from "../../shared/risk-tiers.ts";
import type { CdsSuggestion } from "./card-types.ts";
import { OBESITY_BMI } from "../../shared/obesity.ts";

export interface SuggestionInput {
  patientId: string;
  tier: RiskTier;
  bmi: number | null;
  /** Basis for suggestion uuids, so one card's suggestions have stable, distinct ids. */
  cardUuid: string;
}

function proposal(patientId: string, code: ServiceRequest["code"], reasonText: string): ServiceRequest {
  return {
    resourceType: "ServiceRequest",
    status: "draft",
    intent: "proposal",
    subject: { reference: `Patient/${patientId}` },
    code,
    reasonCode: [{ text: reasonText }],
  };
}

export function riskSuggestions(input: SuggestionInput): CdsSuggestion[] {
  const suggestions: CdsSuggestion[] = [];
  if (input.tier === "high") {
    const why = `Estimated ${input.tier} 1-year risk of knee osteoarthritis (Patella, synthetic-data model)`;
    suggestions.push({
      label: "Propose physiotherapy for lower-limb strengthening exercise",
      uuid: `${input.cardUuid.slice(0, 24)}000000000001`,
      actions: [
        {
          type: "create",
          description: "Draft ServiceRequest (proposal): physiotherapy, strengthening exercise",
          resource: proposal(
            input.patientId,
            { coding: [{ system: "http://snomed.info/sct", code: "91251008", display: "Physical therapy procedure" }], text: "Physiotherapy: lower-limb strengthening exercise" },
            why,
          ),
        },
      ],
    });
  }
  if (input.bmi !== null && input.bmi >= OBESITY_BMI) {
    suggestions.push({
      label: "Propose a weight management programme",
      uuid: `${input.cardUuid.slice(0, 24)}000000000002`,
      actions: [
        {
          type: "create",
          description: "Draft ServiceRequest (proposal): weight management programme",
          resource: proposal(
            input.patientId,
            { coding: [{ system: "http://snomed.info/sct", code: "408289007", display: "Refer to weight management program" }], text: "Weight management programme" },
            `BMI ${input.bmi.toFixed(1)}: obesity (BMI ${OBESITY_BMI} or more) raises the risk of knee osteoarthritis`,
          ),
        },
      ],
    });
  }
  return suggestions;
}
