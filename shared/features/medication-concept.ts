/**
 * The drug a medication resource is about: its codes from medicationCodeableConcept or from the
 * Medication it references (`#contained`, `Medication/id`, `urn:uuid:id`), and a drug key that
 * tells concurrent drugs apart (the same drug on two overlapping orders is not two drugs, even
 * when one order spells the code system differently, e.g. the RxNorm URL and its OID).
 * A `null` medicationCodeableConcept or medicationReference counts as absent.
 */
import type { CodeableConcept } from "fhir/r4";
import { referenceTarget } from "../fhir-references.ts";
import { SYSTEM } from "../valuesets.ts";
import { codeSystemOf } from "../valuesets/systems.ts";
import { asObject, cleanConcept, findContained, type JsonObject } from "./fhir-read.ts";

export interface DrugConcept {
  concept: CodeableConcept;
  /** The first RxNorm code, else the first coding as "system|code". */
  key: string;
}

/** The resource's drug, or the reason it has none. */
export function drugConcept(resource: JsonObject, medicationsById: ReadonlyMap<string, JsonObject>): DrugConcept | string {
  let concept: CodeableConcept | undefined;
  if (resource.medicationCodeableConcept != null) {
    concept = cleanConcept(resource.medicationCodeableConcept);
  } else if (resource.medicationReference != null) {
    const target = referenceTarget(resource.medicationReference, "Medication");
    const medication =
      target === undefined
        ? undefined
        : "contained" in target
          ? findContained(resource, "Medication", target.contained)
          : medicationsById.get(target.id);
    if (medication === undefined) return "unresolved medication reference";
    concept = cleanConcept(asObject(medication)?.code);
  } else {
    return "no medication";
  }
  if (concept === undefined) return "no medication code";
  return { concept, key: drugKey(concept) };
}

/** "system|code" of the first RxNorm coding, else of the first coding, with the system in its
 * canonical spelling when it is one the value sets know. */
function drugKey(concept: CodeableConcept): string {
  const codings = concept.coding ?? [];
  const rxnorm = codings.find((coding) => codeSystemOf(coding.system) === "rxnorm");
  const chosen = rxnorm ?? codings[0];
  const key = codeSystemOf(chosen?.system);
  return `${key === undefined ? (chosen?.system ?? "") : SYSTEM[key]}|${chosen?.code?.trim() ?? ""}`;
}
