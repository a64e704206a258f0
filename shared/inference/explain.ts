/**
 * Explains one patient's risk by occlusion: each feature group (each diagnosis group, each
 * medication class, age, sex, BMI) is replaced by its reference value (explain-reference.ts)
 * and the model re-run; the change in probability is that group's effect. All variants go to
 * the model in ONE batched call, written straight into one packed batch from the patient's
 * row, which is checked once (the variants only add finite reference values).
 *
 * Why occlusion and not an average over many references or Shapley values: measured against
 * the simulator's true effects (`npm run evaluate:explanations`), exact group Shapley values
 * (2^groups rows) showed barely fewer drivers without a true effect than occlusion with the
 * same reference (9.0% against 9.9% of shown drivers), at 50-100 times the rows; the choice of
 * reference mattered more (models/deep-koa/MODEL_CARD.md, "Explanations").
 *
 * Occlusion effects are not additive: groups interact inside the network, so the effects need
 * not sum to probability - referenceProbability. Channels with nothing recorded are left out:
 * occluding zeros with zeros changes nothing by construction. Age, sex and BMI are always
 * reported (BMI only when recorded: a missing BMI is a data caveat, not a driver), but one
 * already at its reference value gets effect 0 without a model row: its occluded row would be
 * the patient's own row, so the model could only return the same probability. The batch therefore holds only the groups with evidence (it is most of the
 * hook's model time, so every row saved counts).
 */
import { DRUG_DAYS_PER_FULL_WEEK } from "../features/medication-days.ts";
import { CHANNELS, STATIC_FEATURES, WEEKS } from "../features/spec.ts";
import type { PatientFeatures } from "../features/types.ts";
import { DIAGNOSIS_GROUPS, type DiagnosisGroupId, MEDICATION_CLASSES, type MedicationClassId } from "../valuesets.ts";
import { EXPLANATION_REFERENCE, type ExplanationReference, referenceStatics, staticIndex } from "./explain-reference.ts";
import { allocateBatch, batchRow, checkRow } from "./pack-batch.ts";
import type { RiskModel } from "./risk-model.ts";

export type DriverGroup =
  | { kind: "diagnosis"; id: DiagnosisGroupId }
  | { kind: "medication"; id: MedicationClassId }
  | { kind: "age" }
  | { kind: "sex" }
  | { kind: "bmi" };

export interface RiskDriver {
  group: DriverGroup;
  /** Stable key, e.g. "diagnosis:knee_pain", "medication:nsaid_oral", "age". */
  key: string;
  /** Human-readable name of the group, e.g. "Knee pain and other knee disorders". */
  label: string;
  /** What the record shows for this group, e.g. "Age 67 (compared with 50)". */
  detail: string;
  /** probability - probability with this group at its reference value. Positive raises risk. */
  effect: number;
}

export interface Explanation {
  probability: number;
  /** The probability with every explained group at its reference value at once. */
  referenceProbability: number;
  /** Sorted by absolute effect, largest first. */
  drivers: RiskDriver[];
}

export interface ExplainOptions {
  /** Reference values for age and BMI; defaults to EXPLANATION_REFERENCE (age 50, BMI 22). */
  reference?: Readonly<ExplanationReference>;
  /**
   * The same model's probability for these features, when the caller already has it (the CDS
   * service computes it before deciding whether a card, and so an explanation, is needed):
   * the batch then leaves out the patient's own row.
   */
  probability?: number;
}

/** One occlusion: which group, and how to write its reference values into a copy of the row. */
interface Occlusion {
  group: DriverGroup;
  detail: string;
  /** False when the patient's row already holds the reference values (effect exactly 0). */
  changesRow: boolean;
  apply(row: { sequence: Float32Array; static: Float32Array }): void;
}

/**
 * When a week of the window was, in words true of every day in it. The window's last week holds
 * the 7 days before the index date (the index day is not history, history-window.ts), so the
 * week `ago` weeks before it holds the days 7 * ago + 1 to 7 * ago + 7 before the index date:
 * more than `ago` weeks and at most `ago` + 1 weeks before it. A bare "1 week ago" would be a
 * week short for a record 13 days old, and "in the last week" was read as the calendar week.
 */
function weeksAgo(lastWeek: number): string {
  const ago = WEEKS - 1 - lastWeek;
  return ago === 0 ? "in the 7 days before it" : `${ago} to ${ago + 1} weeks before it`;
}

/** The window in words, counted back from the index date. */
const WINDOW_WORDS = `${WEEKS} weeks before the index date`;
const WINDOW_YEARS = `${Math.round(WEEKS / 52)} years`;

/**
 * The days behind a medication channel, whose weekly values are drug-days / 28
 * (shared/features/spec.ts). Each drug of the class counts its own days, so two drugs on the
 * same day count 2 and the total can pass 7 a week; the words say so ("each drug counted"), or
 * the total reads as wrong. Orders of the same drug that overlap count once
 * (medication-days.ts). "About": a week is capped at 28 drug-days.
 */
function medicationDays(total: number): string {
  const days = Math.round(total * DRUG_DAYS_PER_FULL_WEEK);
  return `about ${days} ${days === 1 ? "day" : "days"} in all, each drug of the class counted`;
}

