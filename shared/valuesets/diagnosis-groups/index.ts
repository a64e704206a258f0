import { DIAGNOSIS_GROUP_IDS, type DiagnosisGroupId } from "../ids.ts";
import { tableInIdOrder } from "../table-in-id-order.ts";
import type { ValueSetTable } from "../types.ts";
import { CARDIOMETABOLIC_GROUPS } from "./cardiometabolic.ts";
import { MUSCULOSKELETAL_GROUPS } from "./musculoskeletal.ts";
import { OTHER_GROUPS } from "./other.ts";

/**
 * The paper's general groups are ICD-9-CM blocks; their ICD-10-CM equivalents are taken by the
 * block each ICD-9-CM category maps to. For "other metabolic and immunity disorders" (ICD-9-CM
 * 270-279) that means E65-E68 (278 obesity), E70-E88 (270-277, 272 lipids included), D80-D89
 * (279 immunity) and M10/M1A (274 gout): obesity, lipid and gout codes therefore light their own
 * channel AND metabolic_immunity, on purpose, as they did in the paper's block.
 */
export const DIAGNOSIS_GROUPS: ValueSetTable<DiagnosisGroupId> = tableInIdOrder(DIAGNOSIS_GROUP_IDS, {
  ...MUSCULOSKELETAL_GROUPS,
  ...CARDIOMETABOLIC_GROUPS,
  ...OTHER_GROUPS,
});
