/**
 * The koa-risk service as discovery lists it. The data it needs (its prefetch templates, which
 * the fetch fallback and the SMART app run too) is shared/risk-record-queries.ts.
 */
import { KOA_RISK_PREFETCH, type PrefetchKeySpec } from "../../../../shared/risk-record-queries.ts";

export const KOA_RISK_SERVICE_ID = "koa-risk";
export const KOA_RISK_HOOK = "patient-view";

/** The keys the service fetches whenever they are not prefetched. */
const FETCHED = KOA_RISK_PREFETCH.filter((p) => !p.fetchOnlyAlongside);
/** The others: fetched only when another key is, their next pages fetched. */
const ALONGSIDE = KOA_RISK_PREFETCH.filter((p) => p.fetchOnlyAlongside);
/** "a, b and c". */
function list(items: readonly string[]): string {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
/** What these keys hold, in words, with their keys: "diagnoses [conditions], ...". */
function described(keys: readonly PrefetchKeySpec[]): string {
  return list(keys.map((p) => `${p.label} [${p.key}]`));
}
/** The read scopes of these keys' resource types, in SMART App Launch 1.0 (`.read`, which CDS
 * Hooks 2.0 cites) and 2.0 (`.rs`) forms: EHRs grant either. */
function scopesOf(keys: readonly PrefetchKeySpec[]): string {
  const types = keys.map((p) => `patient/${p.resourceTypes[0]}`);
  return `scopes ${list(types.map((t) => `${t}.read`))}; or in SMART v2 ${list(types.map((t) => `${t}.rs`))}`;
}

export const KOA_RISK_DISCOVERY = {
  hook: KOA_RISK_HOOK,
  id: KOA_RISK_SERVICE_ID,
  title: "Knee osteoarthritis 1-year risk (Deep-KOA)",
  description:
    "Estimates the risk of a knee osteoarthritis diagnosis within the next year from the last three years of " +
    "diagnoses, prescriptions, age, sex and BMI. The shipped model is trained on synthetic data and is not " +
    "validated for clinical use.",
  prefetch: Object.fromEntries(KOA_RISK_PREFETCH.map((p) => [p.key, p.template])),
  // Why a call can get 412 (cds-hooks.hl7.org/2.0, Discovery: usageRequirements).
  usageRequirements:
    `Required: ${described(FETCHED.filter((p) => p.required))}, either prefetched or readable from fhirServer with the ` +
    `fhirAuthorization access token (${scopesOf(FETCHED.filter((p) => p.required))}); without them the service answers 412. ` +
    `Optional, fetched the same way when not prefetched: ${described(FETCHED.filter((p) => !p.required))} ` +
    `(${scopesOf(FETCHED.filter((p) => !p.required))}). ` +
    `Fetched when not prefetched only if another key is being fetched for the same call, with the same token: ` +
    `${described(ALONGSIDE)} (${scopesOf(ALONGSIDE)}); a paged one's next pages are fetched whenever the token allows, ` +
    `else its first page is used and the card says so.`,
} as const;
