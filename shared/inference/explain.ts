/**
 * Explains one patient's risk by occlusion: each feature group (each diagnosis group, each
 * medication class, age, sex, BMI) is replaced by its reference value (explain-reference.ts)
 * and the model re-run; the change in probability is that group's effect. All variants go to
 * the model in ONE batched call.
 *
 * Occlusion effects are not additive: groups interact inside the network, so the effects need
 * not sum to probability - referenceProbability. Channels with nothing recorded are left out:
 * occluding zeros with zeros changes nothing by construction.
 */
import { CHANNELS, STATIC_FEATURES, WEEKS } from "../features/spec.ts";
import type { PatientFeatures } from "../features/types.ts";
import { DIAGNOSIS_GROUPS, type DiagnosisGroupId, MEDICATION_CLASSES, type MedicationClassId } from "../valuesets.ts";
import { EXPLANATION_REFERENCE, type ExplanationReference, referenceStatics, staticIndex } from "./explain-reference.ts";
import type { ModelInput } from "./pack-batch.ts";
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
  /** Reference values for age and BMI; defaults to EXPLANATION_REFERENCE (age 50, BMI 25). */
  reference?: Readonly<ExplanationReference>;
}

/** One occlusion: which group, and how to write its reference values into a copy of the row. */
interface Occlusion {
  group: DriverGroup;
  detail: string;
  apply(row: { sequence: Float32Array; static: Float32Array }): void;
}

function weeksAgo(lastWeek: number): string {
  const ago = WEEKS - 1 - lastWeek;
  return ago === 0 ? "in the last week" : ago === 1 ? "1 week ago" : `${ago} weeks ago`;
}

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
  if (kind === "diagnosis") return `recorded in ${weeks} of the last ${WEEKS} weeks, ${recency}`;
  // Medication values are drug-days / 28 (shared/features/spec.ts), so * 28 recovers drug-days.
  return `about ${Math.round(total * 28)} drug-days in ${weeks} weeks, ${recency}`;
}

function channelOcclusions(features: PatientFeatures): Occlusion[] {
  const out: Occlusion[] = [];
  CHANNELS.forEach((channel, c) => {
    const values = features.sequence.subarray(c * WEEKS, (c + 1) * WEEKS);
    if (!values.some((v) => v !== 0)) return;
    out.push({
      group: channel.kind === "diagnosis" ? { kind: "diagnosis", id: channel.id } : { kind: "medication", id: channel.id },
      detail: channelDetail(channel.kind, values),
      apply: (row) => row.sequence.fill(0, c * WEEKS, (c + 1) * WEEKS),
    });
  });
  return out;
}

function staticOcclusions(features: PatientFeatures, ref: Readonly<ExplanationReference>): Occlusion[] {
  const values = referenceStatics(ref);
  const writer = (group: keyof typeof values) => (row: { static: Float32Array }) => {
    for (const [name, value] of values[group]) row.static[staticIndex(name)] = value;
  };
  const { ageYears, sex, bmi } = features.demographics;
  const sexText = sex === "female" ? "Female" : sex === "male" ? "Male" : "Sex not recorded as female or male";
  return [
    { group: { kind: "age" }, detail: `Age ${ageYears ?? "unknown"} (compared with ${ref.ageYears})`, apply: writer("age") },
    { group: { kind: "sex" }, detail: `${sexText} (compared with the average of female and male)`, apply: writer("sex") },
    {
      group: { kind: "bmi" },
      detail: `${bmi === null ? "No BMI recorded" : `BMI ${bmi.toFixed(1)}`} (compared with BMI ${ref.bmi})`,
      apply: writer("bmi"),
    },
  ];
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

function occludedRow(features: PatientFeatures, occlusions: readonly Occlusion[]): ModelInput {
  const row = { specVersion: features.specVersion, sequence: features.sequence.slice(), static: features.static.slice() };
  for (const o of occlusions) o.apply(row);
  return row;
}

/** Explains `model`'s probability for one patient's features (see the module comment). */
export async function explainRisk(model: RiskModel, features: PatientFeatures, options: ExplainOptions = {}): Promise<Explanation> {
  if (features.static.length !== STATIC_FEATURES.length) {
    throw new RangeError(`static has ${features.static.length} values, expected ${STATIC_FEATURES.length}`);
  }
  const occlusions = [...channelOcclusions(features), ...staticOcclusions(features, options.reference ?? EXPLANATION_REFERENCE)];
  // Row 0: the patient; row 1: everything at reference; then one row per group.
  const rows = [features, occludedRow(features, occlusions), ...occlusions.map((o) => occludedRow(features, [o]))];
  const p = await model.predict(rows);
  const probability = p[0] as number;
  const drivers = occlusions.map((o, i) => ({
    group: o.group,
    key: driverKey(o.group),
    label: driverLabel(o.group),
    detail: o.detail,
    effect: probability - (p[i + 2] as number),
  }));
  drivers.sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect));
  return { probability, referenceProbability: p[1] as number, drivers };
}
