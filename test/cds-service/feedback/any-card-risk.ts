/**
 * A risk service that puts every patient at high risk (20%, above the 5% threshold), so that the
 * test patient (BMI 33.1, support/hook-requests.ts) gets a card offering two suggestions with
 * selectionBehavior "any": physiotherapy (high risk, uuid ending ...001) and weight management
 * (obesity, ...002). The committed model's metadata is kept; only its answer is fixed.
 */
import { createModelRiskService } from "../../../cds-service/risk/model-risk-service.ts";
import type { RiskService } from "../../../cds-service/risk/risk-service.ts";
import { fixedProbabilityModel } from "../support/fixed-probability-model.ts";
import { committedBaselineModel, committedModel } from "../support/test-service.ts";

export async function highRiskService(): Promise<RiskService> {
  return createModelRiskService(fixedProbabilityModel((await committedModel()).info, () => 0.2), await committedBaselineModel());
}

/** The two suggestion uuids of a card from the hook, checked to be the two an "any" card offers. */
export function suggestionsOfAnyCard(card: { uuid: string; selectionBehavior?: string; suggestions?: { label: string; uuid: string }[] }): { physio: string; weight: string } {
  if (card.selectionBehavior !== "any") throw new Error(`card ${card.uuid} has selectionBehavior ${card.selectionBehavior}`);
  const byLabel = (start: string): string => {
    const found = card.suggestions?.find((s) => s.label.startsWith(start));
    if (!found) throw new Error(`card ${card.uuid} has no suggestion "${start}..."`);
    return found.uuid;
  };
  return { physio: byLabel("Propose physiotherapy"), weight: byLabel("Propose a weight management") };
}
