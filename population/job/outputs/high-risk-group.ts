/** The FHIR R4 Group of the high-risk list, for a registry or a care-management worklist. */
import { createHash } from "node:crypto";
import type { Group } from "fhir/r4";
import { FHIR_ID } from "../../../shared/fhir-references.ts";
import { RISK_TIER_CONFIG } from "../../../shared/risk-tiers.ts";
import type { RunIdentity } from "../checkpoint.ts";
import { personGroup } from "./person-group.ts";
import { modelLabel } from "./risk-assessment.ts";
import { describeSelection, type Selection } from "./selection.ts";

/**
 * The Group's id, which `--post-group` PUTs to: one per index date and selection, so a run again
 * for the same index date with the same settings updates the same Group, and a trial run at another
 * --threshold or --top writes another one instead of replacing the site's list. The default list
 * (the High tier's bound, no --top) keeps the id it always had, `patella-koa-high-risk-<date>`; a
 * threshold other than that bound adds `-from-<threshold>` (as given, e.g. 0.02), a --top
 * `-top-<N>`. An id that would pass FHIR's 64 characters (a threshold written with many digits)
 * ends instead in the first 16 hex digits of the SHA-256 of the selection.
 */
export function highRiskGroupId(indexDate: string, selection: Selection): string {
  const base = `patella-koa-high-risk-${indexDate}`;
  const from = selection.threshold === RISK_TIER_CONFIG.thresholds.high ? "" : `-from-${selection.threshold}`;
  const top = selection.top === null ? "" : `-top-${selection.top}`;
  const id = `${base}${from}${top}`;
  if (FHIR_ID.test(id)) return id;
  return `${base}-${createHash("sha256").update(`threshold=${selection.threshold};top=${selection.top ?? "none"}`).digest("hex").slice(0, 16)}`;
}

export function highRiskGroup(patientIds: readonly string[], identity: RunIdentity, selection: Selection): Group {
  return personGroup({
    id: highRiskGroupId(identity.indexDate, selection),
    // Named by what it holds: --threshold and --top can list patients below the high tier.
    name: `Patella: ${describeSelection(selection)} for a 1-year knee osteoarthritis diagnosis from ${identity.indexDate} (${modelLabel(identity.model)})`,
    characteristic: { code: "1-year risk of a knee osteoarthritis diagnosis (synthetic-data model, not for clinical use)", value: describeSelection(selection) },
    patientIds,
  });
}
