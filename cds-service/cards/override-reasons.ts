/**
 * Override reasons offered on the risk card. No standard code system covers them, so they live
 * in a project CodeSystem; feedback summaries count overrides per code.
 */
import type { Coding } from "fhir/r4";

export const OVERRIDE_REASON_SYSTEM = "urn:patella:codesystem:cds-override-reason";

const reason = (code: string, display: string): Coding => ({ system: OVERRIDE_REASON_SYSTEM, code, display });

export const OVERRIDE_REASONS: readonly Coding[] = [
  reason("already-assessed", "Knee osteoarthritis already assessed or managed"),
  reason("not-relevant-today", "Not relevant to this visit"),
  reason("data-incomplete", "Record is incomplete or wrong for this patient"),
  reason("disagree-estimate", "Clinical judgement differs from the estimate"),
];
