/**
 * How a coded concept is named for people: the concept's own text (what the EHR shows, e.g.
 * "ibuprofen 600 MG Oral Tablet"), else a coding's display, else a code with its system's short
 * name ("RxNorm 5640"). Matching uses the codes; people read the words, and a concept often
 * carries its words only in `text` (an ingredient coding has no display of its own).
 */
import type { CodeableConcept } from "fhir/r4";
import { codeSystemOf, type CodeSystemKey } from "./valuesets/systems.ts";

const SYSTEM_SHORT_NAMES: Readonly<Record<CodeSystemKey, string>> = {
  snomed: "SNOMED CT",
  icd10cm: "ICD-10-CM",
  icd9cm: "ICD-9-CM",
  rxnorm: "RxNorm",
  atc: "ATC",
  loinc: "LOINC",
  icd10pcs: "ICD-10-PCS",
  cpt: "CPT",
};

/** A string with words in it, trimmed; anything else a server sends (a number, an object) is none. */
export const words = (value: unknown): string | undefined => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);

/** The concept's name, or undefined when it holds neither words nor a code. */
export function conceptName(concept: Pick<CodeableConcept, "text" | "coding">): string | undefined {
  const codings = concept.coding ?? [];
  const named = words(concept.text) ?? codings.map((c) => words(c.display)).find((d) => d !== undefined);
  if (named !== undefined) return named;
  const coded = codings.find((c) => words(c.code) !== undefined);
  if (coded === undefined) return undefined;
  const code = (coded.code as string).trim();
  // A system this code base does not know is shown as sent: a short name guessed from its URI
  // could name the wrong system.
  const key = codeSystemOf(coded.system);
  const system = key !== undefined ? SYSTEM_SHORT_NAMES[key] : words(coded.system);
  return system === undefined ? code : `${system} ${code}`;
}
