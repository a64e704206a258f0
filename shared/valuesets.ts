/**
 * Patella value sets: the codes that put a FHIR coding into a Deep-KOA diagnosis group or
 * medication class, and the codes of the outcome (knee osteoarthritis).
 *
 * One module, versioned: VALUE_SETS_VERSION changes whenever any table below changes, and the
 * feature-spec version (shared/features/spec.ts) includes it, so a model trained on one
 * version of these tables is never fed features built with another.
 *
 * Matching rules (matchDiagnosis / matchMedication):
 * - by system + code, over every coding of a CodeableConcept; a concept may fall in several
 *   groups; ids come back deduplicated, in channel order;
 * - ICD-10-CM and ICD-9-CM codes compare case-insensitively with or without the dot, and every
 *   ICD entry is a prefix rule (M17 matches M17.11, S83.5 matches S83.511A): an ICD code's
 *   extra characters only make it more specific;
 * - ATC entries are prefix rules too (M01A matches M01AE01);
 * - SNOMED CT, RxNorm and LOINC codes are exact;
 * - codings with an unknown system or code come back in `unmapped`, never as an error.
 * The lookup maps are built once at module load and stay private; a coding costs one Map lookup
 * (exact systems) or one per possible prefix length (at most 5 for ICD-10-CM).
 *
 * Where the codes come from (`source` of each entry, see CodeSource): REFERENCE.md; the lead's
 * task brief; the Synthea sample data in ../shared/data (code and display as emitted); the
 * Synthea module and cost files (synthetichealth/synthea, src/main/resources/modules and
 * costs/medications.csv, which lists the RxNorm codes Synthea emits); curated SNOMED CT
 * code lists derived from OpenCodelists (UoM-Data-Science-Platforms/gm-sde,
 * shared/clinical-code-sets); the ICD-10-CM / ICD-9-CM tabular lists and the WHO ATC index for
 * category structure. Entries marked "Recalled, unverified" are standard codes written from
 * knowledge without an offline source to check them against: verify them in a terminology
 * browser before relying on them.
 *
 * Known gaps: SNOMED CT descendants of the listed concepts (e.g. the US-extension laterality
 * variants of knee OA) and RxNorm products not listed here are reported as unmapped; an is-a /
 * ingredient expansion from a terminology server is the way to close that, not more typing.
 */
import type { CodeableConcept, Coding } from "fhir/r4";

// Bump on ANY change to the tables or the matching rules (the feature-spec version embeds it).
export const VALUE_SETS_VERSION = "2026.11.1";

export const SYSTEM = {
  snomed: "http://snomed.info/sct",
  icd10cm: "http://hl7.org/fhir/sid/icd-10-cm",
  icd9cm: "http://hl7.org/fhir/sid/icd-9-cm",
  rxnorm: "http://www.nlm.nih.gov/research/umls/rxnorm",
  atc: "http://www.whocc.no/atc",
  loinc: "http://loinc.org",
} as const;
export type CodeSystemKey = keyof typeof SYSTEM;

/**
 * Other spellings of the same code systems that EHRs send: the HL7 OIDs as URNs, and WHO
 * ICD-10, whose categories (the level these tables use) are those of ICD-10-CM.
 */
const SYSTEM_ALIASES: Readonly<Record<string, CodeSystemKey>> = {
  "urn:oid:2.16.840.1.113883.6.96": "snomed",
  "urn:oid:2.16.840.1.113883.6.90": "icd10cm",
  "http://hl7.org/fhir/sid/icd-10": "icd10cm",
  "urn:oid:2.16.840.1.113883.6.103": "icd9cm",
  "urn:oid:2.16.840.1.113883.6.88": "rxnorm",
  "urn:oid:2.16.840.1.113883.6.73": "atc",
  "urn:oid:2.16.840.1.113883.6.1": "loinc",
};

/** Observation codes the feature builder reads (LOINC). */
export const OBSERVATION_LOINC = { bmi: "39156-5", bodyWeight: "29463-7", bodyHeight: "8302-2" } as const;

/** Diagnosis groups, in channel order. Never reorder: append, and bump the version. */
export const DIAGNOSIS_GROUP_IDS = [
  "obesity",
  "knee_injury",
  "knee_pain",
  "hip_oa",
  "hand_other_oa",
  "inflammatory_arthritis",
  "gout",
  "diabetes",
  "hypertension",
  "hyperlipidemia",
  "cardiovascular",
  "ckd",
  "depression_anxiety",
  "osteoporosis",
  "back_pain",
  "eye_adnexa",
  "acute_respiratory_infection",
  "metabolic_immunity",
] as const;
export type DiagnosisGroupId = (typeof DIAGNOSIS_GROUP_IDS)[number];

