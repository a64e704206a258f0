/**
 * Diagnosis groups outside the musculoskeletal and cardiometabolic domains: depression and
 * anxiety, eye and adnexa, acute respiratory infection.
 * Any change to these codes needs a VALUE_SETS_VERSION bump (shared/valuesets.ts).
 */
import { icd10, icd9, sct } from "../entries.ts";
import type { DiagnosisGroupId } from "../ids.ts";
import type { ValueSetTable } from "../types.ts";

type OtherGroupId = Extract<
  DiagnosisGroupId,
  | "depression_anxiety"
  | "eye_adnexa"
  | "acute_respiratory_infection"
>;

export const OTHER_GROUPS: ValueSetTable<OtherGroupId> = {
  depression_anxiety: {
    id: "depression_anxiety",
    title: "Depression and anxiety",
    codes: [
      ...sct("Synthea sample data", [["80583007", "Severe anxiety (panic) (finding)"]]),
      ...sct("OpenCodelists-derived code list", [
        ["35489007", "Depressive disorder"],
        ["370143000", "Major depressive disorder"],
        ["36923009", "Major depression, single episode"],
        ["66344007", "Recurrent major depression"],
        ["310495003", "Mild depression"],
        ["310496002", "Moderate depression"],
        ["310497006", "Severe depression"],
        ["78667006", "Dysthymia"],
        ["192080009", "Chronic depression"],
        ["58703003", "Postpartum depression"],
        ["231504006", "Mixed anxiety and depressive disorder"],
        ["197480006", "Anxiety disorder"],
        ["21897009", "Generalized anxiety disorder"],
        ["371631005", "Panic disorder"],
        ["48694002", "Anxiety"],
      ]),
      ...icd10("Task brief", [
        ["F32-F33", "Depressive episode; major depressive disorder, recurrent"],
        ["F41", "Other anxiety disorders"],
      ]),
      ...icd10("ICD-10-CM tabular list", [["F34.1", "Dysthymic disorder"]]),
      ...icd9("ICD-9-CM tabular list", [
        ["296.2", "Major depressive disorder, single episode"],
        ["296.3", "Major depressive disorder, recurrent episode"],
        ["300.0", "Anxiety states"],
        ["300.4", "Dysthymic disorder"],
        ["311", "Depressive disorder, not elsewhere classified"],
      ]),
    ],
  },
  eye_adnexa: {
    id: "eye_adnexa",
    title: "Diseases of the eye and adnexa (ICD-9-CM 360-379, ICD-10-CM H00-H59)",
    codes: [
      ...sct("Synthea modules", [
        ["422034002", "Retinopathy due to type 2 diabetes mellitus (disorder)"],
        ["1551000119108", "Nonproliferative retinopathy due to type 2 diabetes mellitus (disorder)"],
        ["1501000119109", "Proliferative retinopathy due to type 2 diabetes mellitus (disorder)"],
        ["97331000119101", "Macular edema and retinopathy due to type 2 diabetes mellitus (disorder)"],
        ["60951000119105", "Blindness due to type 2 diabetes mellitus (disorder)"],
      ]),
      ...sct("OpenCodelists-derived code list", [
        ["193570009", "Cataract"],
        ["39450006", "Senile cataract"],
        ["420756003", "Cataract of eye due to diabetes mellitus type 2"],
        ["267718000", "Age-related macular degeneration"],
        ["414173003", "Exudative age-related macular degeneration"],
        ["414875008", "Nonexudative age-related macular degeneration"],
        ["19144002", "Absolute glaucoma"],
        ["397540003", "Visual impairment"],
      ]),
      ...sct("Public EHR samples", [["9826008", "Conjunctivitis"]]),
      ...icd10("Task brief", [["H00-H59", "Diseases of the eye and adnexa"]]),
      ...icd9("ICD-9-CM tabular list", [["360-379", "Disorders of the eye and adnexa"]]),
    ],
  },
  acute_respiratory_infection: {
    id: "acute_respiratory_infection",
    title: "Acute respiratory infections, influenza and pneumonia",
    note:
      "ICD-9-CM block 460-466 maps to ICD-10-CM J00-J06 and J20-J22; the task also takes in " +
      "influenza and pneumonia (J09-J18, ICD-9-CM 480-488) and COVID-19 (U07.1). Otitis media and " +
      "chronic sinusitis are not in the block and are left out.",
    codes: [
      ...sct("Task brief", [
        ["444814009", "Viral sinusitis"],
        ["10509002", "Acute bronchitis"],
        ["195662009", "Acute viral pharyngitis"],
        ["43878008", "Streptococcal sore throat"],
        ["82272006", "Common cold"],
      ]),
      ...sct("Synthea sample data", [
        ["75498004", "Acute bacterial sinusitis (disorder)"],
        ["840539006", "COVID-19"],
      ]),
      ...icd10("Task brief", [
        ["J00-J06", "Acute upper respiratory infections"],
        ["J09-J22", "Influenza and pneumonia; other acute lower respiratory infections"],
      ]),
      ...icd10("ICD-10-CM tabular list", [["U07.1", "COVID-19"]]),
      ...icd9("ICD-9-CM tabular list", [
        ["460-466", "Acute respiratory infections"],
        ["480-488", "Pneumonia and influenza"],
      ]),
    ],
  },
};
