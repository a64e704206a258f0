/**
 * The resources the population job reads from its files (run-job.ts, and its scoring threads,
 * score-worker.ts) and asks a Bulk Data export for (bulk/export-input.ts: `_type` and the
 * `system/<type>.rs` scopes): the feature builder's types, and the context types that only what
 * the outputs say beside the risk needs.
 */
import type { Procedure, Resource } from "fhir/r4";
import { FEATURE_RESOURCE_TYPES } from "../../models/features/feature-resource-types.ts";
import { isKlGradeObservation } from "../../shared/imaging/recent-kl.ts";
import { namesKneeReplacement } from "../../shared/valuesets.ts";
import type { ResourceSelection } from "../record-assembler.ts";

/**
 * Read for the outputs' flags only, never model input: Procedure, for a knee replacement on
 * record (shared/knee-replaced.ts). The model was trained without them, and any dated resource
 * could lengthen the history it sees, so `prepare` (score-batch.ts) builds the features from
 * FEATURE_RESOURCE_TYPES alone.
 */
export const CONTEXT_RESOURCE_TYPES: ReadonlySet<string> = new Set(["Procedure"]);

/** Every type the job reads: the features' and the context ones. */
export const JOB_RESOURCE_TYPES: ReadonlySet<string> = new Set([...FEATURE_RESOURCE_TYPES, ...CONTEXT_RESOURCE_TYPES]);

/** Of the Procedures, the job keeps only the knee replacements: the one use it has for them. A
 * Synthea export writes dozens a patient, which the spill would write to disk and each record
 * hold, parsed, for nothing. */
function keptByJob(resource: Resource): boolean {
  return resource.resourceType !== "Procedure" || namesKneeReplacement((resource as Procedure).code);
}

/** What the job asks the readers for, on the reading thread and in the scoring threads alike.
 * Beside the model input, it keeps the imaging AI's KL grade Observations (not model input), for
 * the flag of a knee already graded KL 2 or more (shared/imaging/recent-kl.ts, the card's rule);
 * `prepare` (score-batch.ts) keeps them from the feature builder. */
export const JOB_READ: Required<ResourceSelection> = { resourceTypes: JOB_RESOURCE_TYPES, keepOfType: keptByJob, keptAsContext: isKlGradeObservation };
