/**
 * The youngest age a run scores, against the model's minimum: the feature builder's default
 * (shared/features/eligibility.ts), the age the model card names as the limit of its intended use
 * (models/deep-koa/MODEL_CARD.md, "Not intended use").
 */
import { DEFAULT_MIN_AGE_YEARS } from "../../shared/features/eligibility.ts";

/** Why the run's --min-age needs saying (on the command line and in summary.html), or null: below
 * the model's minimum it scores children, which nothing warns of otherwise. */
export function minAgeWarning(minAgeYears: number | null): string | null {
  if (minAgeYears === null || minAgeYears >= DEFAULT_MIN_AGE_YEARS) return null;
  return (
    `--min-age ${minAgeYears} is below the model's minimum age of ${DEFAULT_MIN_AGE_YEARS}: patients aged ${minAgeYears} and over ` +
    `are scored, children among them, which the model is not meant for (models/deep-koa/MODEL_CARD.md, "Not intended use")`
  );
}

/** The run's youngest age scored, as summary.html names it. */
export function describeMinAge(minAgeYears: number | null): string {
  return minAgeYears === null ? `${DEFAULT_MIN_AGE_YEARS} (the model's minimum)` : `${minAgeYears} (--min-age; the model's minimum is ${DEFAULT_MIN_AGE_YEARS})`;
}
