/** A tiny hand-written chart for two patients, enough to test access rules and paging. */
import type { Condition, FhirResource } from "fhir/r4";

function conditions(patient: string, count: number): Condition[] {
  return Array.from({ length: count }, (_, i) => ({
    resourceType: "Condition",
    id: `${patient}-cond-${i}`,
    subject: { reference: `Patient/${patient}` },
    code: { coding: [{ system: "http://snomed.info/sct", code: "38341003", display: "Hypertension" }] },
    onsetDateTime: `2024-01-${String((i % 28) + 1).padStart(2, "0")}`,
  }));
}

export const FIXTURE_RESOURCES: FhirResource[] = [
  { resourceType: "Patient", id: "alice", name: [{ given: ["Alice"], family: "Test" }], gender: "female", birthDate: "1955-03-01" },
  { resourceType: "Patient", id: "bob", name: [{ given: ["Bob"], family: "Test" }], gender: "male", birthDate: "1960-07-15" },
  ...conditions("alice", 7),
  ...conditions("bob", 2),
  {
    resourceType: "Observation",
    id: "alice-bmi",
    status: "final",
    subject: { reference: "Patient/alice" },
    code: { coding: [{ system: "http://loinc.org", code: "39156-5" }] },
    effectiveDateTime: "2024-02-01",
    valueQuantity: { value: 31.2, unit: "kg/m2" },
  },
];
