/**
 * Cardiometabolic medication classes: antidiabetics, antihypertensives, lipid-lowering drugs.
 * Any change to these codes needs a VALUE_SETS_VERSION bump (shared/valuesets.ts).
 */
import { atc, rx } from "../entries.ts";
import type { MedicationClassId } from "../ids.ts";
import type { ValueSetTable } from "../types.ts";

type CardiometabolicClassId = Extract<MedicationClassId, "antidiabetic" | "antihypertensive" | "lipid_lowering">;

export const CARDIOMETABOLIC_CLASSES: ValueSetTable<CardiometabolicClassId> = {
  antidiabetic: {
    id: "antidiabetic",
    title: "Drugs used in diabetes (ATC A10)",
    codes: [
      ...rx("Synthea sample data", [
        ["860975", "24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet"],
        ["106892", "insulin isophane, human 70 UNT/ML / insulin, regular, human 30 UNT/ML Injectable Suspension [Humulin]"],
      ]),
      ...rx("Synthea modules", [
        ["865098", "Insulin Lispro 100 UNT/ML Injectable Solution [Humalog]"],
        ["897122", "3 ML liraglutide 6 MG/ML Pen Injector"],
        ["1373463", "canagliflozin 100 MG Oral Tablet"],
      ]),
      ...rx("CPIC drug table", [
        ["6809", "metformin"],
        ["4821", "glipizide"],
        ["4815", "glyburide (glibenclamide)"],
        ["25789", "glimepiride"],
      ]),
      ...atc("Task brief", [["A10", "Drugs used in diabetes"]]),
    ],
  },
  antihypertensive: {
    id: "antihypertensive",
    title: "Antihypertensives (ATC C02, C03, C07, C08, C09)",
    codes: [
      ...rx("Synthea sample data", [
        ["310798", "Hydrochlorothiazide 25 MG Oral Tablet"],
        ["429503", "Hydrochlorothiazide 12.5 MG"],
        ["314076", "lisinopril 10 MG Oral Tablet"],
        ["197361", "Amlodipine 5 MG Oral Tablet"],
        ["999967", "amLODIPine 5 MG / Hydrochlorothiazide 12.5 MG / Olmesartan medoxomil 20 MG Oral Tablet"],
        ["746030", "Atenolol 50 MG / Chlorthalidone 25 MG Oral Tablet"],
        ["897718", "Verapamil Hydrochloride 40 MG"],
        ["866412", "24 HR metoprolol succinate 100 MG Extended Release Oral Tablet"],
      ]),
      ...rx("Synthea modules", [
        ["3827", "enalapril"],
        ["214354", "candesartan"],
        ["1091643", "azilsartan"],
        ["17767", "amlodipine"],
        ["5487", "hydrochlorothiazide"],
        ["49276", "doxazosin"],
        ["372553", "Labetalol Oral Tablet"],
        ["308136", "amLODIPine 2.5 MG Oral Tablet"],
        ["833036", "Captopril 25 MG Oral Tablet"],
        ["979485", "Losartan Potassium 25 MG Oral Tablet"],
        ["313988", "Furosemide 40 MG Oral Tablet"],
        ["1719286", "10 ML Furosemide 10 MG/ML Injection"],
        ["866414", "24 HR metoprolol succinate 100 MG Extended Release Oral Tablet [Toprol]"],
      ]),
      ...rx("VSAC eCQM value set", [
        ["29046", "lisinopril"],
        ["35296", "ramipril"],
        ["18867", "benazepril"],
        ["52175", "losartan"],
        ["69749", "valsartan"],
        ["83818", "irbesartan"],
        ["73494", "telmisartan"],
        ["1202", "atenolol"],
        ["19484", "bisoprolol"],
      ]),
      ...rx("CPIC drug table", [
        ["6918", "metoprolol"],
        ["20352", "carvedilol"],
        ["8787", "propranolol"],
        ["4603", "furosemide"],
        ["9997", "spironolactone"],
        ["5470", "hydralazine"],
      ]),
      ...rx("Simple protocol drugs", [["316049", "hydrochlorothiazide 25 MG"]]),
      ...atc("Task brief", [
        ["C02", "Antihypertensives"],
        ["C03", "Diuretics"],
        ["C07", "Beta blocking agents"],
        ["C08", "Calcium channel blockers"],
        ["C09", "Agents acting on the renin-angiotensin system"],
      ]),
    ],
  },
  lipid_lowering: {
    id: "lipid_lowering",
    title: "Lipid modifying agents (ATC C10)",
    codes: [
      ...rx("Synthea sample data", [
        ["314231", "Simvastatin 10 MG Oral Tablet"],
        ["312961", "Simvastatin 20 MG Oral Tablet"],
      ]),
      ...rx("Synthea modules", [
        ["312962", "simvastatin 5 MG Oral Tablet"],
        ["198211", "simvastatin 40 MG Oral Tablet"],
        ["200345", "simvastatin 80 MG Oral Tablet"],
        ["617312", "atorvastatin 10 MG Oral Tablet"],
        ["617314", "atorvastatin 10 MG Oral Tablet [Lipitor]"],
        ["617310", "atorvastatin 20 MG Oral Tablet"],
        ["617311", "atorvastatin 40 MG Oral Tablet"],
        ["617320", "atorvastatin 40 MG Oral Tablet [Lipitor]"],
        ["259255", "atorvastatin 80 MG Oral Tablet"],
        ["476349", "ezetimibe 10 MG / simvastatin 20 MG Oral Tablet"],
        ["476350", "ezetimibe 10 MG / simvastatin 40 MG Oral Tablet"],
        ["1245441", "ezetimibe 10 MG / simvastatin 40 MG Oral Tablet [Vytorin]"],
        ["476351", "ezetimibe 10 MG / simvastatin 80 MG Oral Tablet"],
        ["197903", "lovastatin 10 MG Oral Tablet"],
        ["197904", "lovastatin 20 MG Oral Tablet"],
        ["197905", "lovastatin 40 MG Oral Tablet"],
        ["861646", "pitavastatin calcium 1 MG Oral Tablet [Livalo]"],
        ["861650", "pitavastatin calcium 2 MG Oral Tablet [Livalo]"],
        ["861654", "pitavastatin calcium 4 MG Oral Tablet [Livalo]"],
        ["904458", "pravastatin sodium 10 MG Oral Tablet"],
        ["904467", "pravastatin sodium 20 MG Oral Tablet"],
        ["904475", "pravastatin sodium 40 MG Oral Tablet"],
        ["904477", "pravastatin sodium 40 MG Oral Tablet [Pravachol]"],
        ["904481", "pravastatin sodium 80 MG Oral Tablet"],
        ["859424", "rosuvastatin calcium 5 MG Oral Tablet"],
        ["859426", "rosuvastatin calcium 5 MG Oral Tablet [Crestor]"],
        ["859747", "rosuvastatin calcium 10 MG Oral Tablet"],
        ["859749", "rosuvastatin calcium 10 MG Oral Tablet [Crestor]"],
        ["859751", "rosuvastatin calcium 20 MG Oral Tablet"],
        ["859753", "rosuvastatin calcium 20 MG Oral Tablet [Crestor]"],
        ["859419", "rosuvastatin calcium 40 MG Oral Tablet"],
        ["859421", "rosuvastatin calcium 40 MG Oral Tablet [Crestor]"],
      ]),
      ...rx("CPIC drug table", [
        ["83367", "atorvastatin"],
        ["36567", "simvastatin"],
        ["301542", "rosuvastatin"],
        ["42463", "pravastatin"],
      ]),
      ...rx("VSAC eCQM value set", [["6472", "lovastatin"]]),
      ...rx("RxNav interaction response", [["316672", "simvastatin 10 MG"]]),
      ...atc("Task brief", [["C10", "Lipid modifying agents"]]),
    ],
  },
};
