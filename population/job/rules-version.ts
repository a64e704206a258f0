/**
 * The version of the rules a population run applies to each patient, beyond the feature spec
 * (which the model's metadata records, and which must equal this code's): which resources the
 * readers give a patient (the patient rule, model input, the types read), how a patient is
 * scored (assessment, tiers, drivers) and what a checkpoint stores of them. The run identity
 * records it with the model file's SHA-256 (checkpoint.ts), so that a run resumed by another
 * version of Patella is refused instead of mixing patients scored under two sets of rules.
 *
 * Why an explicit version rather than:
 * - a hash of the rules' source files taken at run time: a deployment runs built JavaScript
 *   (or a bundle) whose text differs from the TypeScript for the same rules, may not ship the
 *   sources at all, and a reworded comment would refuse every resume;
 * - the package version: it is not bumped when a rule changes (0.1.0 since the start), and would
 *   be bumped for changes that leave every score alone.
 * A version kept by hand is only as good as the discipline to bump it, so a test keeps it:
 * test/population/job/rules-version.test.ts hashes the code of every module these rules import
 * and fails when that hash is not the one recorded under this version.
 *
 * Bump it (YYYY.MM.N) whenever what a run stores for a patient can change, and the feature-spec
 * version did not (the identity holds that already).
 */
export const POPULATION_RULES_VERSION = "2026.12.7";
