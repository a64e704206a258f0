/** The FHIR R4 Group of the imaging list (imaging-knee-oa.csv's patients, in its order): for a
 * worklist of radiographic knee OA that the record does not code. */
import type { Group } from "fhir/r4";
import type { RunIdentity } from "../checkpoint.ts";
import { personGroup } from "./person-group.ts";
import { modelLabel } from "./risk-assessment.ts";

/** One per index date: the list takes no --threshold or --top, so a run again for the same
 * index date updates the same Group with `--post-group` (and one for another date writes another). */
const imagingGroupId = (indexDate: string): string => `patella-koa-imaging-kl2-${indexDate}`;

export function imagingGroup(patientIds: readonly string[], identity: RunIdentity): Group {
  return personGroup({
    id: imagingGroupId(identity.indexDate),
    name: `Patella: knees the imaging AI graded Kellgren-Lawrence 2 or more, without a knee osteoarthritis diagnosis, from ${identity.indexDate} (${modelLabel(identity.model)})`,
    characteristic: {
      code: "Imaging AI knee Kellgren-Lawrence grade (AI grading, not read by a radiologist unless a report says so)",
      value: "2 or more at a knee's newest grading before the index date, no knee osteoarthritis diagnosis on record",
    },
    patientIds,
  });
}
