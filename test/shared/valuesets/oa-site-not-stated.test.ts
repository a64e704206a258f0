/** The osteoarthritis codes without a stated joint: a subset of hand_other_oa, never knee OA. */
import { describe, expect, it } from "vitest";
import { namesOaSiteNotStated, OA_SITE_NOT_STATED } from "../../../shared/valuesets.ts";
import { concept, diagnosis, sampleCode } from "./fixtures.ts";

describe("OA_SITE_NOT_STATED", () => {
  it("takes the nine SNOMED CT concepts without a joint from the other-osteoarthritis table, none lost", () => {
    expect(OA_SITE_NOT_STATED.codes.filter((entry) => entry.system === "snomed").map((entry) => entry.code).sort()).toEqual(
      ["396275006", "239862000", "443524000", "201819000", "268054009", "201829007", "201847001", "33952002", "394991004"].sort(),
    );
  });

  it("holds only codes the builder counts as other osteoarthritis, never as knee OA", () => {
    for (const entry of OA_SITE_NOT_STATED.codes) {
      const match = diagnosis(entry.system, sampleCode(entry));
      expect(match.ids, `${entry.system} ${entry.code}`).toContain("hand_other_oa");
      expect(match.kneeOa, `${entry.system} ${entry.code}`).toBe(false);
    }
  });

  it("recognises osteoarthritis charted without its joint, in each code system", () => {
    for (const [system, code] of [
      ["snomed", "396275006"], // Osteoarthritis
      ["snomed", "201829007"], // Localized, primary osteoarthritis
      ["icd10cm", "M19.90"], // Unspecified osteoarthritis, unspecified site
      ["icd10cm", "M1993"], // Secondary osteoarthritis, unspecified site, written without the dot
      ["icd10cm", "M15.0"], // Primary generalized (osteo)arthritis
      ["icd9cm", "715.90"], // Osteoarthrosis, unspecified whether generalized or localized, site unspecified
      ["icd9cm", "715.09"], // Osteoarthrosis, generalized, multiple sites
    ] as const) {
      expect(namesOaSiteNotStated(concept([system, code])), `${system} ${code}`).toBe(true);
    }
  });

  it("leaves out osteoarthritis of a named joint, and the knee above all", () => {
    for (const [system, code] of [
      ["snomed", "239873007"], // Osteoarthritis of knee
      ["snomed", "201834006"], // Localized, primary osteoarthritis of the hand
      ["icd10cm", "M17.11"], // Unilateral primary osteoarthritis, right knee
      ["icd10cm", "M19.041"], // Primary osteoarthritis, right hand
      ["icd10cm", "M19.011"], // Primary osteoarthritis, right shoulder
      ["icd9cm", "715.96"], // Osteoarthrosis, lower leg (the knee)
      ["icd9cm", "715.04"], // Osteoarthrosis, generalized, hand
      ["icd9cm", "715.16"], // Osteoarthrosis, localized primary, lower leg
    ] as const) {
      expect(namesOaSiteNotStated(concept([system, code])), `${system} ${code}`).toBe(false);
    }
    expect(namesOaSiteNotStated(undefined)).toBe(false);
    expect(namesOaSiteNotStated({ text: "osteoarthritis" })).toBe(false);
  });
});
