/**
 * high-risk.csv (RFC 4180): one row per listed patient, riskiest first. Names and birth dates
 * are columns only when the run included them (`--include-names`). A cell that a spreadsheet
 * would run as a formula (=, @, a tab or a carriage return, or + or - not followed by a plain
 * number) is prefixed with an apostrophe (csvCell). Every row ends with the
 * synthetic-model disclaimer and the reasons' caveat (`note`): a row copied into a worklist or
 * another sheet keeps them, where a line above the header would be lost, and would break CSV
 * readers besides.
 */
import { MODEL_DISCLAIMER } from "../../../shared/assess-risk.ts";
import { parseFhirDay } from "../../../shared/fhir-dates.ts";
import { roundedProbability, TIER_BOUNDS } from "../../../shared/format-risk.ts";
import { isCurrentRecord } from "../../../shared/record-currency.ts";
import { RISK_TIER_CONFIG } from "../../../shared/risk-tiers.ts";
import { DRIVERS_CAVEAT } from "../../../shared/shown-drivers.ts";
import type { RunIdentity } from "../checkpoint.ts";
import type { ScoredPatient } from "../scored-patient.ts";
import { REASON_COUNT } from "../scored-patient.ts";
import { modelLabel } from "./risk-assessment.ts";
import { notHighRiskList } from "./selection.ts";
import { KNEE_REPLACED_WORDS, kneeOaAfterIndexFlag, kneeOaGradedFlag, notCurrentFlag, OA_SITE_NOT_STATED_WORDS, oldBmiFlag, warningWords } from "./warning-words.ts";

/** The last cell of every row; it first names the list when the file holds another list than the
 * high-risk one (a lower --threshold lists Moderate patients), which a row copied elsewhere keeps. */
function csvNote(threshold: number, listWords: string | undefined): string {
  const list = listWords ?? notHighRiskList(threshold);
  return `${list === null ? "" : `This is ${list}. `}${MODEL_DISCLAIMER} ${DRIVERS_COLUMNS} ${DRIVERS_CAVEAT}`;
}

/** A plain decimal number, signed or not, with an exponent or not ("-42", "+3.5", "1E5"): what a
 * spreadsheet reads as a number, never as a formula. */
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A cell as RFC 4180 writes it, guarded against formula injection as OWASP's CSV Injection page
 * advises (https://owasp.org/www-community/attacks/CSV_Injection): a cell that starts with `=`,
 * `+`, `-`, `@`, a tab or a carriage return is prefixed with an apostrophe, so a spreadsheet shows
 * it as text instead of running it. A plain number that starts with `+` or `-` is left as it is:
 * it cannot be a formula, and the apostrophe changed an identifier (an MRN "-42" became "'-42" for
 * pandas or R, which keep the apostrophe). `+` or `-` followed by anything else (`-2+3`, `+A1`,
 * `-cmd|...`) is still guarded.
 */
export function csvCell(value: string): string {
  const safe = /^[=@\t\r]/.test(value) || (/^[+-]/.test(value) && !PLAIN_NUMBER.test(value)) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** What the driver columns hold, said in every row's note: the card's and the app's drivers, in
 * their order (shared/shown-drivers.ts: largest first, raising or lowering), not reasons for a high
 * risk. Until 2026-12-02 they were named reason_1 to reason_3, which a lowering driver on a
 * high-risk row belied. */
const DRIVERS_COLUMNS =
  `driver_1 to driver_${REASON_COUNT}: the model's largest drivers, largest first, raising or lowering the risk (each says which), ` +
  "in percentage points of the 1-year risk (the risk minus the risk with that factor set to a neutral value).";

export function csvHeader(includeNames: boolean): string {
  const reasons = Array.from({ length: REASON_COUNT }, (_, i) => `driver_${i + 1}`);
  return [
    "rank",
    "patient_id",
    "mrn",
    ...(includeNames ? ["name", "birth_date"] : []),
    "age_band",
    "sex",
    "risk",
    "tier",
    "index_date",
    "model",
    ...reasons,
    "data_quality",
    "note",
  ].join(",");
}

/** Data-quality flags of a listed patient, `;`-separated; `indexDate` is the run's (YYYY-MM-DD). */
export function qualityFlags(patient: ScoredPatient, indexDate: string): string {
  // First: a patient already diagnosed by the end of the data is the one not to reach out to.
  const flags = patient.kneeOaAfterIndex === null ? [] : [kneeOaAfterIndexFlag(patient.kneeOaAfterIndex)];
  flags.push(...patient.warnings.map(warningWords));
  // Beside the BMI warnings, as the card puts it after them (shared/old-bmi.ts).
  if (patient.oldBmi !== null) flags.push(oldBmiFlag(patient.oldBmi));
  // The card's caveats, in the card's order (shared/record-caveats.ts).
  if (patient.recentKneeOaGrade !== null) flags.push(kneeOaGradedFlag(patient.recentKneeOaGrade));
  if (patient.oaSiteNotStated !== null) flags.push(`${OA_SITE_NOT_STATED_WORDS}, ${patient.oaSiteNotStated.date ?? "undated"}`);
  if (patient.kneeReplaced !== null) flags.push(`${KNEE_REPLACED_WORDS}, ${patient.kneeReplaced.date ?? "undated"}`);
  if (!isCurrentRecord(parseFhirDay(patient.lastRecordBeforeIndex), parseFhirDay(indexDate)!)) flags.push(notCurrentFlag(patient.lastRecordBeforeIndex));
  if (patient.reasons === null) flags.push("reasons not computed (below the explanation floor)");
  return flags.join(";");
}

/** What every row says of the run: the index date and model the risk is for (a row passed on
 * alone still says which year and which model), and the list's threshold (see riskCell). */
export interface CsvRun {
  identity: RunIdentity;
  threshold: number;
  /** What the file lists when it is not the high-risk list (selection.ts), said in every row's note. */
  listWords?: string;
}

/** 4 places, never across a tier's bound or the list's threshold (roundedProbability). */
function riskCell(probability: number, threshold: number): string {
  return roundedProbability(probability, 4, [...TIER_BOUNDS, threshold]).toFixed(4);
}

/** The rows of one file: `(rank, patient) => row`. The note, the same in every row of the file,
 * is made once. */
export function csvRows(run: CsvRun): (rank: number, patient: ScoredPatient) => string {
  const { includeNames } = run.identity;
  const note = csvCell(csvNote(run.threshold, run.listWords));
  return (rank, patient) => {
    const reasons = Array.from({ length: REASON_COUNT }, (_, i) => patient.reasons?.[i] ?? "");
    const cells = [
      String(rank),
      patient.patientId,
      patient.mrn ?? "",
      ...(includeNames ? [patient.name ?? "", patient.birthDate ?? ""] : []),
      patient.ageBand ?? "",
      patient.sex,
      riskCell(patient.probability ?? 0, run.threshold),
      RISK_TIER_CONFIG.labels[patient.tier ?? "low"],
      run.identity.indexDate,
      modelLabel(run.identity.model),
      ...reasons,
      qualityFlags(patient, run.identity.indexDate),
    ];
    return `${cells.map(csvCell).join(",")},${note}`;
  };
}
