/** Words and numbers as the imaging AI components show them (pure helpers, no React). */
import type { CsaeClass } from "../../shared/imaging/codes.ts";

/** YYYY-MM-DD of a FHIR dateTime, or "date unknown". */
export function dayOf(dateTime: string | null): string {
  return dateTime === null ? "date unknown" : dateTime.slice(0, 10);
}

/** Whether a date as written (YYYY-MM-DD, or a year or month) is after the index date: the marker
 * of the imaging list (app/imaging/imaging-list.ts) and of these results. As text, a year or a
 * month sorts before every day it holds: it is after the index date only when its first day is. */
export function isAfterIndexDate(date: string | null, indexDate: string): boolean {
  return date !== null && date > indexDate;
}

export function percent(p: number): string {
  return `${Math.round(p * 100)}%`;
}

export const CSAE_CLASS_LABEL: Record<CsaeClass, string> = {
  ra: "Rheumatoid arthritis",
  psa: "Psoriatic arthritis",
  healthy: "Healthy (no arthritis)",
};

/** Kellgren-Lawrence grade meanings (Kellgren & Lawrence 1957, as summarised in docs/imaging.md). */
export const KL_GRADE_MEANING: readonly string[] = ["none", "doubtful", "minimal", "moderate", "severe"];

/**
 * Sequential colour scale for scores (viridis stops, readable with the common colour-vision
 * deficiencies); every marker also carries its number in a tooltip and the legend, so colour is
 * never the only carrier.
 */
export const SCORE_COLOURS = ["#ffffff", "#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"] as const;

/** Colour of a score: white for 0, then five steps of its fraction of the maximum. */
export function scoreColour(score: number, max: number): string {
  if (score <= 0) return SCORE_COLOURS[0];
  const step = Math.min(5, Math.max(1, Math.ceil((score / max) * 5)));
  return SCORE_COLOURS[step]!;
}
