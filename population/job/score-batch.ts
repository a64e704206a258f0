/**
 * Scores a batch of patients with the shared assessRisk: every patient without explanation,
 * then the ones at or above the explanation floor again with drivers. The calls of a batch run
 * together, so the batching model sends each round to onnxruntime as one run.
 */
import { assessRisk } from "../../shared/assess-risk.ts";
import type { RiskModel } from "../../shared/inference/index.ts";
import type { PatientRecord } from "../types.ts";
import type { ScoreSettings } from "./score-settings.ts";
import { scoredPatient, type ScoredPatient } from "./scored-patient.ts";

export async function scoreBatch(model: RiskModel, records: readonly PatientRecord[], settings: ScoreSettings): Promise<ScoredPatient[]> {
  const features = settings.minAgeYears === undefined ? {} : { minAgeYears: settings.minAgeYears };
  const plain = await Promise.all(records.map(({ resources }) => assessRisk(model, resources, settings.indexDate, { features, explain: false })));
  const explained = await Promise.all(
    plain.map((result, i) =>
      result.probability !== undefined && result.probability >= settings.explainFrom
        ? assessRisk(model, records[i]!.resources, settings.indexDate, { features })
        : result,
    ),
  );
  return records.map((record, i) => scoredPatient(record.patientId, record.resources, explained[i]!, settings.includeNames));
}
