/** The code systems the value sets use, their other spellings, and the LOINC codes the features read. */

export const SYSTEM = {
  snomed: "http://snomed.info/sct",
  icd10cm: "http://hl7.org/fhir/sid/icd-10-cm",
  icd9cm: "http://hl7.org/fhir/sid/icd-9-cm",
  rxnorm: "http://www.nlm.nih.gov/research/umls/rxnorm",
  atc: "http://www.whocc.no/atc",
  loinc: "http://loinc.org",
  // Procedure codes: only the knee-replacement table uses them (valuesets/knee-replaced.ts).
  icd10pcs: "http://www.cms.gov/Medicare/Coding/ICD10",
  cpt: "http://www.ama-assn.org/go/cpt",
} as const;
export type CodeSystemKey = keyof typeof SYSTEM;

/**
 * Other spellings of the same code systems that EHRs send: the HL7 OIDs as URNs, and WHO
 * ICD-10, whose categories (the level these tables use) are those of ICD-10-CM.
 */
export const SYSTEM_ALIASES: Readonly<Record<string, CodeSystemKey>> = {
  "urn:oid:2.16.840.1.113883.6.96": "snomed",
  "urn:oid:2.16.840.1.113883.6.90": "icd10cm",
  "http://hl7.org/fhir/sid/icd-10": "icd10cm",
  "urn:oid:2.16.840.1.113883.6.103": "icd9cm",
  "urn:oid:2.16.840.1.113883.6.88": "rxnorm",
  "urn:oid:2.16.840.1.113883.6.73": "atc",
  "urn:oid:2.16.840.1.113883.6.1": "loinc",
  // ICD-10-PCS's other names in HL7 Terminology's NamingSystem icd10PCS, and the one US Core 1.1 used.
  "urn:oid:2.16.840.1.113883.6.4": "icd10pcs",
  "http://terminology.hl7.org/CodeSystem/icd10PCS": "icd10pcs",
  "http://www.icd10data.com/icd10pcs": "icd10pcs",
  "urn:oid:2.16.840.1.113883.6.12": "cpt",
};

/** Every spelling of a code system (canonical URI or alias) to its key. */
export const SYSTEM_BY_URI: ReadonlyMap<string, CodeSystemKey> = new Map([
  ...(Object.entries(SYSTEM) as [CodeSystemKey, string][]).map(([key, uri]) => [uri, key] as const),
  ...(Object.entries(SYSTEM_ALIASES) as [string, CodeSystemKey][]),
]);

/** The key of a coding's system under any of its spellings, or undefined for other systems. */
export function codeSystemOf(system: unknown): CodeSystemKey | undefined {
  return typeof system === "string" ? SYSTEM_BY_URI.get(system.trim()) : undefined;
}

// Systems whose entries are prefix rules (ICD categories, ATC groups).
export const PREFIX_SYSTEMS: ReadonlySet<CodeSystemKey> = new Set(["icd10cm", "icd9cm", "atc"]);

/** Observation codes the feature builder reads (LOINC). */
export const OBSERVATION_LOINC = { bmi: "39156-5", bodyWeight: "29463-7", bodyHeight: "8302-2" } as const;
