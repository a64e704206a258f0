/**
 * Osteoarthritis coded without its joint: "osteoarthritis", "localized primary osteoarthritis",
 * "unspecified osteoarthritis, unspecified site", polyarticular or generalized osteoarthritis.
 * Primary care often charts knee OA this way. The feature builder counts these codes in the
 * hand_other_oa channel (every code here is one of that group's), so a patient whose knee OA was
 * charted so is scored as not yet diagnosed; the card and the app say so beside the risk
 * (shared/oa-site-not-stated.ts). Not a channel and not the outcome: this table feeds no model
 * input, so it is outside VALUE_SETS_VERSION (test/shared/valuesets/oa-site-not-stated.test.ts
 * checks that each code still falls in hand_other_oa and never in knee OA).
 */
import { deepFreeze } from "./deep-freeze.ts";
import { DIAGNOSIS_GROUPS } from "./diagnosis-groups/index.ts";
import { icd10, icd9, icd9Digits, OA_715_SITED } from "./entries.ts";
import { conceptInSet } from "./lookup.ts";
import type { ValueSet } from "./types.ts";

/** The other-osteoarthritis channel's rows (their displays and sources) that name no joint. */
const OTHER_OA = DIAGNOSIS_GROUPS.hand_other_oa.codes;
const SNOMED_NO_JOINT = new Set(["396275006", "239862000", "443524000", "201819000", "268054009", "201829007", "201847001", "33952002", "394991004"]);

export const OA_SITE_NOT_STATED: ValueSet<"oa_site_not_stated"> = deepFreeze({
  id: "oa_site_not_stated",
  title: "Osteoarthritis without a stated joint, or of several joints (not a channel)",
  codes: [
    ...OTHER_OA.filter((entry) => entry.system === "snomed" && SNOMED_NO_JOINT.has(entry.code)),
    ...OTHER_OA.filter((entry) => entry.system === "icd10cm" && entry.code === "M15"),
    // Within the channel's M19 prefix, the category of the unstated site.
    ...icd10("ICD-10-CM tabular list", [["M19.9", "Osteoarthritis, unspecified site (M19.90-M19.93)"]]),
    ...icd9("ICD-9-CM tabular list", [
      ...icd9Digits(["715.0", "715.8"], [0, 9], "Osteoarthrosis, generalized or of more than one site"),
      ...icd9Digits(OA_715_SITED, [0], "Osteoarthrosis, localized or unspecified, site unspecified"),
    ]),
  ],
});

/** Whether any coding of the concept is an osteoarthritis code without a stated joint. */
export const namesOaSiteNotStated = conceptInSet(OA_SITE_NOT_STATED);
