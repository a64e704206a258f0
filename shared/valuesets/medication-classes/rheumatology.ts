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
      ...rx("Deep-KOA references", [
        ["6851", "methotrexate"],
        ["105585", "methotrexate 2.5 MG Oral Tablet"],
      ]),
      ...rx("Synthea modules", [
        ["979092", "Hydroxychloroquine Sulfate 200 MG Oral Tablet"],
        ["1657981", "20 ML tocilizumab 20 MG/ML Injection"],
        ["727711", "0.67 ML anakinra 149 MG/ML Prefilled Syringe (Kineret)"],
        ["2047241", "baricitinib 2 MG Oral Tablet"],
      ]),
      ...rx("CPIC drug table", [
        ["5521", "hydroxychloroquine"],
        ["9524", "sulfasalazine"],
      ]),
      ...atc("Task brief", [["L04AX03", "methotrexate"]]),
      ...atc("CPIC drug table", [
        ["L04AB", "Tumor necrosis factor alpha (TNF-alpha) inhibitors"],
        ["P01BA02", "hydroxychloroquine"],
        ["A07EC01", "sulfasalazine"],
      ]),
      ...atc("ATC 2024 transition map", [["L04AA13", "leflunomide (before the 2024 ATC revision)"]]),
      ...atc("WHO ATC index", [["L04AK01", "leflunomide"]]),
    ],
  },
  urate_lowering: {
    id: "urate_lowering",
    title: "Urate-lowering drugs",
    codes: [
      ...rx("Deep-KOA references", [
        ["519", "allopurinol"],
        ["197319", "allopurinol 100 MG Oral Tablet"],
      ]),
      ...rx("CPIC drug table", [["8698", "probenecid"]]),
      ...atc("Task brief", [["M04AA", "Preparations inhibiting uric acid production"]]),
      ...atc("WHO ATC index", [["M04AB", "Preparations increasing uric acid excretion"]]),
    ],
  },
};
