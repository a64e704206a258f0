/** Which part of what the card and the app gathered each caveat beside the risk is read from. */
import type { Observation, Resource } from "fhir/r4";
import { describe, expect, it } from "vitest";
import { recordCaveats } from "../../shared/record-caveats.ts";
import { exampleResources } from "../support/imaging-examples.ts";
import { condition, icd10, procedure, snomed } from "../support/fhir-builders.ts";

const INDEX = "2025-01-01";
const OA_NO_JOINT = condition(snomed("396275006"), { id: "oa", onsetDateTime: "2021-03-02" });
const ARTIFICIAL_KNEE = condition(icd10("Z96.652"), { id: "z96", onsetDateTime: "2020-06-01" });
const TKR = procedure(snomed("609588000"), { performedDateTime: "2023-04-05" });
/** An AI grade 3 of the left knee, taken 2024-05-01. */
const KL_3: Resource[] = exampleResources({ kind: "kl", knees: [{ side: "left", grade: 3 }] }, { idPrefix: "kl" })
  .filter((r): r is Observation => r.resourceType === "Observation")
  .map((o) => ({ ...o, effectiveDateTime: "2024-05-01T09:00:00Z" }));

const NONE = { recentKneeOaGrade: null, oaSiteNotStated: null, kneeReplaced: null };

describe("recordCaveats", () => {
  it("reads each caveat from where the card and the app gather it", () => {
    expect(recordCaveats([OA_NO_JOINT, ARTIFICIAL_KNEE], [...KL_3, TKR], INDEX)).toEqual({
      recentKneeOaGrade: { grade: 3, side: "left", date: "2024-05-01" },
      oaSiteNotStated: { date: "2021-03-02" },
      // The Procedure in the card's context is newer than the problem list's artificial knee.
      kneeReplaced: { date: "2023-04-05" },
      // Nothing in the model input since 2021: the grade of 2024 and the Procedure of 2023 are
      // context, which the model never reads.
      recordNotCurrent: { latestBefore: "2021-03-02" },
    });
  });

  it("finds a knee replacement in either part: an artificial knee among the diagnoses, a Procedure in the context", () => {
    expect(recordCaveats([ARTIFICIAL_KNEE], [], INDEX)).toEqual({ ...NONE, kneeReplaced: { date: "2020-06-01" }, recordNotCurrent: { latestBefore: "2020-06-01" } });
    expect(recordCaveats([], [TKR], INDEX)).toEqual({ ...NONE, kneeReplaced: { date: "2023-04-05" }, recordNotCurrent: { latestBefore: null } });
  });

  it("reads the AI grades from the card's context only, and osteoarthritis without a joint from the model input only", () => {
    // Neither is where the card's queries put it (the grades are card context, never model input).
    // The grades, dated 2024-05-01, as model input, would make it current.
    expect(recordCaveats(KL_3, [OA_NO_JOINT], INDEX)).toEqual({ ...NONE, recordNotCurrent: null });
  });
});
