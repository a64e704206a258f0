/**
 * The operator's feedback summary. Totals are sums of the rows shown (never separate counts
 * that could disagree with them): cards and outcomes from the per-tier rows; every overridden
 * card is in exactly one reason row (a card overridden without a reason in the row with a
 * null code). Displays come from the reasons the service offers, not from what EHRs sent.
 */
import { OVERRIDE_REASONS } from "../cards/override-reasons.ts";
import { RISK_TIERS, type RiskTier } from "../../shared/risk-tiers.ts";
import type { FeedbackStore, SummaryRows } from "./feedback-store.ts";

export interface FeedbackSummary {
  cardsIssued: number;
  feedbackItems: number;
  accepted: number;
  overridden: number;
  /** accepted / (accepted + overridden), null when there is no feedback yet. */
  acceptRate: number | null;
  overrideReasons: { system: string | null; code: string | null; display: string | null; count: number }[];
  byTier: { tier: string; cards: number; accepted: number; overridden: number }[];
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

export function summarize(rows: SummaryRows): FeedbackSummary {
  const byTier = rows.byTier
    .map((r) => ({ tier: r.tier, cards: Number(r.cards), accepted: Number(r.accepted), overridden: Number(r.overridden) }))
    .sort((a, b) => RISK_TIERS.indexOf(a.tier as RiskTier) - RISK_TIERS.indexOf(b.tier as RiskTier));
  const overrideReasons = rows.reasons
    .map((r) => ({
      system: r.system,
      code: r.code,
      display: OVERRIDE_REASONS.find((o) => o.system === r.system && o.code === r.code)?.display ?? null,
      count: Number(r.count),
    }))
    .sort((a, b) => b.count - a.count || String(a.code).localeCompare(String(b.code)));
  const accepted = sum(byTier.map((t) => t.accepted));
  const overridden = sum(byTier.map((t) => t.overridden));
  return {
    cardsIssued: sum(byTier.map((t) => t.cards)),
    feedbackItems: accepted + overridden,
    accepted,
    overridden,
    acceptRate: accepted + overridden === 0 ? null : accepted / (accepted + overridden),
    overrideReasons,
    byTier,
  };
}

/** The summary of everything a store holds. */
export async function summaryOf(store: FeedbackStore): Promise<FeedbackSummary> {
  return summarize(await store.summaryRows());
}
