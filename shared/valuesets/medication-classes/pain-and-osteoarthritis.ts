/**
 * Medication classes for pain and osteoarthritis: NSAIDs, paracetamol, opioids, systemic and
 * intra-articular corticosteroids, glucosamine/chondroitin, duloxetine.
 * Any change to these codes needs a VALUE_SETS_VERSION bump (shared/valuesets.ts).
 */
import { atc, rx } from "../entries.ts";
import type { MedicationClassId } from "../ids.ts";
import type { ValueSetTable } from "../types.ts";

type PainClassId = Extract<
  MedicationClassId,
  | "nsaid_oral"
  | "nsaid_topical"
  | "paracetamol"
  | "opioid"
  | "corticosteroid_systemic"
  | "intraarticular_injection"
  | "glucosamine_chondroitin"
  | "duloxetine"
>;

export const PAIN_AND_OSTEOARTHRITIS_CLASSES: ValueSetTable<PainClassId> = {
  nsaid_oral: {
    id: "nsaid_oral",
    title: "Oral NSAIDs",
    codes: [
      ...rx("Deep-KOA references", [
        ["5640", "ibuprofen"],
        ["7258", "naproxen"],
        ["3355", "diclofenac"],
        ["140587", "celecoxib"],
        ["849574", "naproxen sodium 220 MG Oral Tablet"],
        ["198014", "naproxen 500 MG Oral Tablet"],
        ["310965", "ibuprofen 200 MG Oral Tablet"],
      ]),
      ...rx("Synthea sample data", [
        ["198405", "Ibuprofen 100 MG Oral Tablet"],
        ["206905", "Ibuprofen 400 MG Oral Tablet [Ibu]"],
      ]),
      ...rx("CPIC drug table", [
        ["41493", "meloxicam"],
        ["5781", "indomethacin"],
        ["31448", "nabumetone"],
        ["8356", "piroxicam"],
      ]),
      ...rx("Public EHR samples", [["205323", "celecoxib 200 MG Oral Capsule"]]),
      ...atc("WHO ATC index", [
        ["M01AA", "Butylpyrazolidines"],
        ["M01AB", "Acetic acid derivatives and related substances"],
        ["M01AC", "Oxicams"],
        ["M01AE", "Propionic acid derivatives"],
        ["M01AG", "Fenamates"],
        ["M01AH", "Coxibs"],
        ["M01AX01", "nabumetone"],
      ]),
    ],
    note:
      "The references' M01A is taken by its NSAID subgroups: M01AX also holds glucosamine (M01AX05) " +
      "and chondroitin (M01AX25), which are their own class.",
  },
  nsaid_topical: {
    id: "nsaid_topical",
    title: "Topical NSAIDs",
    note:
      "Topical diclofenac is matched by its ATC code (M02AA15); its RxNorm products (gels, patches, " +
      "solutions) could not be verified against a public table and are not listed: EHRs that send " +
      "only an RxNorm product code for it are reported as unmapped by check:external.",
    codes: [
      ...atc("Deep-KOA references", [["M02AA", "Anti-inflammatory preparations, non-steroids for topical use"]]),
      ...atc("WHO ATC index", [["M02AA15", "diclofenac (topical)"]]),
    ],
  },
  paracetamol: {
    id: "paracetamol",
    title: "Paracetamol (acetaminophen), alone or in combination",
    codes: [
      ...rx("Deep-KOA references", [
        ["161", "acetaminophen"],
        ["313782", "acetaminophen 325 MG Oral Tablet"],
        ["1049221", "acetaminophen 325 MG / oxycodone hydrochloride 5 MG Oral Tablet"],
      ]),
      ...rx("Synthea sample data", [
        ["209387", "Acetaminophen 325 MG Oral Tablet [Tylenol]"],
        ["313820", "Acetaminophen 160 MG Chewable Tablet"],
        ["856987", "Acetaminophen 300 MG / HYDROcodone Bitartrate 5 MG Oral Tablet"],
        ["1043400", "Acetaminophen 21.7 MG/ML / Dextromethorphan Hydrobromide 1 MG/ML / doxylamine succinate 0.417 MG/ML Oral Solution"],
      ]),
      ...rx("Synthea modules", [
        ["282464", "Acetaminophen 160 MG Oral Tablet"],
        ["198440", "Acetaminophen 500 MG Oral Tablet"],
        ["857005", "Acetaminophen 325 MG / HYDROcodone Bitartrate 7.5 MG Oral Tablet"],
        ["856980", "Acetaminophen / Hydrocodone (Synthea cost table)"],
        ["1049635", "Acetaminophen 325 MG / oxyCODONE Hydrochloride 2.5 MG Oral Tablet"],
      ]),
      ...rx("Issue 12", [["1310197", "Vicodin (hydrocodone bitartrate / acetaminophen) oral tablet"]]),
      ...atc("Deep-KOA references", [["N02BE01", "paracetamol"]]),
      ...atc("WHO ATC index", [
        ["N02AJ06", "codeine and paracetamol"],
        ["N02AJ13", "tramadol and paracetamol"],
        ["N02AJ17", "oxycodone and paracetamol"],
      ]),
    ],
  },
  opioid: {
    id: "opioid",
    title: "Opioids, including tramadol",
    codes: [
      ...rx("Deep-KOA references", [
        ["10689", "tramadol"],
        ["1049221", "acetaminophen 325 MG / oxycodone hydrochloride 5 MG Oral Tablet"],
      ]),
      ...rx("Synthea sample data", [
        ["856987", "Acetaminophen 300 MG / HYDROcodone Bitartrate 5 MG Oral Tablet"],
        ["1860154", "Abuse-Deterrent 12 HR Oxycodone Hydrochloride 15 MG Extended Release Oral Tablet"],
        ["861467", "Meperidine Hydrochloride 50 MG Oral Tablet"],
      ]),
      ...rx("Synthea modules", [
        ["857005", "Acetaminophen 325 MG / HYDROcodone Bitartrate 7.5 MG Oral Tablet"],
        ["856980", "Acetaminophen / Hydrocodone (Synthea cost table)"],
        ["1049635", "Acetaminophen 325 MG / oxyCODONE Hydrochloride 2.5 MG Oral Tablet"],
        ["1049683", "oxyCODONE Hydrochloride 10 MG Oral Tablet"],
        ["864718", "Methadone Hydrochloride 5 MG Oral Tablet"],
        ["1732136", "1 ML Morphine Sulfate 5 MG/ML Injection"],
        ["1735006", "10 ML Fentanyl 0.05 MG/ML Injection"],
      ]),
      ...rx("CPIC drug table", [
        ["7804", "oxycodone"],
        ["7052", "morphine"],
        ["2670", "codeine"],
        ["4337", "fentanyl"],
        ["3423", "hydromorphone"],
        ["6813", "methadone"],
      ]),
      ...rx("Public EHR samples", [["835603", "tramadol hydrochloride 50 MG Oral Tablet"]]),
      ...rx("Issue 12", [["1310197", "Vicodin (hydrocodone bitartrate / acetaminophen) oral tablet"]]),
      ...atc("Deep-KOA references", [["N02A", "Opioids"]]),
    ],
    note: "Anaesthetic opioids (ATC N01AH: alfentanil, remifentanil, sufentanil) are not analgesic prescriptions and are left out.",
  },
  corticosteroid_systemic: {
    id: "corticosteroid_systemic",
    title: "Systemic corticosteroids",
    codes: [
      ...rx("Deep-KOA references", [["312615", "prednisone 20 MG Oral Tablet"]]),
      ...rx("Synthea modules", [["312617", "predniSONE 5 MG Oral Tablet"]]),
      ...rx("Public EHR samples", [["8640", "prednisone"]]),
      ...atc("Deep-KOA references", [["H02AB", "Glucocorticoids (systemic)"]]),
    ],
  },
  intraarticular_injection: {
    id: "intraarticular_injection",
    title: "Intra-articular corticosteroid and hyaluronic acid injections",
    note:
      "Triamcinolone is classed here, as the references class it: in knee OA care it is the intra-articular " +
      "steroid. US hyaluronate products are devices without RxNorm drug codes: EHRs code them " +
      "with HCPCS J7318-J7329, a system these tables do not read yet.",
    codes: [
      ...rx("Deep-KOA references", [["10759", "triamcinolone"]]),
      ...atc("Deep-KOA references", [["M09AX01", "hyaluronic acid"]]),
    ],
  },
  glucosamine_chondroitin: {
    id: "glucosamine_chondroitin",
    title: "Glucosamine and chondroitin",
    codes: [
      ...atc("Deep-KOA references", [["M01AX05", "glucosamine"]]),
      ...atc("WHO ATC index", [["M01AX25", "chondroitin sulfate"]]),
    ],
  },
  duloxetine: {
    id: "duloxetine",
    title: "Duloxetine",
    codes: [
      ...rx("Deep-KOA references", [["72625", "duloxetine"]]),
      ...rx("Synthea modules", [["596926", "duloxetine 20 MG Delayed Release Oral Capsule"]]),
      ...atc("Task brief", [["N06AX21", "duloxetine"]]),
    ],
  },
};
