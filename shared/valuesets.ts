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
 * The lookup maps are built once at module load and frozen; a coding costs one Map lookup per
 * code system (exact systems) or one per possible prefix length (at most 6 for ICD-10-CM).
 *
 * OWNER NOTE (skeleton written by the lead; the value-set helper fills the tables): the ids,
 * the types and the function signatures below are the contract other modules code against.
 */
import type { CodeableConcept, Coding } from "fhir/r4";

// Bump on ANY change to the tables or the matching rules (the feature-spec version embeds it).
export const VALUE_SETS_VERSION = "0.1.0";

export const SYSTEM = {
  snomed: "http://snomed.info/sct",
  icd10cm: "http://hl7.org/fhir/sid/icd-10-cm",
  icd9cm: "http://hl7.org/fhir/sid/icd-9-cm",
  rxnorm: "http://www.nlm.nih.gov/research/umls/rxnorm",
  atc: "http://www.whocc.no/atc",
  loinc: "http://loinc.org",
} as const;
export type CodeSystemKey = keyof typeof SYSTEM;

/** Other spellings of the same code systems that EHRs send (HL7 OIDs as URNs). */
const SYSTEM_ALIASES: Readonly<Record<string, CodeSystemKey>> = {
  "urn:oid:2.16.840.1.113883.6.96": "snomed",
  "urn:oid:2.16.840.1.113883.6.90": "icd10cm",
  "urn:oid:2.16.840.1.113883.6.103": "icd9cm",
  "urn:oid:2.16.840.1.113883.6.88": "rxnorm",
  "urn:oid:2.16.840.1.113883.6.73": "atc",
  "urn:oid:2.16.840.1.113883.6.1": "loinc",
};

/** Observation codes the feature builder reads. */
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

/** Where a code was taken from, so a reviewer can check it. */
export type CodeSource =
  | "REFERENCE.md"
  | "SNOMED CT browser"
  | "ICD-10-CM tabular list"
  | "ICD-9-CM tabular list"
  | "RxNorm"
  | "WHO ATC index"
  | "Synthea sample data";

