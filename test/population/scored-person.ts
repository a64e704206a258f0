/** A scored patient for tests of what is written from one (CSV rows, RiskAssessments, summary):
 * a woman of 70-79 at moderate risk; a test names the fields its outputs show. */
import type { ScoredPatient } from "../../population/job/scored-patient.ts";

export const scoredPerson = (patientId: string, fields: Partial<ScoredPatient> = {}): ScoredPatient => ({
  patientId,
  hasPatient: true,
  mrn: null,
  sex: "female",
  ageBand: "70-79",
  ineligible: [],
  probability: 0.02,
  tier: "moderate",
  reasons: null,
  warnings: [],
  lastRecord: "2025-06-01",
  lastRecordBeforeIndex: "2025-06-01",
  recentKneeOaGrade: null,
  oaSiteNotStated: null,
  kneeReplaced: null,
  oldBmi: null,
  kneeOaAfterIndex: null,
  ...fields,
});
