/**
 * Rheumatology medication classes: disease-modifying antirheumatic drugs and urate-lowering drugs.
 * Any change to these codes needs a VALUE_SETS_VERSION bump (shared/valuesets.ts).
 */
import { atc, rx } from "../entries.ts";
import type { MedicationClassId } from "../ids.ts";
import type { ValueSetTable } from "../types.ts";

type RheumatologyClassId = Extract<MedicationClassId, "dmard" | "urate_lowering">;

export const RHEUMATOLOGY_CLASSES: ValueSetTable<RheumatologyClassId> = {
  dmard: {
    id: "dmard",
    title: "Disease-modifying antirheumatic drugs",
    note: "Classed by ingredient: tocilizumab, anakinra and baricitinib also treat COVID-19 (Synthea gives them for it).",
    codes: [
      ...rx("REFERENCE.md", [
        ["6851", "methotrexate"],
        ["105585", "methotrexate 2.5 MG Oral Tablet"],
      ]),
      ...rx("Synthea modules", [
        ["979092", "Hydroxychloroquine Sulfate 200 MG Oral Tablet"],
        ["1657981", "20 ML tocilizumab 20 MG/ML Injection"],
        ["727711", "0.67 ML anakinra 149 MG/ML Prefilled Syringe (Kineret)"],
        ["2047241", "baricitinib 2 MG Oral Tablet"],
      ]),
      ...rx("Recalled, unverified", [
        ["5521", "hydroxychloroquine"],
        ["9524", "sulfasalazine"],
        ["27169", "leflunomide"],
        ["327361", "adalimumab"],
        ["214555", "etanercept"],
        ["191831", "infliximab"],
        ["1357536", "tofacitinib"],
      ]),
      ...atc("Task brief", [["L04AX03", "methotrexate"]]),
      ...atc("Recalled, unverified", [
        ["L04AB", "Tumor necrosis factor alpha (TNF-alpha) inhibitors"],
        ["P01BA02", "hydroxychloroquine"],
        ["A07EC01", "sulfasalazine"],
        ["L04AA13", "leflunomide (before the 2024 ATC revision)"],
        ["L04AK01", "leflunomide"],
      ]),
    ],
  },
  urate_lowering: {
    id: "urate_lowering",
    title: "Urate-lowering drugs",
    codes: [
      ...rx("REFERENCE.md", [
        ["519", "allopurinol"],
        ["197319", "allopurinol 100 MG Oral Tablet"],
      ]),
      ...rx("Recalled, unverified", [
        ["73689", "febuxostat"],
        ["8698", "probenecid"],
      ]),
      ...atc("Task brief", [["M04AA", "Preparations inhibiting uric acid production"]]),
      ...atc("Recalled, unverified", [["M04AB", "Preparations increasing uric acid excretion"]]),
    ],
  },
};