/**
 * How an entry's code matches a coding:
 * - "exact": the code itself (SNOMED CT, RxNorm, LOINC);
 * - "prefix": the code and every code that starts with it (ICD, ATC), e.g. "M17";
 * - "range": every code that starts with a category in an inclusive range of same-length
 *   categories (ICD), e.g. "H00-H59" or "Z68.30-Z68.45".
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

// Entry builders keep the tables readable; the match kind follows from the system.
const sct = (code: string, display: string, source: CodeSource = "SNOMED CT browser"): ValueSetEntry =>
  ({ system: "snomed", code, match: "exact", display, source });
const icd10 = (code: string, display: string, source: CodeSource = "ICD-10-CM tabular list"): ValueSetEntry =>
  ({ system: "icd10cm", code, match: code.includes("-") ? "range" : "prefix", display, source });
const icd9 = (code: string, display: string, source: CodeSource = "ICD-9-CM tabular list"): ValueSetEntry =>
  ({ system: "icd9cm", code, match: code.includes("-") ? "range" : "prefix", display, source });
const rx = (code: string, display: string, source: CodeSource = "RxNorm"): ValueSetEntry =>
  ({ system: "rxnorm", code, match: "exact", display, source });
const atc = (code: string, display: string, source: CodeSource = "WHO ATC index"): ValueSetEntry =>
  ({ system: "atc", code, match: "prefix", display, source });

// ---------------------------------------------------------------------------------------------
// The outcome

export const KNEE_OA: ValueSet<"knee_oa"> = {
  id: "knee_oa",
  title: "Osteoarthritis of knee (the outcome, not a channel)",
  codes: [
    sct("239873007", "Osteoarthritis of knee", "REFERENCE.md"),
    icd10("M17", "Osteoarthritis of knee (all M17.*)", "REFERENCE.md"),
    icd9("715.06", "Osteoarthrosis, generalized, lower leg", "REFERENCE.md"),
    icd9("715.16", "Osteoarthrosis, localized, primary, lower leg", "REFERENCE.md"),
    icd9("715.26", "Osteoarthrosis, localized, secondary, lower leg", "REFERENCE.md"),
    icd9("715.36", "Osteoarthrosis, localized, not specified whether primary or secondary, lower leg", "REFERENCE.md"),
    icd9("715.86", "Osteoarthrosis involving more than one site, not generalized, lower leg", "REFERENCE.md"),
    icd9("715.96", "Osteoarthrosis, unspecified whether generalized or localized, lower leg", "REFERENCE.md"),
  ],
};

// ---------------------------------------------------------------------------------------------
// Diagnosis groups

export const DIAGNOSIS_GROUPS: { readonly [Id in DiagnosisGroupId]: ValueSet<Id> } = {
  obesity: {
    id: "obesity",
    title: "Obesity and overweight",
    codes: [
      sct("162864005", "Body mass index 30+ - obesity", "REFERENCE.md"),
      sct("408512008", "Body mass index 40+ - severely obese", "REFERENCE.md"),
      sct("238131007", "Overweight"),
      icd10("E66", "Overweight and obesity", "REFERENCE.md"),
      icd10("Z68.25-Z68.45", "Body mass index 25.0 and above, adult"),
    ],
  },
  knee_injury: {
    id: "knee_injury",
    title: "Knee injury: ACL, MCL, meniscus, patellar tendon",
    codes: [
      sct("444470001", "Injury of anterior cruciate ligament", "REFERENCE.md"),
      sct("444448004", "Injury of medial collateral ligament of knee", "REFERENCE.md"),
      sct("239720000", "Tear of meniscus of knee", "REFERENCE.md"),
      sct("30832001", "Rupture of patellar tendon", "REFERENCE.md"),
      icd10("S83.5", "Sprain of cruciate ligament of knee", "REFERENCE.md"),
      icd10("S83.2", "Tear of meniscus, current injury", "REFERENCE.md"),
      icd10("M23.2", "Derangement of meniscus due to old tear or injury", "REFERENCE.md"),
    ],
  },
  knee_pain: {
    id: "knee_pain",
    title: "Knee pain and other knee disorders",
    codes: [
      sct("30989003", "Knee pain"),
      icd10("M25.56", "Pain in knee", "REFERENCE.md"),
    ],
  },
  hip_oa: {
    id: "hip_oa",
    title: "Osteoarthritis of hip",
    codes: [
      sct("239872002", "Osteoarthritis of hip", "REFERENCE.md"),
      icd10("M16", "Osteoarthritis of hip", "REFERENCE.md"),
    ],
  },
  hand_other_oa: {
    id: "hand_other_oa",
    title: "Hand osteoarthritis and other osteoarthritis",
    codes: [
      sct("201834006", "Localized, primary osteoarthritis of the hand", "REFERENCE.md"),
      icd10("M15", "Polyosteoarthritis", "REFERENCE.md"),
      icd10("M18", "Osteoarthritis of first carpometacarpal joint", "REFERENCE.md"),
      icd10("M19", "Other and unspecified osteoarthritis"),
    ],
  },
  inflammatory_arthritis: {
    id: "inflammatory_arthritis",
    title: "Rheumatoid and other inflammatory arthritis",
    codes: [
      sct("69896004", "Rheumatoid arthritis", "REFERENCE.md"),
      icd10("M05-M06", "Rheumatoid arthritis", "REFERENCE.md"),
    ],
  },
  gout: {
    id: "gout",
    title: "Gout",
    codes: [sct("90560007", "Gout", "REFERENCE.md"), icd10("M10", "Gout", "REFERENCE.md")],
  },
  diabetes: {
    id: "diabetes",
    title: "Type 2 diabetes and prediabetes",
    codes: [
      sct("44054006", "Diabetes mellitus type 2", "REFERENCE.md"),
      sct("15777000", "Prediabetes", "REFERENCE.md"),
      icd10("E11", "Type 2 diabetes mellitus", "REFERENCE.md"),
      icd10("R73.03", "Prediabetes", "REFERENCE.md"),
    ],
  },
  hypertension: {
    id: "hypertension",
    title: "Hypertension",
    codes: [
      sct("59621000", "Essential hypertension", "REFERENCE.md"),
      sct("38341003", "Hypertensive disorder", "REFERENCE.md"),
      icd10("I10", "Essential (primary) hypertension", "REFERENCE.md"),
    ],
  },
  hyperlipidemia: {
    id: "hyperlipidemia",
    title: "Hyperlipidemia",
    codes: [
      sct("55822004", "Hyperlipidemia"),
      sct("13644009", "Hypercholesterolemia"),
      icd10("E78", "Disorders of lipoprotein metabolism and other lipidemias"),
    ],
  },
  cardiovascular: {
    id: "cardiovascular",
    title: "Cardiovascular disease",
    codes: [
      sct("53741008", "Coronary arteriosclerosis"),
      sct("22298006", "Myocardial infarction"),
      sct("49436004", "Atrial fibrillation"),
      sct("88805009", "Chronic congestive heart failure"),
      sct("230690007", "Cerebrovascular accident"),
      icd10("I20-I25", "Ischemic heart diseases"),
      icd10("I48", "Atrial fibrillation and flutter"),
      icd10("I50", "Heart failure"),
      icd10("I63", "Cerebral infarction"),
    ],
  },
  ckd: {
    id: "ckd",
    title: "Chronic kidney disease",
    codes: [sct("709044004", "Chronic kidney disease"), icd10("N18", "Chronic kidney disease")],
  },
  depression_anxiety: {
    id: "depression_anxiety",
    title: "Depression and anxiety",
    codes: [
      sct("35489007", "Depressive disorder"),
      sct("197480006", "Anxiety disorder"),
      icd10("F32-F33", "Depressive episode; major depressive disorder, recurrent"),
      icd10("F41", "Other anxiety disorders"),
    ],
  },
  osteoporosis: {
    id: "osteoporosis",
    title: "Osteoporosis and fragility fracture",
    codes: [sct("64859006", "Osteoporosis"), icd10("M80-M81", "Osteoporosis with / without current pathological fracture")],
  },
  back_pain: {
    id: "back_pain",
    title: "Back pain",
    codes: [
      sct("279039007", "Low back pain"),
      icd10("M54.5", "Low back pain"),
      icd10("M54.4", "Lumbago with sciatica"),
    ],
  },
  eye_adnexa: {
    id: "eye_adnexa",
    title: "Diseases of the eye and adnexa (ICD-9-CM 360-379, ICD-10-CM H00-H59)",
    codes: [icd10("H00-H59", "Diseases of the eye and adnexa"), icd9("360-379", "Disorders of the eye and adnexa")],
  },
  acute_respiratory_infection: {
    id: "acute_respiratory_infection",
    title: "Acute respiratory infections",
    codes: [
      sct("444814009", "Viral sinusitis"),
      sct("10509002", "Acute bronchitis"),
      sct("195662009", "Acute viral pharyngitis"),
      sct("43878008", "Streptococcal sore throat"),
      sct("82272006", "Common cold"),
      icd10("J00-J06", "Acute upper respiratory infections"),
      icd10("J09-J22", "Influenza and pneumonia; other acute lower respiratory infections"),
      icd9("460-466", "Acute respiratory infections"),
    ],
  },
  metabolic_immunity: {
    id: "metabolic_immunity",
    title: "Other metabolic and immunity disorders (ICD-9-CM 270-279)",
    codes: [
      icd10("E70-E88", "Metabolic disorders"),
      icd10("D80-D89", "Certain disorders involving the immune mechanism"),
      icd9("270-279", "Other metabolic and immunity disorders"),
    ],
  },
};

// ---------------------------------------------------------------------------------------------
// Medication classes

export const MEDICATION_CLASSES: { readonly [Id in MedicationClassId]: ValueSet<Id> } = {
  nsaid_oral: {
    id: "nsaid_oral",
    title: "Oral NSAIDs",
    codes: [
      rx("5640", "ibuprofen", "REFERENCE.md"),
      rx("7258", "naproxen", "REFERENCE.md"),
      rx("3355", "diclofenac", "REFERENCE.md"),
      rx("140587", "celecoxib", "REFERENCE.md"),
      rx("849574", "naproxen sodium 220 MG Oral Tablet", "REFERENCE.md"),
      rx("198014", "naproxen 500 MG Oral Tablet", "REFERENCE.md"),
      rx("310965", "ibuprofen 200 MG Oral Tablet", "REFERENCE.md"),
      atc("M01A", "Anti-inflammatory and antirheumatic products, non-steroids", "REFERENCE.md"),
    ],
  },
  nsaid_topical: {
    id: "nsaid_topical",
    title: "Topical NSAIDs",
    codes: [atc("M02AA", "Topical anti-inflammatory preparations, non-steroids", "REFERENCE.md")],
  },
  paracetamol: {
    id: "paracetamol",
    title: "Paracetamol (acetaminophen)",
    codes: [
      rx("161", "acetaminophen", "REFERENCE.md"),
      rx("313782", "acetaminophen 325 MG Oral Tablet", "REFERENCE.md"),
      rx("1049221", "acetaminophen 325 MG / oxycodone hydrochloride 5 MG Oral Tablet", "REFERENCE.md"),
      atc("N02BE01", "paracetamol", "REFERENCE.md"),
    ],
  },
  opioid: {
    id: "opioid",
    title: "Opioids, including tramadol",
    codes: [
      rx("10689", "tramadol", "REFERENCE.md"),
      rx("1049221", "acetaminophen 325 MG / oxycodone hydrochloride 5 MG Oral Tablet", "REFERENCE.md"),
      atc("N02A", "Opioids", "REFERENCE.md"),
    ],
  },
  corticosteroid_systemic: {
    id: "corticosteroid_systemic",
    title: "Systemic corticosteroids",
    codes: [
      rx("312615", "prednisone 20 MG Oral Tablet", "REFERENCE.md"),
      atc("H02AB", "Glucocorticoids", "REFERENCE.md"),
    ],
  },
  intraarticular_injection: {
    id: "intraarticular_injection",
    title: "Intra-articular corticosteroid and hyaluronic acid injections",
    codes: [
      rx("10759", "triamcinolone", "REFERENCE.md"),
      atc("M09AX01", "hyaluronic acid", "REFERENCE.md"),
    ],
  },
  glucosamine_chondroitin: {
    id: "glucosamine_chondroitin",
    title: "Glucosamine and chondroitin",
    codes: [atc("M01AX05", "glucosamine", "REFERENCE.md")],
  },
  duloxetine: {
    id: "duloxetine",
    title: "Duloxetine",
    codes: [rx("72625", "duloxetine", "REFERENCE.md"), atc("N06AX21", "duloxetine")],
  },
  antidiabetic: {
    id: "antidiabetic",
    title: "Antidiabetics",
    codes: [rx("860975", "24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet", "Synthea sample data"), atc("A10", "Drugs used in diabetes")],
  },
  antihypertensive: {
    id: "antihypertensive",
    title: "Antihypertensives",
    codes: [
      rx("314076", "lisinopril 10 MG Oral Tablet", "Synthea sample data"),
      rx("197361", "amlodipine 5 MG Oral Tablet", "Synthea sample data"),
      rx("310798", "hydrochlorothiazide 25 MG Oral Tablet", "Synthea sample data"),
      atc("C02", "Antihypertensives"),
      atc("C03", "Diuretics"),
      atc("C07", "Beta blocking agents"),
      atc("C08", "Calcium channel blockers"),
      atc("C09", "Agents acting on the renin-angiotensin system"),
    ],
  },
  lipid_lowering: {
    id: "lipid_lowering",
    title: "Lipid-lowering drugs",
    codes: [rx("312961", "simvastatin 20 MG Oral Tablet", "Synthea sample data"), atc("C10", "Lipid modifying agents")],
  },
  dmard: {
    id: "dmard",
    title: "Disease-modifying antirheumatic drugs",
    codes: [
      rx("6851", "methotrexate", "REFERENCE.md"),
      rx("105585", "methotrexate 2.5 MG Oral Tablet", "REFERENCE.md"),
      atc("L04AX03", "methotrexate"),
    ],
  },
  urate_lowering: {
    id: "urate_lowering",
    title: "Urate-lowering drugs",
    codes: [
      rx("519", "allopurinol", "REFERENCE.md"),
      rx("197319", "allopurinol 100 MG Oral Tablet", "REFERENCE.md"),
      atc("M04AA", "Preparations inhibiting uric acid production"),
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

const PREFIX_SYSTEMS: ReadonlySet<CodeSystemKey> = new Set(["icd10cm", "icd9cm", "atc"]);
const DOTTED_SYSTEMS: ReadonlySet<CodeSystemKey> = new Set(["icd10cm", "icd9cm"]);

function normalizeCode(system: CodeSystemKey, code: string): string {
  const trimmed = code.trim();
  if (DOTTED_SYSTEMS.has(system)) return trimmed.replace(/\./g, "").toUpperCase();
  return system === "atc" ? trimmed.toUpperCase() : trimmed;
}

/** Expands an ICD range such as "H00-H59" or "Z6830-Z6845" (normalized) into its categories. */
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

