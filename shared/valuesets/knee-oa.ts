/**
 * The outcome: knee osteoarthritis codes. Not a channel; matchDiagnosis reports them as kneeOa.
 * Any change to these codes needs a VALUE_SETS_VERSION bump (shared/valuesets.ts).
 */
import { deepFreeze } from "./deep-freeze.ts";
import { OA_715_SITED, icd10, icd9, icd9Digits, sct } from "./entries.ts";
import type { ValueSet } from "./types.ts";

export const KNEE_OA: ValueSet<"knee_oa"> = deepFreeze({
  id: "knee_oa",
  title: "Osteoarthritis of knee (the outcome, not a channel)",
  note:
    "No knee OA code is in any diagnosis group, so the outcome never feeds a channel. ICD-9-CM " +
    "715.06 and 715.86 are listed because the references name 715.x6, but the tabular list only " +
    "allows fifth digits 0/4/9 (715.0) and 0/9 (715.8): real data will not carry them.",
  codes: [
    ...sct("Deep-KOA references", [["239873007", "Osteoarthritis of knee"]]),
    ...sct("OpenCodelists-derived code list", [
      ["450521003", "Osteoarthritis of patellofemoral joint"],
      ["201893003", "Osteoarthritis NOS: [lower leg] or [knee]"],
    ]),
    ...icd10("Deep-KOA references", [["M17", "Osteoarthritis of knee (M17.0-M17.9)"]]),
    ...icd9("Deep-KOA references", [
      ...icd9Digits(OA_715_SITED, [6], "Osteoarthrosis, localized or unspecified, lower leg"),
      ["715.06", "Osteoarthrosis, generalized, lower leg (not a valid tabular-list code)"],
      ["715.86", "Osteoarthrosis, more than one site, lower leg (not a valid tabular-list code)"],
    ]),
  ],
});