/** Medication classes, in channel order. Never reorder: append, and bump the version. */
export const MEDICATION_CLASS_IDS = [
  "nsaid_oral",
  "nsaid_topical",
  "paracetamol",
  "opioid",
  "corticosteroid_systemic",
  "intraarticular_injection",
  "glucosamine_chondroitin",
  "duloxetine",
  "antidiabetic",
  "antihypertensive",
  "lipid_lowering",
  "dmard",
  "urate_lowering",
] as const;
export type MedicationClassId = (typeof MEDICATION_CLASS_IDS)[number];

// ---------------------------------------------------------------------------------------------
// Table types

/** Where a code was taken from, so a reviewer can check it (see the module comment). */
export type CodeSource =
  | "REFERENCE.md"
  | "Task brief"
  | "Synthea sample data"
  | "Synthea modules"
  | "OpenCodelists-derived code list"
  | "ICD-10-CM tabular list"
  | "ICD-9-CM tabular list"
  | "WHO ATC index"
  | "Recalled, unverified";

/**
 * How an entry's code matches a coding:
 * - "exact": the code itself (SNOMED CT, RxNorm);
 * - "prefix": the code and every code that starts with it (ICD, ATC), e.g. "M17";
 * - "range": every code that starts with a category in an inclusive range of same-length
 *   categories (ICD), e.g. "H00-H59" or "Z68.25-Z68.45".
 */
export type MatchKind = "exact" | "prefix" | "range";

export interface ValueSetEntry {
  readonly system: CodeSystemKey;
  /** As printed in the source, with the dot for ICD codes. */
  readonly code: string;
  readonly match: MatchKind;
  readonly display: string;
  readonly source: CodeSource;
}

export interface ValueSet<Id extends string> {
  readonly id: Id;
  readonly title: string;
  /** Why the set is drawn the way it is, where that is not obvious. */
  readonly note?: string;
  readonly codes: readonly ValueSetEntry[];
}

// Systems whose entries are prefix rules (ICD categories, ATC groups).
const PREFIX_SYSTEMS: ReadonlySet<CodeSystemKey> = new Set(["icd10cm", "icd9cm", "atc"]);

type Row = readonly [code: string, display: string];

/** Entries of one system and one source; the match kind follows from the system and code. */
function rows(system: CodeSystemKey, source: CodeSource, list: readonly Row[]): ValueSetEntry[] {
  return list.map(([code, display]) => {
    const match: MatchKind = !PREFIX_SYSTEMS.has(system) ? "exact" : code.includes("-") ? "range" : "prefix";
    return { system, code, match, display, source };
  });
}
const sct = (source: CodeSource, list: readonly Row[]) => rows("snomed", source, list);
const icd10 = (source: CodeSource, list: readonly Row[]) => rows("icd10cm", source, list);
const icd9 = (source: CodeSource, list: readonly Row[]) => rows("icd9cm", source, list);
const rx = (source: CodeSource, list: readonly Row[]) => rows("rxnorm", source, list);
const atc = (source: CodeSource, list: readonly Row[]) => rows("atc", source, list);

/**
 * ICD-9-CM codes of one category for the given fifth digits, e.g. the sites of 715.1 or the
 * type-2 fifth digits of 250.x: ICD-9-CM puts these distinctions in the last digit, so a
 * category prefix alone would take in codes that belong elsewhere.
 */
function icd9Digits(categories: readonly string[], digits: readonly number[], display: string): Row[] {
  return categories.flatMap((category) => digits.map((d): Row => [`${category}${d}`, display]));
}

// ---------------------------------------------------------------------------------------------
// The outcome

/** ICD-9-CM 715 subcategories whose fifth digit is the site (0 site unspecified ... 9 multiple). */
const OA_715_SITED = ["715.1", "715.2", "715.3", "715.9"] as const;

