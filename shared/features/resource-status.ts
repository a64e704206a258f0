/**
 * The statuses that make the feature builder ignore a resource whatever the index date (rules
 * in models/FEATURES.md, sections 5 to 7). Written once, here: the builder skips such resources
 * through statusExclusion (diagnosis-evidence.ts, medication-coverage.ts, body-mass.ts), and
 * shared/record-dates.ts leaves them undated through ignoredByStatus, so a resource the builder
 * never uses cannot move the population job's record span or date a record in the SMART app.
 *
 * Rules that need an index date (recorded or asserted on or after it, partial dates) are not
 * statuses and stay the builder's alone; the rule about a Condition's content (no code, an
 * invalid recordedDate) is not a status either and lives in diagnosis-evidence.ts
 * (conditionConcept), which record-dates.ts calls too.
 */
import { asString, findCode, type JsonObject } from "./fhir-read.ts";

/** Condition.verificationStatus codes (a coded status, or a plain STU3 code string). */
const IGNORED_CONDITION_VERIFICATION: ReadonlySet<string> = new Set(["entered-in-error", "refuted"]);

/** Ignored `status` codes by resource type. */
const IGNORED_STATUS: Readonly<Record<string, ReadonlySet<string>>> = Object.freeze({
  Encounter: new Set(["entered-in-error", "cancelled"]),
  Observation: new Set(["entered-in-error", "cancelled"]),
  MedicationRequest: new Set(["entered-in-error", "cancelled", "draft"]),
  MedicationStatement: new Set(["entered-in-error", "not-taken", "intended"]),
  MedicationDispense: new Set(["entered-in-error", "cancelled", "declined"]),
});

/** Why the builder ignores a resource of this type for its status (the reason it is counted as
 * skipped with: `status cancelled`, `verificationStatus refuted`, `doNotPerform`), or undefined
 * when its status lets it count. */
export function statusExclusion(resource: JsonObject, type: string): string | undefined {
  if (type === "Condition") {
    const excluded = findCode(resource.verificationStatus, IGNORED_CONDITION_VERIFICATION);
    return excluded === undefined ? undefined : `verificationStatus ${excluded}`;
  }
  const status = asString(resource.status);
  // Own keys only: a resourceType such as "constructor" has no ignored statuses.
  if (status !== undefined && Object.hasOwn(IGNORED_STATUS, type) && IGNORED_STATUS[type]!.has(status)) return `status ${status}`;
  if (type === "MedicationRequest" && resource.doNotPerform === true) return "doNotPerform";
  return undefined;
}

/** Whether the builder ignores the resource for its status, whatever the index date. */
export function ignoredByStatus(resource: JsonObject): boolean {
  const type = asString(resource.resourceType);
  return type !== undefined && statusExclusion(resource, type) !== undefined;
}
