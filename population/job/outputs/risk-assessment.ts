/**
 * The FHIR R4 RiskAssessment of one scored patient: knee OA (SNOMED CT 239873007, "Osteoarthritis
 * of knee") diagnosed within the year starting at the index date, with its probability, tier
 * (HL7 risk-probability codes), the model as method and as performer (a Device, by display), the
 * drivers with the card's caveat that they explain the model, and the synthetic-model disclaimer.
 * The id is derived from patient, index date and model, so loading the file twice (PUT) updates
 * instead of duplicating.
 */
import { createHash } from "node:crypto";
import type { RiskAssessment } from "fhir/r4";
import { MODEL_DISCLAIMER } from "../../../shared/assess-risk.ts";
import { dayToIsoDate, parseCalendarDay } from "../../../shared/fhir-dates.ts";
import { FOLLOW_UP_DAYS } from "../../index-dates.ts";
import { roundedProbability, TIER_BOUNDS } from "../../../shared/format-risk.ts";
import { RISK_TIER_CONFIG } from "../../../shared/risk-tiers.ts";
import { DRIVERS_CAVEAT } from "../../../shared/shown-drivers.ts";
import type { RunIdentity } from "../checkpoint.ts";
import type { ScoredPatient } from "../scored-patient.ts";

export const KNEE_OA_OUTCOME = { system: "http://snomed.info/sct", code: "239873007", display: "Osteoarthritis of knee" } as const;
const RISK_PROBABILITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/risk-probability";

/**
 * The last day of the outcome window that starts on `date` (YYYY-MM-DD): the label counts a
 * diagnosis within [index, index + 365 days) (models/cohort/README.md `outcome1y`, the policy's
 * FOLLOW_UP_DAYS), and a FHIR Period's end is inclusive (R4 datatypes, Period: "end: End time
 * with inclusive boundary"; a date end covers that whole day), so the period ends on index + 364
 * days. It ended on index + 365 days until 2026-12-02: a day more than the model predicts for.
 */
export function outcomeWindowEnd(date: string): string {
  return dayToIsoDate(parseCalendarDay(date)! + FOLLOW_UP_DAYS - 1);
}

export function modelLabel(model: RunIdentity["model"]): string {
  return `${model.name} ${model.version}, feature spec ${model.specVersion}`;
}

export function riskAssessment(patient: ScoredPatient, identity: RunIdentity): RiskAssessment {
  if (patient.probability === null || patient.tier === null) throw new Error("only scored patients have a RiskAssessment");
  const { indexDate, model } = identity;
  const id = createHash("sha256").update(`${patient.patientId}|${indexDate}|${model.name}|${model.version}`).digest("hex").slice(0, 32);
  const label = RISK_TIER_CONFIG.labels[patient.tier];
  return {
    resourceType: "RiskAssessment",
    id: `koa-${id}`,
    status: "final",
    subject: { reference: `Patient/${patient.patientId}` },
    occurrenceDateTime: indexDate,
    method: { text: `Patella ${modelLabel(model)}` },
    performer: { type: "Device", display: `Patella ${modelLabel(model)}` },
    basis: [{ reference: `Patient/${patient.patientId}`, display: `The patient's record in the 3 years before ${indexDate}` }],
    prediction: [
      {
        outcome: { coding: [{ ...KNEE_OA_OUTCOME }], text: "Knee osteoarthritis diagnosed within 1 year" },
        // 6 places, never across a tier's bound: the number and qualitativeRisk agree.
        probabilityDecimal: roundedProbability(patient.probability, 6, TIER_BOUNDS),
        qualitativeRisk: { coding: [{ system: RISK_PROBABILITY_SYSTEM, code: patient.tier, display: `${label} likelihood` }] },
        whenPeriod: { start: indexDate, end: outcomeWindowEnd(indexDate) },
        ...(patient.reasons === null || patient.reasons.length === 0 ? {} : { rationale: `Main drivers: ${patient.reasons.join("; ")}. ${DRIVERS_CAVEAT}` }),
      },
    ],
    note: [{ text: MODEL_DISCLAIMER }],
  };
}