export const KNEE_OA: ValueSet<"knee_oa"> = {
  id: "knee_oa",
  title: "Osteoarthritis of knee (the outcome, not a channel)",
  note:
    "No knee OA code is in any diagnosis group, so the outcome never feeds a channel. ICD-9-CM " +
    "715.06 and 715.86 are listed because REFERENCE.md names 715.x6, but the tabular list only " +
    "allows fifth digits 0/4/9 (715.0) and 0/9 (715.8): real data will not carry them.",
  codes: [
    ...sct("REFERENCE.md", [["239873007", "Osteoarthritis of knee"]]),
    ...sct("OpenCodelists-derived code list", [
      ["450521003", "Osteoarthritis of patellofemoral joint"],
      ["201893003", "Osteoarthritis NOS: [lower leg] or [knee]"],
    ]),
    ...icd10("REFERENCE.md", [["M17", "Osteoarthritis of knee (M17.0-M17.9)"]]),
    ...icd9("REFERENCE.md", [
      ...icd9Digits(OA_715_SITED, [6], "Osteoarthrosis, localized or unspecified, lower leg"),
      ["715.06", "Osteoarthrosis, generalized, lower leg (not a valid tabular-list code)"],
      ["715.86", "Osteoarthrosis, more than one site, lower leg (not a valid tabular-list code)"],
    ]),
  ],
};

// ---------------------------------------------------------------------------------------------
// Diagnosis groups

/**
 * The paper's general groups are ICD-9-CM blocks; their ICD-10-CM equivalents are taken by the
 * block each ICD-9-CM category maps to. For "other metabolic and immunity disorders" (ICD-9-CM
 * 270-279) that means E65-E68 (278 obesity), E70-E88 (270-277, 272 lipids included), D80-D89
 * (279 immunity) and M10/M1A (274 gout): obesity, lipid and gout codes therefore light their own
 * channel AND metabolic_immunity, on purpose, as they did in the paper's block.
 */
