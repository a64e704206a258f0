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
      ...rx("REFERENCE.md", [
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
      ...rx("Recalled, unverified", [
        ["41493", "meloxicam"],
        ["5781", "indomethacin"],
        ["35827", "ketorolac"],
        ["24605", "etodolac"],
        ["31448", "nabumetone"],
        ["8356", "piroxicam"],
        ["10237", "sulindac"],
        ["197806", "ibuprofen 600 MG Oral Tablet"],
        ["197807", "ibuprofen 800 MG Oral Tablet"],
        ["205323", "celecoxib 200 MG Oral Capsule"],
      ]),
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
      "REFERENCE.md's M01A is taken by its NSAID subgroups: M01AX also holds glucosamine (M01AX05) " +
      "and chondroitin (M01AX25), which are their own class.",
  },
  nsaid_topical: {
    id: "nsaid_topical",
    title: "Topical NSAIDs",
    note: "RxNorm products of topical diclofenac could not be verified offline; EHRs sending ATC M02AA match.",
    codes: [
      ...atc("REFERENCE.md", [["M02AA", "Anti-inflammatory preparations, non-steroids for topical use"]]),
    ],
  },
  paracetamol: {
    id: "paracetamol",
    title: "Paracetamol (acetaminophen), alone or in combination",
    codes: [
      ...rx("REFERENCE.md", [
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
      ...atc("REFERENCE.md", [["N02BE01", "paracetamol"]]),
      ...atc("Recalled, unverified", [
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
      ...rx("REFERENCE.md", [
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
      ...rx("Recalled, unverified", [
        ["7804", "oxycodone"],
        ["5489", "hydrocodone"],
        ["7052", "morphine"],
        ["2670", "codeine"],
        ["4337", "fentanyl"],
        ["3423", "hydromorphone"],
        ["6813", "methadone"],
        ["787390", "tapentadol"],
        ["835603", "tramadol hydrochloride 50 MG Oral Tablet"],
      ]),
      ...atc("REFERENCE.md", [["N02A", "Opioids"]]),
    ],
    note: "Anaesthetic opioids (ATC N01AH: alfentanil, remifentanil, sufentanil) are not analgesic prescriptions and are left out.",
  },
  corticosteroid_systemic: {
    id: "corticosteroid_systemic",
    title: "Systemic corticosteroids",
    codes: [
      ...rx("REFERENCE.md", [["312615", "prednisone 20 MG Oral Tablet"]]),
      ...rx("Synthea modules", [["312617", "predniSONE 5 MG Oral Tablet"]]),
      ...rx("Recalled, unverified", [
        ["8640", "prednisone"],
        ["8638", "prednisolone"],
        ["6902", "methylprednisolone"],
      ]),
      ...atc("REFERENCE.md", [["H02AB", "Glucocorticoids (systemic)"]]),
    ],
  },
  intraarticular_injection: {
    id: "intraarticular_injection",
    title: "Intra-articular corticosteroid and hyaluronic acid injections",
    note:
      "Triamcinolone is classed here (REFERENCE.md): in knee OA care it is the intra-articular " +
      "steroid. US hyaluronate products are devices without RxNorm drug codes: EHRs code them " +
      "with HCPCS J7318-J7329, a system these tables do not read yet.",
    codes: [
      ...rx("REFERENCE.md", [["10759", "triamcinolone"]]),
      ...rx("Recalled, unverified", [["2480108", "1 ML triamcinolone acetonide 40 MG/ML Injection [Kenalog]"]]),
      ...atc("REFERENCE.md", [["M09AX01", "hyaluronic acid"]]),
    ],
  },
  glucosamine_chondroitin: {
    id: "glucosamine_chondroitin",
    title: "Glucosamine and chondroitin",
    codes: [
      ...rx("Recalled, unverified", [["4845", "glucosamine"]]),
      ...atc("REFERENCE.md", [["M01AX05", "glucosamine"]]),
      ...atc("Recalled, unverified", [["M01AX25", "chondroitin sulfate"]]),
    ],
  },
  duloxetine: {
    id: "duloxetine",
    title: "Duloxetine",
    codes: [
      ...rx("REFERENCE.md", [["72625", "duloxetine"]]),
      ...rx("Synthea modules", [["596926", "duloxetine 20 MG Delayed Release Oral Capsule"]]),
      ...atc("Task brief", [["N06AX21", "duloxetine"]]),
    ],
  },
};
