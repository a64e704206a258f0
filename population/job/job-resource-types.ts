/**
 * The resource types the population job reads from its files (run-job.ts) and asks a Bulk Data
 * export for (bulk/export-input.ts: `_type` and the `system/<type>.rs` scopes): the feature
 * builder's, and the context types that only what the outputs say beside the risk needs.
 */
import { FEATURE_RESOURCE_TYPES } from "../../models/features/feature-resource-types.ts";

/**
 * Read for the outputs' flags only, never model input: Procedure, for a knee replacement on
 * record (shared/knee-replaced.ts). The model was trained without them, and any dated resource
 * could lengthen the history it sees, so `prepare` (score-batch.ts) builds the features from
 * FEATURE_RESOURCE_TYPES alone. The readers keep only the Procedures that name a knee
 * replacement (population/record-assembler.ts).
 */
export const CONTEXT_RESOURCE_TYPES: ReadonlySet<string> = new Set(["Procedure"]);

/** Every type the job reads: the features' and the context ones. */
export const JOB_RESOURCE_TYPES: ReadonlySet<string> = new Set([...FEATURE_RESOURCE_TYPES, ...CONTEXT_RESOURCE_TYPES]);
