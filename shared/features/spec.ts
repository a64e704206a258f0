/**
 * The Deep-KOA feature layout. Everything that reads or writes feature tensors (the feature
 * builder, the tensor CLI, training, inference) takes the layout from here.
 *
 * FEATURE_SPEC_VERSION must change whenever the layout or the meaning of any value changes
 * (including any change to the value sets); the ONNX model records the version it was trained
 * on and inference refuses a model built for another one. The human-readable specification is
 * models/FEATURES.md.
 */
import { DIAGNOSIS_GROUP_IDS, MEDICATION_CLASS_IDS, VALUE_SETS_VERSION } from "../valuesets.ts";

/** Bump on any change to this layout or to the semantics in shared/features/. */
const LAYOUT_REVISION = 3;

export const FEATURE_SPEC_VERSION = `koa-features/${LAYOUT_REVISION}+valuesets/${VALUE_SETS_VERSION}`;

/** Weeks of history: the 3 years (156 weeks x 7 days) that end the day before the index date. */
export const WEEKS = 156;
export const DAYS_PER_WEEK = 7;
export const HISTORY_DAYS = WEEKS * DAYS_PER_WEEK;

/** Sequence channels in order: diagnosis groups, then medication classes. */
export const CHANNELS = [
  ...DIAGNOSIS_GROUP_IDS.map((id) => ({ kind: "diagnosis" as const, id })),
  ...MEDICATION_CLASS_IDS.map((id) => ({ kind: "medication" as const, id })),
] as const;
export const CHANNEL_COUNT = CHANNELS.length;

/** Static features in order; the scaling of each is documented in models/FEATURES.md. */
export const STATIC_FEATURES = [
  "age", // (age in years - 50) / 20
  "sex_female", // 1 female, 0 otherwise
  "sex_male", // 1 male, 0 otherwise (both 0: other/unknown)
  "bmi", // (BMI - 28) / 6, 0 when missing
  "bmi_missing", // 1 when no BMI before the index date
  "history_years", // years of history before the index date, capped at 3, / 3
] as const;
export type StaticFeatureName = (typeof STATIC_FEATURES)[number];
export const STATIC_COUNT = STATIC_FEATURES.length;
