/**
 * The card's context carried in the launch link itself, for EHRs that drop a card link's
 * appContext (the CDS service's issuer quirk `appContextInLaunchUrl`, cds-service/cards/
 * build-risk-card.ts: the link then carries `cardUuid` and `indexDate`). launch.html keeps them,
 * checked, in sessionStorage across the OAuth redirect (same tab), and the app page uses them
 * only when the token brings no appContext index date (smart/session.ts): across UTC midnight
 * the card and the app would otherwise use different index dates. Only these two are read: no
 * other parameter of a link is taken as configuration (runtime-config.ts, launchOverrides).
 */
import { parseCalendarDay } from "../../shared/fhir-dates.ts";

export interface LaunchLinkContext {
  /** YYYY-MM-DD, a real day not after the launch's day (UTC). */
  indexDate?: string;
  cardUuid?: string;
}

/** The sessionStorage key; each launch writes or removes it, so no earlier launch's date lingers. */
export const LAUNCH_CONTEXT_KEY = "patella-launch-link-context";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The link's card context, or why it is refused: a card dates its risk on or before the day it
 * is shown, so an index date that is not a real YYYY-MM-DD day, or lies after `today` (UTC),
 * was not written by the card. Refused, not ignored: the app would otherwise quietly compute a
 * risk for another day than the card's. Only the parameter's name is quoted, never its value.
 */
export function launchLinkContext(params: URLSearchParams, today: string): LaunchLinkContext | { refused: string } {
  const indexDate = params.get("indexDate");
  const cardUuid = params.get("cardUuid");
  if (indexDate !== null) {
    const day = parseCalendarDay(indexDate);
    if (day === null) return { refused: "the launch link's indexDate is not a date (YYYY-MM-DD)" };
    if (day > (parseCalendarDay(today) as number)) return { refused: "the launch link's indexDate is after today (UTC)" };
  }
  if (cardUuid !== null && !UUID.test(cardUuid)) return { refused: "the launch link's cardUuid is not a UUID" };
  return { ...(indexDate !== null && { indexDate }), ...(cardUuid !== null && { cardUuid }) };
}

/** Keeps this launch's context for the app page, or forgets an earlier launch's when it has none. */
export function keepLaunchLinkContext(storage: Storage, context: LaunchLinkContext): void {
  if (context.indexDate === undefined && context.cardUuid === undefined) storage.removeItem(LAUNCH_CONTEXT_KEY);
  else storage.setItem(LAUNCH_CONTEXT_KEY, JSON.stringify(context));
}

/** What launch.html kept, checked again by the same rule (anything else on the page's origin could
 * have written the key), or none. */
export function keptLaunchLinkContext(storage: Storage, today: string): LaunchLinkContext {
  let stored: unknown;
  try {
    stored = JSON.parse(storage.getItem(LAUNCH_CONTEXT_KEY) ?? "{}");
  } catch {
    return {};
  }
  if (typeof stored !== "object" || stored === null) return {};
  const params = new URLSearchParams();
  for (const name of ["indexDate", "cardUuid"] as const) {
    const value = (stored as Record<string, unknown>)[name];
    if (typeof value === "string") params.set(name, value);
  }
  const context = launchLinkContext(params, today);
  return "refused" in context ? {} : context;
}
