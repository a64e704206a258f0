/**
 * The koa-risk service as discovery lists it. The data it needs (its prefetch templates, which
 * the fetch fallback and the SMART app run too) is shared/risk-record-queries.ts.
 */
import { KOA_RISK_PREFETCH, type PrefetchKeySpec } from "../../../../shared/risk-record-queries.ts";

export const KOA_RISK_SERVICE_ID = "koa-risk";
export const KOA_RISK_HOOK = "patient-view";

/** The keys the service fetches when they are not prefetched (prefetch-only keys it never does). */
const FETCHED = KOA_RISK_PREFETCH.filter((p) => !p.prefetchOnly);
/** The others: used when prefetched, their next pages fetched. */
const PREFETCH_ONLY = KOA_RISK_PREFETCH.filter((p) => p.prefetchOnly);
/** "A.rs, B.rs and C.rs" (`last` joins the last two): the scopes of these keys' resource types. */
function scopesOf(keys: readonly PrefetchKeySpec[], last: string): string {
  const scopes = keys.map((p) => `${p.resourceTypes[0]}.rs`);
  return scopes.length < 2 ? scopes.join("") : `${scopes.slice(0, -1).join(", ")}${last}${scopes.at(-1)}`;
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
    `Needs the patient's ${KOA_RISK_PREFETCH.filter((p) => p.required).map((p) => p.key).join(", ")}: ` +
    "either prefetched, or fetchable from fhirServer with a fhirAuthorization access token that may read them " +
    `(patient/${scopesOf(FETCHED.filter((p) => p.required), ", ")}; ${scopesOf(FETCHED.filter((p) => !p.required), " and ")} ` +
    "for the optional keys). Without them the service answers 412. " +
    `${PREFETCH_ONLY.map((p) => p.key).join(" and ")} are read only when prefetched; a paged one is followed ` +
    `with the same token (${scopesOf(PREFETCH_ONLY, " and ")}), else its first page is used and the card says so.`,
} as const;