/** A channel's record in words: weeks with any evidence out of the window, and the latest. */
function channelDetail(kind: "diagnosis" | "medication", values: Float32Array): string {
  let weeks = 0;
  let last = -1;
  let total = 0;
  values.forEach((v, w) => {
    if (v > 0) {
      weeks++;
      last = w;
      total += v;
    }
  });
  const recency = `most recently ${weeksAgo(last)}`;
  if (kind === "diagnosis") return `recorded in ${weeks} of the ${WINDOW_WORDS} (${WINDOW_YEARS}), ${recency}`;
  // The weeks with any coverage, out of the window, as the diagnosis line counts its weeks; by
  // orders, dispensings or reports, since a request or a statement is not a supply.
  return `covered by orders, dispensings or reports in ${weeks} of the ${WINDOW_WORDS} (${WINDOW_YEARS}; ${medicationDays(total)}), ${recency}`;
}

function channelOcclusions(features: PatientFeatures): Occlusion[] {
  const out: Occlusion[] = [];
  CHANNELS.forEach((channel, c) => {
    const values = features.sequence.subarray(c * WEEKS, (c + 1) * WEEKS);
    if (!values.some((v) => v !== 0)) return;
    out.push({
      group: channel.kind === "diagnosis" ? { kind: "diagnosis", id: channel.id } : { kind: "medication", id: channel.id },
      detail: channelDetail(channel.kind, values),
      changesRow: true,
      apply: (row) => row.sequence.fill(0, c * WEEKS, (c + 1) * WEEKS),
    });
  });
  return out;
}

function staticOcclusions(features: PatientFeatures, ref: Readonly<ExplanationReference>): Occlusion[] {
  const values = referenceStatics(ref);
  const occlusion = (group: DriverGroup & { kind: keyof typeof values }, detail: string): Occlusion => {
    const writes = values[group.kind];
    return {
      group,
      detail,
      // Compared as float32, the precision the row stores.
      changesRow: writes.some(([name, value]) => features.static[staticIndex(name)] !== Math.fround(value)),
      apply: (row) => {
        for (const [name, value] of writes) row.static[staticIndex(name)] = value;
      },
    };
  };
  const { ageYears, sex, bmi } = features.demographics;
  const sexText = sex === "female" ? "Female" : sex === "male" ? "Male" : "Sex not recorded as female or male";
  return [
    occlusion({ kind: "age" }, `Age ${ageYears ?? "unknown"} (compared with ${ref.ageYears})`),
    occlusion({ kind: "sex" }, `${sexText} (compared with the average of female and male)`),
    ...(bmi === null ? [] : [occlusion({ kind: "bmi" }, `BMI ${bmi.toFixed(1)} (compared with BMI ${ref.bmi})`)]),
  ];
}

function checkOptions(options: ExplainOptions): Readonly<ExplanationReference> {
  const reference = options.reference ?? EXPLANATION_REFERENCE;
  if (!Number.isFinite(reference.ageYears) || !Number.isFinite(reference.bmi)) {
    throw new RangeError(`explanation reference must be finite numbers, got age ${reference.ageYears} and BMI ${reference.bmi}`);
  }
  const p = options.probability;
  if (p !== undefined && !(p >= 0 && p <= 1)) throw new RangeError(`probability must be in [0, 1], got ${p}`);
  return reference;
}

export function driverLabel(group: DriverGroup): string {
  switch (group.kind) {
    case "diagnosis":
      return DIAGNOSIS_GROUPS[group.id].title;
    case "medication":
      return MEDICATION_CLASSES[group.id].title;
    case "age":
      return "Age";
    case "sex":
      return "Sex";
    case "bmi":
      return "Body mass index";
  }
}

const driverKey = (group: DriverGroup): string => ("id" in group ? `${group.kind}:${group.id}` : group.kind);

/** Explains `model`'s probability for one patient's features (see the module comment). */
export async function explainRisk(model: RiskModel, features: PatientFeatures, options: ExplainOptions = {}): Promise<Explanation> {
  if (features.static.length !== STATIC_FEATURES.length) {
    throw new RangeError(`static has ${features.static.length} values, expected ${STATIC_FEATURES.length}`);
  }
  const reference = checkOptions(options);
  checkRow(features, 0);
  const occlusions = [...channelOcclusions(features), ...staticOcclusions(features, reference)];
  const varied = occlusions.filter((o) => o.changesRow);
  // Rows: the patient (unless its probability is known), everything at reference, then one
  // row per group that changes it.
  const own = options.probability === undefined ? 1 : 0;
  const batch = allocateBatch(own + 1 + varied.length);
  const write = (r: number, applied: readonly Occlusion[]): void => {
    const row = batchRow(batch, r);
    row.sequence.set(features.sequence);
    row.static.set(features.static);
    for (const o of applied) o.apply(row);
  };
  if (own === 1) write(0, []);
  write(own, varied);
  varied.forEach((o, i) => write(own + 1 + i, [o]));
  const p = await model.predictPacked(batch);
  const probability = options.probability ?? (p[0] as number);
  const drivers = occlusions.map((o) => ({
    group: o.group,
    key: driverKey(o.group),
    label: driverLabel(o.group),
    detail: o.detail,
    effect: o.changesRow ? probability - (p[own + 1 + varied.indexOf(o)] as number) : 0,
  }));
  drivers.sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect));
  return { probability, referenceProbability: p[own] as number, drivers };
}