export const DIAGNOSIS_GROUPS: { readonly [Id in DiagnosisGroupId]: ValueSet<Id> } = {
  obesity: {
    id: "obesity",
    title: "Obesity and overweight",
    codes: [
      ...sct("REFERENCE.md", [
        ["162864005", "Body mass index 30+ - obesity"],
        ["408512008", "Body mass index 40+ - severely obese"],
      ]),
      ...sct("Task brief", [["238131007", "Overweight"]]),
      ...sct("Recalled, unverified", [
        ["414916001", "Obesity"],
        ["238136002", "Morbid obesity"],
      ]),
      ...icd10("REFERENCE.md", [["E66", "Overweight and obesity"]]),
      ...icd10("Task brief", [["Z68.25-Z68.45", "Body mass index 25.0 or more, adult"]]),
      ...icd9("ICD-9-CM tabular list", [
        ["278.0", "Overweight and obesity"],
        ["V85.2", "Body mass index 25-29, adult"],
        ["V85.3", "Body mass index 30-39, adult"],
        ["V85.4", "Body mass index 40 and over, adult"],
      ]),
    ],
  },
  knee_injury: {
    id: "knee_injury",
    title: "Knee injury: cruciate and collateral ligaments, meniscus, patella and patellar tendon",
    codes: [
      ...sct("REFERENCE.md", [
        ["444470001", "Injury of anterior cruciate ligament"],
        ["444448004", "Injury of medial collateral ligament of knee"],
        ["239720000", "Tear of meniscus of knee"],
        ["30832001", "Rupture of patellar tendon"],
      ]),
      ...icd10("REFERENCE.md", [
        ["S83.2", "Tear of meniscus, current injury"],
        ["S83.5", "Sprain of cruciate ligament of knee"],
        ["M23.2", "Derangement of meniscus due to old tear or injury"],
      ]),
      ...icd10("ICD-10-CM tabular list", [
        ["S83.0", "Subluxation and dislocation of patella"],
        ["S83.1", "Subluxation and dislocation of knee"],
        ["S83.3", "Tear of articular cartilage of knee, current"],
        ["S83.4", "Sprain of collateral ligament of knee"],
        ["S83.6", "Sprain of the superior tibiofibular joint and ligament"],
        ["S83.8", "Sprain of other specified parts of knee"],
        ["S83.9", "Sprain of unspecified site of knee"],
        ["S82.0", "Fracture of patella"],
        ["S82.1", "Fracture of upper end of tibia"],
        ["S72.4", "Fracture of lower end of femur"],
        ["S76.1", "Injury of quadriceps muscle, fascia and tendon (includes patellar tendon)"],
        ["M23.5", "Chronic instability of knee"],
        ["M23.6", "Other spontaneous disruption of ligament(s) of knee"],
      ]),
      ...icd9("ICD-9-CM tabular list", [
        ["836", "Dislocation of knee (includes current meniscus tears)"],
        ["844.0", "Sprain of lateral collateral ligament of knee"],
        ["844.1", "Sprain of medial collateral ligament of knee"],
        ["844.2", "Sprain of cruciate ligament of knee"],
        ["822", "Fracture of patella"],
        ["717.0", "Old bucket handle tear of medial meniscus"],
        ["717.1", "Derangement of anterior horn of medial meniscus"],
        ["717.2", "Derangement of posterior horn of medial meniscus"],
        ["717.3", "Other and unspecified derangement of medial meniscus"],
        ["717.4", "Derangement of lateral meniscus"],
        ["717.5", "Derangement of meniscus, not elsewhere classified"],
        ["717.8", "Other internal derangement of knee (old ligament disruption)"],
      ]),
    ],
  },
  knee_pain: {
    id: "knee_pain",
    title: "Knee pain and other knee disorders",
    note: "Internal derangement (M23, ICD-9-CM 717) is a knee disorder; its old-injury codes are also knee_injury.",
    codes: [
      ...sct("Task brief", [["30989003", "Knee pain"]]),
      ...icd10("REFERENCE.md", [["M25.56", "Pain in knee"]]),
      ...icd10("ICD-10-CM tabular list", [
        ["M23", "Internal derangement of knee"],
        ["M22", "Disorder of patella"],
        ["M25.36", "Other instability, knee"],
        ["M25.46", "Effusion, knee"],
        ["M25.66", "Stiffness of knee, not elsewhere classified"],
        ["M70.4", "Prepatellar bursitis"],
        ["M71.2", "Synovial cyst of popliteal space [Baker]"],
        ["M76.5", "Patellar tendinitis"],
      ]),
      ...icd9("ICD-9-CM tabular list", [
        ["719.46", "Pain in joint, lower leg"],
        ["719.06", "Effusion of joint, lower leg"],
        ["717", "Internal derangement of knee"],
        ["727.51", "Synovial cyst of popliteal space"],
      ]),
    ],
  },
  hip_oa: {
    id: "hip_oa",
    title: "Osteoarthritis of hip",
    codes: [
      ...sct("REFERENCE.md", [["239872002", "Osteoarthritis of hip"]]),
      ...sct("OpenCodelists-derived code list", [
        ["201835007", "Localized, primary osteoarthritis of the pelvic region and thigh"],
        ["267890003", "Localized, secondary osteoarthritis of the pelvic region and thigh"],
        ["267891004", "Localized osteoarthritis, unspecified, of the pelvic region and thigh"],
        ["201839001", "Primary coxarthrosis, bilateral"],
        ["201857000", "Post-traumatic coxarthrosis, bilateral"],
        ["201892008", "Osteoarthritis NOS: [pelvic region and/or thigh] or [hip]"],
      ]),
      ...icd10("REFERENCE.md", [["M16", "Osteoarthritis of hip"]]),
      ...icd9("ICD-9-CM tabular list", icd9Digits(OA_715_SITED, [5], "Osteoarthrosis, localized or unspecified, pelvic region and thigh")),
    ],
  },
  hand_other_oa: {
    id: "hand_other_oa",
    title: "Hand osteoarthritis and other osteoarthritis (not knee, not hip)",
    codes: [
      ...sct("REFERENCE.md", [["201834006", "Localized, primary osteoarthritis of the hand"]]),
      ...sct("OpenCodelists-derived code list", [
        ["201852006", "Localized, secondary osteoarthritis of the hand"],
        ["267889007", "Generalized osteoarthritis of the hand"],
        ["22193007", "Degenerative joint disease of hand"],
        ["239868001", "Osteoarthritis of finger joint"],
        ["239869009", "Osteoarthritis of distal interphalangeal joint"],
        ["239870005", "Osteoarthritis of proximal interphalangeal joint"],
        ["239871009", "Osteoarthritis of metacarpophalangeal joint of finger"],
        ["275324008", "Osteoarthritis of metacarpophalangeal joint"],
        ["37895003", "Osteoarthrosis of the carpometacarpal joint of the thumb"],
        ["201827009", "Heberden's nodes with arthropathy"],
        ["371598009", "Heberden's node"],
        ["20243008", "Bouchard's node"],
        ["396275006", "Osteoarthritis"],
        ["239862000", "Idiopathic osteoarthritis"],
        ["443524000", "Secondary osteoarthritis"],
        ["201819000", "Generalized osteoarthritis"],
        ["268054009", "Osteoarthritis - multiple joint"],
        ["201829007", "Localized, primary osteoarthritis"],
        ["201847001", "Localized, secondary osteoarthritis"],
        ["33952002", "Localized osteoarthrosis"],
        ["394991004", "Exacerbation of osteoarthritis"],
        ["239865003", "Osteoarthritis of acromioclavicular joint"],
        ["201831003", "Localized, primary osteoarthritis of the shoulder region"],
        ["201849003", "Localized, secondary osteoarthritis of the shoulder region"],
        ["239866002", "Osteoarthritis of elbow"],
        ["313259008", "Localized, primary osteoarthritis of elbow"],
        ["239867006", "Osteoarthritis of wrist"],
        ["313257005", "Localized, primary osteoarthritis of the wrist"],
        ["239874001", "Osteoarthritis of ankle"],
        ["201837004", "Localized, primary osteoarthritis of the ankle and foot"],
        ["201855008", "Localized, secondary osteoarthritis of the ankle and foot"],
        ["239876004", "Osteoarthritis of subtalar joint"],
        ["700324005", "Osteoarthritis of talonavicular joint"],
        ["309246000", "Osteoarthritis of foot joint"],
        ["239877008", "Osteoarthritis of first metatarsalphalangeal joint"],
        ["239878003", "Osteoarthritis of toe joint"],
        ["313258000", "Localized, primary osteoarthritis of toe"],
      ]),
      ...icd10("REFERENCE.md", [
        ["M15", "Polyosteoarthritis"],
        ["M18", "Osteoarthritis of first carpometacarpal joint"],
      ]),
      ...icd10("Task brief", [["M19", "Other and unspecified osteoarthritis (M19.04 primary OA of hand)"]]),
      ...icd9("ICD-9-CM tabular list", [
        // Listed by fifth digit, not by prefix: the prefixes 715.0 and 715.8 would also take in
        // the knee OA codes 715.06 and 715.86.
        ...icd9Digits(["715.0"], [0, 4, 9], "Osteoarthrosis, generalized"),
        ...icd9Digits(["715.8"], [0, 9], "Osteoarthrosis involving more than one site, not generalized"),
        ...icd9Digits(OA_715_SITED, [0, 1, 2, 3, 4, 7, 8], "Osteoarthrosis, localized or unspecified, site other than knee or hip"),
      ]),
    ],
  },
  inflammatory_arthritis: {
    id: "inflammatory_arthritis",
    title: "Rheumatoid and other inflammatory arthritis",
    codes: [
      ...sct("REFERENCE.md", [["69896004", "Rheumatoid arthritis"]]),
      ...sct("OpenCodelists-derived code list", [
        ["239791005", "Seropositive rheumatoid arthritis"],
        ["239792003", "Seronegative rheumatoid arthritis"],
        ["201787004", "Seronegative rheumatoid arthritis"],
        ["308143008", "Seropositive erosive rheumatoid arthritis"],
        ["201791009", "Flare of rheumatoid arthritis"],
        ["287006005", "Rheumatoid arthritis of multiple joints"],
        ["201777003", "Rheumatoid arthritis of knee"],
        ["1073811000119102", "Rheumatoid arthritis of right knee"],
        ["1073731000119103", "Rheumatoid arthritis of left knee"],
        ["15687201000119107", "Rheumatoid arthritis of bilateral knees"],
        ["143441000119108", "Rheumatoid arthritis in remission"],
        ["410795001", "Juvenile rheumatoid arthritis"],
        ["57160007", "Felty's syndrome"],
        ["239920006", "Adult onset Still's disease"],
      ]),
      ...sct("Recalled, unverified", [
        ["33339001", "Psoriasis with arthropathy"],
        ["9631008", "Ankylosing spondylitis"],
      ]),
      ...icd10("REFERENCE.md", [["M05-M06", "Rheumatoid arthritis"]]),
      ...icd10("ICD-10-CM tabular list", [
        ["M08", "Juvenile arthritis"],
        ["M02", "Postinfective and reactive arthropathies"],
        ["L40.5", "Arthropathic psoriasis"],
        ["M45", "Ankylosing spondylitis"],
      ]),
      ...icd9("ICD-9-CM tabular list", [
        ["714", "Rheumatoid arthritis and other inflammatory polyarthropathies"],
        ["720.0", "Ankylosing spondylitis"],
        ["696.0", "Psoriatic arthropathy"],
      ]),
    ],
  },
  gout: {
    id: "gout",
    title: "Gout",
    codes: [
      ...sct("REFERENCE.md", [["90560007", "Gout"]]),
      ...sct("OpenCodelists-derived code list", [
        ["24595009", "Primary gout"],
        ["239844009", "Gout due to impairment of renal function"],
        ["239845005", "Gout secondary to drug"],
        ["239846006", "Gout secondary to lead"],
        ["239847002", "Gout secondary to enzyme defect"],
      ]),
      ...icd10("REFERENCE.md", [["M10", "Gout"]]),
      ...icd10("ICD-10-CM tabular list", [["M1A", "Chronic gout"]]),
      ...icd9("ICD-9-CM tabular list", [["274", "Gout"]]),
    ],
  },
  diabetes: {
    id: "diabetes",
    title: "Type 2 diabetes and prediabetes",
    note: "Diabetic kidney and eye complications are also ckd / eye_adnexa.",
    codes: [
      ...sct("REFERENCE.md", [
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
      ...icd10("REFERENCE.md", [
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
      ...sct("REFERENCE.md", [
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
      ...icd10("REFERENCE.md", [["I10", "Essential (primary) hypertension"]]),
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
      ...sct("Recalled, unverified", [
        ["398036000", "Familial hypercholesterolemia"],
        ["267432004", "Pure hypercholesterolemia"],
      ]),
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
      ...sct("Recalled, unverified", [["401314000", "Acute non-ST segment elevation myocardial infarction"]]),
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
  osteoporosis: {
    id: "osteoporosis",
    title: "Osteoporosis and fragility fracture",
    codes: [
      ...sct("Synthea sample data", [
        ["64859006", "Osteoporosis (disorder)"],
        ["443165006", "Pathological fracture due to osteoporosis (disorder)"],
      ]),
      ...sct("OpenCodelists-derived code list", [
        ["102447009", "Postmenopausal osteoporosis"],
        ["18040001", "Senile osteoporosis"],
        ["32369003", "Menopausal osteoporosis"],
        ["276661002", "Primary osteoporosis"],
        ["390833005", "Osteoporosis caused by corticosteroid"],
        ["203438009", "Vertebral osteoporosis"],
        ["240198002", "Osteoporotic vertebral collapse"],
        ["203450003", "Osteoporotic fracture of lumbar vertebra"],
        ["203451004", "Osteoporotic fracture of thoracic vertebra"],
        ["203453001", "Postmenopausal osteoporosis with pathological fracture"],
      ]),
      ...icd10("ICD-10-CM tabular list", [["M80-M81", "Osteoporosis with / without current pathological fracture"]]),
      ...icd9("ICD-9-CM tabular list", [
        ["733.0", "Osteoporosis"],
        ["733.1", "Pathologic fracture"],
      ]),
    ],
  },
  back_pain: {
    id: "back_pain",
    title: "Back pain",
    codes: [
      ...sct("Task brief", [["279039007", "Low back pain"]]),
      ...sct("Synthea sample data", [["278860009", "Chronic low back pain (finding)"]]),
      ...sct("Recalled, unverified", [
        ["161891005", "Backache"],
        ["23056005", "Sciatica"],
      ]),
      ...icd10("Task brief", [
        ["M54.5", "Low back pain"],
        ["M54.4", "Lumbago with sciatica"],
      ]),
      ...icd10("ICD-10-CM tabular list", [
        ["M54.3", "Sciatica"],
        ["M54.9", "Dorsalgia, unspecified"],
      ]),
      ...icd9("ICD-9-CM tabular list", [
        ["724.2", "Lumbago"],
        ["724.3", "Sciatica"],
        ["724.5", "Backache, unspecified"],
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
      ...sct("Recalled, unverified", [
        ["23986001", "Glaucoma"],
        ["9826008", "Conjunctivitis"],
      ]),
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
      ...sct("Recalled, unverified", [
        ["54150009", "Upper respiratory infection"],
        ["233604007", "Pneumonia"],
        ["6142004", "Influenza"],
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
      ...sct("REFERENCE.md", [["90560007", "Gout"]]),
      ...sct("OpenCodelists-derived code list", [["24595009", "Primary gout"]]),
      ...sct("Recalled, unverified", [
        ["414916001", "Obesity"],
        ["238136002", "Morbid obesity"],
        ["398036000", "Familial hypercholesterolemia"],
        ["267432004", "Pure hypercholesterolemia"],
        ["34095006", "Dehydration"],
        ["43339004", "Hypokalemia"],
        ["89627008", "Hyponatremia"],
        ["190905008", "Cystic fibrosis"],
      ]),
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

// ---------------------------------------------------------------------------------------------
// Medication classes

/**
 * A drug is classed by its ingredients, so a combination product falls in each of its classes
 * (oxycodone/acetaminophen is opioid AND paracetamol). Classes follow the WHO ATC groups named
 * in the titles, not the indication: verapamil for rate control is still an antihypertensive
 * (C08). Left out on purpose: aspirin 81 MG (antiplatelet dose), colchicine (M04AC, no effect
 * on urate), inhaled and topical corticosteroids, dextromethorphan (antitussive), tacrolimus and
 * sirolimus (transplant immunosuppression).
 */
export const MEDICATION_CLASSES: { readonly [Id in MedicationClassId]: ValueSet<Id> } = {
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
      ...rx("Recalled, unverified", [
        ["6809", "metformin"],
        ["4821", "glipizide"],
        ["4815", "glyburide"],
        ["25789", "glimepiride"],
        ["33738", "pioglitazone"],
        ["593411", "sitagliptin"],
        ["1545653", "empagliflozin"],
        ["1488564", "dapagliflozin"],
        ["1373458", "canagliflozin"],
        ["475968", "liraglutide"],
        ["1991302", "semaglutide"],
        ["274783", "insulin glargine"],
        ["86009", "insulin lispro"],
        ["51428", "insulin aspart"],
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
      ...rx("Recalled, unverified", [
        ["29046", "lisinopril"],
        ["35296", "ramipril"],
        ["18867", "benazepril"],
        ["52175", "losartan"],
        ["69749", "valsartan"],
        ["83818", "irbesartan"],
        ["73494", "telmisartan"],
        ["7417", "nifedipine"],
        ["3443", "diltiazem"],
        ["11170", "verapamil"],
        ["2409", "chlorthalidone"],
        ["4603", "furosemide"],
        ["9997", "spironolactone"],
        ["6918", "metoprolol"],
        ["1202", "atenolol"],
        ["20352", "carvedilol"],
        ["8787", "propranolol"],
        ["19484", "bisoprolol"],
        ["2599", "clonidine"],
        ["5470", "hydralazine"],
      ]),
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
      ...rx("Recalled, unverified", [
        ["83367", "atorvastatin"],
        ["36567", "simvastatin"],
        ["301542", "rosuvastatin"],
        ["42463", "pravastatin"],
        ["6472", "lovastatin"],
        ["341248", "ezetimibe"],
        ["8703", "fenofibrate"],
        ["4719", "gemfibrozil"],
      ]),
      ...atc("Task brief", [["C10", "Lipid modifying agents"]]),
    ],
  },
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

// ---------------------------------------------------------------------------------------------
// Lookup: per code system, normalized code -> bit mask of the sets it belongs to.

/** Codings that matched no table, as "system|code" (a coding without system gives "|code"). */
export interface ConceptMatch<Id extends string> {
  ids: readonly Id[];
  unmapped: readonly string[];
}

const SYSTEM_BY_URI: ReadonlyMap<string, CodeSystemKey> = new Map([
  ...(Object.entries(SYSTEM) as [CodeSystemKey, string][]).map(([key, uri]) => [uri, key] as const),
  ...(Object.entries(SYSTEM_ALIASES) as [string, CodeSystemKey][]),
]);

const DOTTED_SYSTEMS: ReadonlySet<CodeSystemKey> = new Set(["icd10cm", "icd9cm"]);

/** Shortest prefix any prefix rule may use (ICD categories and ATC groups have 3 characters). */
const MIN_PREFIX = 3;

function normalizeCode(system: CodeSystemKey, code: string): string {
  const trimmed = code.trim();
  if (DOTTED_SYSTEMS.has(system)) return trimmed.replace(/\./g, "").toUpperCase();
  return system === "atc" ? trimmed.toUpperCase() : trimmed;
}

/** Expands a normalized ICD range such as "H00-H59" or "Z6825-Z6845" into its categories. */
function expandRange(range: string): string[] {
  const [from = "", to = ""] = range.split("-");
  let head = 0;
  while (head < from.length && from[head] === to[head]) head++;
  const a = from.slice(head);
  const b = to.slice(head);
  if (from.length !== to.length || !/^\d+$/.test(a) || !/^\d+$/.test(b) || Number(a) > Number(b)) {
    throw new Error(`valuesets: malformed code range "${range}"`);
  }
  const out: string[] = [];
  for (let n = Number(a); n <= Number(b); n++) out.push(from.slice(0, head) + String(n).padStart(a.length, "0"));
  return out;
}

type SystemMaps = ReadonlyMap<CodeSystemKey, ReadonlyMap<string, number>>;

/** Builds one lookup for the given value sets; set i contributes bit i. Throws on a bad table. */
function buildLookup(sets: readonly ValueSet<string>[]): SystemMaps {
  if (sets.length > 30) throw new Error("valuesets: more sets than bits in a mask");
  const maps = new Map<CodeSystemKey, Map<string, number>>();
  sets.forEach((set, bit) => {
    for (const entry of set.codes) {
      if (entry.match !== "exact" && !PREFIX_SYSTEMS.has(entry.system)) {
        throw new Error(`valuesets: ${entry.system} code ${entry.code} in ${set.id} must be exact`);
      }
      const normalized = normalizeCode(entry.system, entry.code);
      const keys = entry.match === "range" ? expandRange(normalized) : [normalized];
      if (entry.match !== "exact" && keys.some((key) => key.length < MIN_PREFIX)) {
        throw new Error(`valuesets: prefix ${entry.code} in ${set.id} is shorter than ${MIN_PREFIX}`);
      }
      let map = maps.get(entry.system);
      if (!map) maps.set(entry.system, (map = new Map()));
      for (const key of keys) map.set(key, (map.get(key) ?? 0) | (1 << bit));
    }
  });
  return maps;
}

function lookupMask(maps: SystemMaps, coding: Coding): number {
  if (typeof coding.code !== "string" || typeof coding.system !== "string") return 0;
  const system = SYSTEM_BY_URI.get(coding.system.trim());
  const map = system === undefined ? undefined : maps.get(system);
  if (system === undefined || map === undefined) return 0;
  const code = normalizeCode(system, coding.code);
  if (!PREFIX_SYSTEMS.has(system)) return map.get(code) ?? 0;
  let mask = 0;
  for (let len = MIN_PREFIX; len <= code.length; len++) mask |= map.get(code.slice(0, len)) ?? 0;
  return mask;
}

/** Freezes the exported tables so no caller can change what the lookups were built from. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
deepFreeze(KNEE_OA);
deepFreeze(DIAGNOSIS_GROUPS);
deepFreeze(MEDICATION_CLASSES);

const KNEE_OA_BIT = 1 << DIAGNOSIS_GROUP_IDS.length;
const DIAGNOSIS_LOOKUP = buildLookup([...DIAGNOSIS_GROUP_IDS.map((id) => DIAGNOSIS_GROUPS[id]), KNEE_OA]);
const MEDICATION_LOOKUP = buildLookup(MEDICATION_CLASS_IDS.map((id) => MEDICATION_CLASSES[id]));

const NONE: readonly never[] = Object.freeze([]);

/** Matches every coding; returns the OR of their masks and the codings that matched nothing. */
function matchConcept(maps: SystemMaps, concept: CodeableConcept | undefined): { mask: number; unmapped: readonly string[] } {
  let mask = 0;
  let unmapped: string[] | undefined;
  const codings = Array.isArray(concept?.coding) ? concept.coding : NONE;
  for (const coding of codings) {
    // A coding without a code (text-only or malformed) has nothing to look up or report.
    if (typeof coding?.code !== "string" || coding.code.trim() === "") continue;
    const m = lookupMask(maps, coding);
    if (m === 0) (unmapped ??= []).push(`${typeof coding.system === "string" ? coding.system : ""}|${coding.code}`);
    mask |= m;
  }
  return { mask, unmapped: unmapped ?? NONE };
}

function idsOf<Id extends string>(ids: readonly Id[], mask: number): readonly Id[] {
  if ((mask & ((1 << ids.length) - 1)) === 0) return NONE;
  const out: Id[] = [];
  ids.forEach((id, bit) => {
    if (mask & (1 << bit)) out.push(id);
  });
  return out;
}

/** The diagnosis groups a concept falls in, and whether it is a knee OA code (the outcome). */
export function matchDiagnosis(concept: CodeableConcept | undefined): ConceptMatch<DiagnosisGroupId> & { kneeOa: boolean } {
  const { mask, unmapped } = matchConcept(DIAGNOSIS_LOOKUP, concept);
  return { ids: idsOf(DIAGNOSIS_GROUP_IDS, mask), unmapped, kneeOa: (mask & KNEE_OA_BIT) !== 0 };
}

/** The medication classes a concept falls in (a combination product may fall in several). */
export function matchMedication(concept: CodeableConcept | undefined): ConceptMatch<MedicationClassId> {
  const { mask, unmapped } = matchConcept(MEDICATION_LOOKUP, concept);
  return { ids: idsOf(MEDICATION_CLASS_IDS, mask), unmapped };
}