/** Builds one lookup for the given value sets; set i contributes bit i. */
function buildLookup(sets: readonly ValueSet<string>[]): SystemMaps {
  const maps = new Map<CodeSystemKey, Map<string, number>>();
  sets.forEach((set, bit) => {
    for (const entry of set.codes) {
      if (entry.match !== "exact" && !PREFIX_SYSTEMS.has(entry.system)) {
        throw new Error(`valuesets: ${entry.system} code ${entry.code} in ${set.id} must be exact`);
      }
      const normalized = normalizeCode(entry.system, entry.code);
      const keys = entry.match === "range" ? expandRange(normalized) : [normalized];
      let map = maps.get(entry.system);
      if (!map) maps.set(entry.system, (map = new Map()));
      for (const key of keys) map.set(key, (map.get(key) ?? 0) | (1 << bit));
    }
  });
  for (const map of maps.values()) Object.freeze(map);
  return Object.freeze(maps);
}

/** Shortest prefix any prefix rule uses (ICD categories and ATC groups have 3 characters). */
const MIN_PREFIX = 3;

function lookupMask(maps: SystemMaps, coding: Coding): number {
  if (typeof coding.code !== "string" || typeof coding.system !== "string") return 0;
  const system = SYSTEM_BY_URI.get(coding.system);
  if (system === undefined) return 0;
  const map = maps.get(system);
  if (!map) return 0;
  const code = normalizeCode(system, coding.code);
  if (!PREFIX_SYSTEMS.has(system)) return map.get(code) ?? 0;
  let mask = 0;
  for (let len = MIN_PREFIX; len <= code.length; len++) mask |= map.get(code.slice(0, len)) ?? 0;
  return mask;
}

const KNEE_OA_BIT = 1 << DIAGNOSIS_GROUP_IDS.length;
const DIAGNOSIS_LOOKUP = buildLookup([...DIAGNOSIS_GROUP_IDS.map((id) => DIAGNOSIS_GROUPS[id]), KNEE_OA]);
const MEDICATION_LOOKUP = buildLookup(MEDICATION_CLASS_IDS.map((id) => MEDICATION_CLASSES[id]));

const NONE: readonly never[] = Object.freeze([]);

/** Matches every coding; returns the OR of their masks and the codings that matched nothing. */
function matchConcept(maps: SystemMaps, concept: CodeableConcept | undefined): { mask: number; unmapped: readonly string[] } {
  let mask = 0;
  let unmapped: string[] | undefined;
  for (const coding of concept?.coding ?? NONE) {
    if (typeof coding?.code !== "string") continue;
    const m = lookupMask(maps, coding);
    if (m === 0) (unmapped ??= []).push(`${coding.system ?? ""}|${coding.code}`);
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
