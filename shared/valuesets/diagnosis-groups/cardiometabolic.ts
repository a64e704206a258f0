/**
 * Cardiometabolic and renal diagnosis groups: obesity, diabetes, hypertension, hyperlipidemia,
 * cardiovascular disease, chronic kidney disease and the paper's metabolic/immunity block.
 * Any change to these codes needs a VALUE_SETS_VERSION bump (shared/valuesets.ts).
 */
import { icd10, icd9, icd9Digits, sct } from "../entries.ts";
import type { DiagnosisGroupId } from "../ids.ts";
import type { ValueSetTable } from "../types.ts";

type CardiometabolicGroupId = Extract<
  DiagnosisGroupId,
  | "obesity"
  | "diabetes"
  | "hypertension"
  | "hyperlipidemia"
  | "cardiovascular"
  | "ckd"
  | "metabolic_immunity"
>;

export const CARDIOMETABOLIC_GROUPS: ValueSetTable<CardiometabolicGroupId> = {
  obesity: {
    id: "obesity",
    title: "Obesity and overweight",
    codes: [
      ...sct("Deep-KOA references", [
        ["162864005", "Body mass index 30+ - obesity"],
        ["408512008", "Body mass index 40+ - severely obese"],
      ]),
      ...sct("Task brief", [["238131007", "Overweight"]]),
      ...sct("Public EHR samples", [["414916001", "Obesity"]]),
      ...icd10("Deep-KOA references", [["E66", "Overweight and obesity"]]),
      ...icd10("Task brief", [["Z68.25-Z68.45", "Body mass index 25.0 or more, adult"]]),
      ...icd9("ICD-9-CM tabular list", [
        ["278.0", "Overweight and obesity"],
        ["V85.2", "Body mass index 25-29, adult"],
        ["V85.3", "Body mass index 30-39, adult"],
        ["V85.4", "Body mass index 40 and over, adult"],
      ]),
    ],
  },
  diabetes: {
    id: "diabetes",
    title: "Type 2 diabetes and prediabetes",
    note: "Diabetic kidney and eye complications are also ckd / eye_adnexa.",
    codes: [
      ...sct("Deep-KOA references", [
        ["44054006", "Diabetes mellitus type 2"],
        ["15777000", "Prediabetes"],
      ]),
      ...sct("Synthea sample data", [
        ["80394007", "Hyperglycemia (disorder)"],
        ["368581000119106", "Neuropathy due to type 2 diabetes mellitus (disorder)"],
        ["127013003", "Disorder of kidney due to diabetes mellitus (disorder)"],
        ["90781000119102", "Microalbuminuria due to type 2 diabetes mellitus (disorder)"],
        ["157141000119108", "Proteinuria due to type 2 diabetes mellitus (disorder)"],
      ]),
      ...sct("Synthea modules", [
        ["422034002", "Retinopathy due to type 2 diabetes mellitus (disorder)"],
        ["1551000119108", "Nonproliferative retinopathy due to type 2 diabetes mellitus (disorder)"],
        ["1501000119109", "Proliferative retinopathy due to type 2 diabetes mellitus (disorder)"],
        ["97331000119101", "Macular edema and retinopathy due to type 2 diabetes mellitus (disorder)"],
        ["60951000119105", "Blindness due to type 2 diabetes mellitus (disorder)"],
      ]),
      ...sct("OpenCodelists-derived code list", [
        ["313436004", "Type II diabetes mellitus without complication"],
        ["190388001", "Type II diabetes mellitus with multiple complications"],
        ["237599002", "Insulin-treated non-insulin-dependent diabetes mellitus"],
        ["443694000", "Type II diabetes mellitus uncontrolled"],
        ["444110003", "Type II diabetes mellitus well controlled"],
        ["1481000119100", "Diabetes mellitus type 2 without retinopathy"],
        ["81531005", "Diabetes mellitus type 2 in obese"],
        ["359642000", "Diabetes mellitus type 2 in nonobese"],
        ["199230006", "Pre-existing type 2 diabetes mellitus"],
        ["771000119108", "Chronic kidney disease due to type 2 diabetes mellitus"],
        ["751000119104", "Chronic kidney disease stage 1 due to type II diabetes mellitus"],
        ["741000119101", "Chronic kidney disease stage 2 due to type II diabetes mellitus"],
        ["731000119105", "Chronic kidney disease stage 3 due to type II diabetes mellitus"],
        ["721000119107", "Chronic kidney disease stage 4 due to type II diabetes mellitus"],
        ["711000119100", "Chronic kidney disease stage 5 due to type II diabetes mellitus"],
        ["420756003", "Cataract of eye due to diabetes mellitus type 2"],
      ]),
      ...icd10("Deep-KOA references", [
        ["E11", "Type 2 diabetes mellitus"],
        ["R73.03", "Prediabetes"],
      ]),
      ...icd10("ICD-10-CM tabular list", [
        ["R73.01", "Impaired fasting glucose"],
        ["R73.02", "Impaired glucose tolerance (oral)"],
      ]),
      ...icd9("ICD-9-CM tabular list", [
        ...icd9Digits(["250.0", "250.1", "250.2", "250.3", "250.4", "250.5", "250.6", "250.7", "250.8", "250.9"], [0, 2], "Diabetes mellitus, type II or unspecified type"),
        ["790.2", "Abnormal glucose (includes prediabetes 790.29)"],
      ]),
    ],
  },
  hypertension: {
    id: "hypertension",
    title: "Hypertension",
    note: "Pregnancy-induced hypertension is left out; hypertensive kidney disease is also ckd.",
    codes: [
      ...sct("Deep-KOA references", [
        ["59621000", "Essential hypertension"],
        ["38341003", "Hypertensive disorder"],
      ]),
      ...sct("OpenCodelists-derived code list", [
        ["1201005", "Benign essential hypertension"],
        ["10725009", "Benign hypertension"],
        ["78975002", "Malignant essential hypertension"],
        ["70272006", "Malignant hypertension"],
        ["31992008", "Secondary hypertension"],
        ["56218007", "Systolic hypertension"],
        ["48146000", "Diastolic hypertension"],
        ["371125006", "Labile essential hypertension"],
        ["123799005", "Renovascular hypertension"],
        ["64715009", "Hypertensive heart disease"],
        ["38481006", "Hypertensive renal disease"],
        ["86234004", "Hypertensive heart AND renal disease"],
        ["104931000119100", "Chronic kidney disease due to hypertension"],
        ["706882009", "Hypertensive crisis"],
        ["132721000119104", "Hypertensive emergency"],
      ]),
      ...icd10("Deep-KOA references", [["I10", "Essential (primary) hypertension"]]),
      ...icd10("ICD-10-CM tabular list", [
        ["I11-I13", "Hypertensive heart disease; hypertensive chronic kidney disease; both"],
        ["I15-I16", "Secondary hypertension; hypertensive crisis"],
      ]),
      ...icd9("ICD-9-CM tabular list", [["401-405", "Hypertensive disease"]]),
    ],
  },
  hyperlipidemia: {
    id: "hyperlipidemia",
    title: "Hyperlipidemia",
    note: "Also metabolic_immunity (ICD-9-CM 272 is in block 270-279).",
    codes: [
      ...sct("Task brief", [
        ["55822004", "Hyperlipidemia"],
        ["13644009", "Hypercholesterolemia"],
      ]),
      ...sct("Synthea sample data", [["302870006", "Hypertriglyceridemia (disorder)"]]),
      ...icd10("Task brief", [["E78", "Disorders of lipoprotein metabolism and other lipidemias"]]),
      ...icd9("ICD-9-CM tabular list", [
        ["272.0", "Pure hypercholesterolemia"],
        ["272.1", "Pure hyperglyceridemia"],
        ["272.2", "Mixed hyperlipidemia"],
        ["272.3", "Hyperchylomicronemia"],
        ["272.4", "Other and unspecified hyperlipidemia"],
      ]),
    ],
  },
  cardiovascular: {
    id: "cardiovascular",
    title: "Cardiovascular disease: coronary, atrial fibrillation, heart failure, stroke",
    codes: [
      ...sct("Task brief", [
        ["53741008", "Coronary arteriosclerosis"],
        ["22298006", "Myocardial infarction"],
        ["49436004", "Atrial fibrillation"],
        ["88805009", "Chronic congestive heart failure"],
        ["230690007", "Cerebrovascular accident"],
      ]),
      ...sct("Synthea sample data", [
        ["414545008", "Ischemic heart disease (disorder)"],
        ["399261000", "History of coronary artery bypass grafting (situation)"],
        ["410429000", "Cardiac Arrest"],
        ["429007001", "History of cardiac arrest (situation)"],
        ["95281009", "Sudden Cardiac Death"],
      ]),
      ...sct("OpenCodelists-derived code list", [
        ["57054005", "Acute myocardial infarction"],
        ["401303003", "Acute ST segment elevation myocardial infarction"],
        ["399211009", "History of myocardial infarction"],
        ["194828000", "Angina"],
        ["413838009", "Chronic ischemic heart disease"],
        ["443502000", "Atherosclerosis of coronary artery"],
        ["371803003", "Multi vessel coronary artery disease"],
        ["84114007", "Heart failure"],
        ["42343007", "Congestive heart failure"],
        ["56675007", "Acute heart failure"],
        ["10633002", "Acute congestive heart failure"],
        ["85232009", "Left heart failure"],
        ["446221000", "Heart failure with normal ejection fraction"],
        ["432504007", "Cerebral infarction"],
        ["230691006", "Cerebrovascular accident due to occlusion of cerebral artery"],
        ["373606000", "Occlusive stroke"],
        ["275526006", "History of cerebrovascular accident"],
      ]),
      ...sct("OpenCodelists-derived code list", [["401314000", "Acute non-ST segment elevation myocardial infarction"]]),
      ...icd10("Task brief", [
        ["I20-I25", "Ischemic heart diseases"],
        ["I48", "Atrial fibrillation and flutter"],
        ["I50", "Heart failure"],
        ["I63", "Cerebral infarction"],
      ]),
      ...icd9("ICD-9-CM tabular list", [
        ["410-414", "Ischemic heart disease"],
        ["427.3", "Atrial fibrillation and flutter"],
        ["428", "Heart failure"],
        ["433-434", "Occlusion of precerebral and cerebral arteries"],
      ]),
    ],
  },
  ckd: {
    id: "ckd",
    title: "Chronic kidney disease",
    codes: [
      ...sct("Synthea sample data", [
        ["431855005", "Chronic kidney disease stage 1 (disorder)"],
        ["431856006", "Chronic kidney disease stage 2 (disorder)"],
        ["433144002", "Chronic kidney disease stage 3 (disorder)"],
        ["431857002", "Chronic kidney disease stage 4 (disorder)"],
        ["46177005", "End-stage renal disease (disorder)"],
        ["127013003", "Disorder of kidney due to diabetes mellitus (disorder)"],
        ["90781000119102", "Microalbuminuria due to type 2 diabetes mellitus (disorder)"],
        ["157141000119108", "Proteinuria due to type 2 diabetes mellitus (disorder)"],
        ["161665007", "History of renal transplant (situation)"],
        ["698306007", "Awaiting transplantation of kidney (situation)"],
      ]),
      ...sct("OpenCodelists-derived code list", [
        ["709044004", "Chronic renal disease"],
        ["433146000", "Chronic kidney disease stage 5"],
        ["700378005", "Chronic kidney disease stage 3A"],
        ["700379002", "Chronic kidney disease stage 3B"],
        ["714152005", "Chronic kidney disease stage 5 on dialysis"],
        ["771000119108", "Chronic kidney disease due to type 2 diabetes mellitus"],
        ["751000119104", "Chronic kidney disease stage 1 due to type II diabetes mellitus"],
        ["741000119101", "Chronic kidney disease stage 2 due to type II diabetes mellitus"],
        ["731000119105", "Chronic kidney disease stage 3 due to type II diabetes mellitus"],
        ["721000119107", "Chronic kidney disease stage 4 due to type II diabetes mellitus"],
        ["711000119100", "Chronic kidney disease stage 5 due to type II diabetes mellitus"],
        ["104931000119100", "Chronic kidney disease due to hypertension"],
        ["38481006", "Hypertensive renal disease"],
        ["86234004", "Hypertensive heart AND renal disease"],
      ]),
      ...icd10("ICD-10-CM tabular list", [
        ["N18", "Chronic kidney disease"],
        ["I12-I13", "Hypertensive chronic kidney disease; hypertensive heart and chronic kidney disease"],
        ["E11.2", "Type 2 diabetes mellitus with kidney complications"],
        ["Z99.2", "Dependence on renal dialysis"],
        ["Z94.0", "Kidney transplant status"],
      ]),
      ...icd9("ICD-9-CM tabular list", [
        ["585", "Chronic kidney disease"],
        ["403-404", "Hypertensive chronic kidney disease; hypertensive heart and chronic kidney disease"],
        ["250.40", "Diabetes with renal manifestations, type II"],
        ["250.42", "Diabetes with renal manifestations, type II, uncontrolled"],
      ]),
    ],
  },
  metabolic_immunity: {
    id: "metabolic_immunity",
    title: "Other metabolic and immunity disorders (ICD-9-CM 270-279)",
    note:
      "The paper's block. ICD-10-CM equivalents: E65-E68 (278), E70-E88 (270-277), D80-D89 (279), " +
      "M10 and M1A (274 gout). SNOMED CT disorders whose ICD-9-CM code falls in 270-279 are listed " +
      "too; BMI findings (ICD-9-CM V85) are obesity only.",
    codes: [
      ...sct("Synthea sample data", [
        ["237602007", "Metabolic syndrome X (disorder)"],
        ["302870006", "Hypertriglyceridemia (disorder)"],
      ]),
      ...sct("Task brief", [
        ["55822004", "Hyperlipidemia"],
        ["13644009", "Hypercholesterolemia"],
        ["238131007", "Overweight"],
      ]),
      ...sct("Deep-KOA references", [["90560007", "Gout"]]),
      ...sct("OpenCodelists-derived code list", [["24595009", "Primary gout"]]),
      ...sct("Public EHR samples", [["414916001", "Obesity"]]),
      ...icd10("Task brief", [
        ["E70-E88", "Metabolic disorders"],
        ["D80-D89", "Certain disorders involving the immune mechanism"],
      ]),
      ...icd10("ICD-10-CM tabular list", [
        ["E65-E68", "Overweight, obesity and other hyperalimentation"],
        ["M10", "Gout"],
        ["M1A", "Chronic gout"],
      ]),
      ...icd9("ICD-9-CM tabular list", [["270-279", "Other metabolic and immunity disorders"]]),
    ],
  },
};
