import { describe, expect, it } from "vitest";
import { CODE_SOURCES, DIAGNOSIS_GROUPS, KNEE_OA, MEDICATION_CLASSES, type ValueSet } from "../../../shared/valuesets.ts";
import { diagnosis, medication } from "./fixtures.ts";

const ALL_SETS: readonly ValueSet<string>[] = [...Object.values(DIAGNOSIS_GROUPS), ...Object.values(MEDICATION_CLASSES), KNEE_OA];

describe("value-set sources", () => {
  it("every entry names a source that says where to check it", () => {
    for (const set of ALL_SETS) {
      for (const entry of set.codes) {
        const citation = (CODE_SOURCES as Readonly<Record<string, string>>)[entry.source];
        expect(citation, `${set.id} ${entry.system}|${entry.code} from "${entry.source}"`).toMatch(/^.{20,}$/);
      }
    }
  });

  it("maps the codes the independent data used and the tables missed (issue 12)", () => {
    expect(medication("rxnorm", "316672").ids).toEqual(["lipid_lowering"]); // simvastatin 10 MG
    expect(medication("rxnorm", "316049").ids).toEqual(["antihypertensive"]); // hydrochlorothiazide 25 MG
    expect(medication("rxnorm", "1310197").ids).toEqual(["paracetamol", "opioid"]); // Vicodin
    expect(medication("atc", "M02AA15").ids).toEqual(["nsaid_topical"]); // topical diclofenac
  });

  it("no longer maps codes that no public source confirmed (they come back unmapped)", () => {
    // A sample of the removed entries: products and ingredients written from memory.
    for (const code of ["197806", "2480108", "4845", "274783", "35827"]) {
      const match = medication("rxnorm", code);
      expect(match.ids, `rxnorm ${code}`).toEqual([]);
      expect(match.unmapped, `rxnorm ${code}`).toHaveLength(1);
    }
    for (const code of ["23986001", "233604007", "190905008"]) {
      expect(diagnosis("snomed", code).ids, `snomed ${code}`).toEqual([]);
    }
  });
});
