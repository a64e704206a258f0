/** The FHIR R4 Group of the high-risk list, for a registry or a care-management worklist. */
import type { Group } from "fhir/r4";
import type { RunIdentity } from "../checkpoint.ts";
import { modelLabel } from "./risk-assessment.ts";
import { describeSelection, type Selection } from "./selection.ts";

export function highRiskGroup(patientIds: readonly string[], identity: RunIdentity, selection: Selection): Group {
  return {
    resourceType: "Group",
    id: `patella-koa-high-risk-${identity.indexDate}`,
    active: true,
    type: "person",
    actual: true,
    // Named by what it holds: --threshold and --top can list patients below the high tier.
    name: `Patella: ${describeSelection(selection)} for a 1-year knee osteoarthritis diagnosis from ${identity.indexDate} (${modelLabel(identity.model)})`,
    quantity: patientIds.length,
    characteristic: [
      {
        code: { text: "1-year risk of a knee osteoarthritis diagnosis (synthetic-data model, not for clinical use)" },
        valueCodeableConcept: { text: describeSelection(selection) },
        exclude: false,
      },
    ],
    // FHIR JSON has no empty arrays: an empty list has no member element.
    ...(patientIds.length > 0 ? { member: patientIds.map((id) => ({ entity: { reference: `Patient/${id}` } })) } : {}),
  };
}
