/**
 * The SMART session the app runs in, read once from fhirclient's ready() (which completes the
 * authorization code exchange, or on reload restores the session from sessionStorage).
 */
import FHIR from "fhirclient";
import { clipped } from "../../shared/clipped-text.ts";
import { parseCalendarDay } from "../../shared/fhir-dates.ts";
import { FHIR_ID } from "../../shared/fhir-references.ts";
import { forgetCurrentLaunch, isLaunchStored } from "./fhirclient-state.ts";
import { keptLaunchLinkContext, type LaunchLinkContext } from "./launch-context.ts";
import { forgetPkceSecrets } from "./pkce-secrets.ts";

export type SmartClient = Awaited<ReturnType<typeof FHIR.oauth2.ready>>;

export type IndexDateSource = "card" | "launch-link" | "today";

export interface SmartSession {
  client: SmartClient;
  patientId: string;
  /** The scopes the server granted (token response), which may be fewer than asked for. */
  grantedScope: string;
  /** The card's appContext as sent, if any. */
  appContext?: string;
  /** The card's id when only the launch link carried it (the EHR dropped appContext). */
  cardUuid?: string;
  /** YYYY-MM-DD: the card's index date when the card sent one, else today (UTC), as the service uses. */
  indexDate: string;
  /** Where the index date came from: the token's appContext, the card's launch link, or today. */
  indexDateSource: IndexDateSource;
  needPatientBanner: boolean;
  styleUrl?: string;
}

/** Thrown when there is no session to resume (expired, lost, or the page opened directly). */
export class SessionLostError extends Error {
  override name = "SessionLostError";
}

/**
 * Forgets the stored session, as fhirclient's own request() does when the FHIR server answers
 * 401 (fhirclient-state.ts, forgetCurrentLaunch), and the token in memory. The app reads the
 * record with its own reader (data/fhir-read.ts), so that handling never runs for it; without
 * this, a reload would restore the dead token and fail every query again instead of asking to
 * relaunch.
 */
export function clearSmartSession(client: Pick<SmartClient, "state">): void {
  forgetCurrentLaunch(sessionStorage);
  client.state.tokenResponse = {};
}

/** The index date of a card's appContext ({"indexDate": "YYYY-MM-DD", ...}), if it has a valid one. */
export function appContextIndexDate(appContext: string | undefined): string | undefined {
  if (appContext === undefined) return undefined;
  try {
    const value = (JSON.parse(appContext) as { indexDate?: unknown }).indexDate;
    return typeof value === "string" && parseCalendarDay(value) !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The session of a ready client; `launchLink`: the card's context launch.html kept from the
 * launch link (smart/launch-context.ts), used only when the token's appContext has no index date. */
export function sessionFrom(client: SmartClient, today: string, launchLink: LaunchLinkContext = {}): SmartSession {
  const patientId = client.getPatientId();
  if (!patientId) throw new SessionLostError("The EHR did not give a patient in context.");
  // The shared patient rule keeps only records whose reference names this id, and no reference
  // can name an id outside FHIR's syntax: every record would be dropped and the risk made without them.
  if (!FHIR_ID.test(patientId)) throw new Error("The EHR gave a patient id that is not a FHIR id: Patella cannot tell which records are this patient's.");
  const token = client.state.tokenResponse ?? {};
  const appContext = typeof token.appContext === "string" ? token.appContext : undefined;
  const cardDate = appContextIndexDate(appContext);
  const linkDate = cardDate === undefined ? launchLink.indexDate : undefined;
  return {
    client,
    patientId,
    grantedScope: typeof token.scope === "string" ? token.scope : "",
    ...(appContext !== undefined && { appContext }),
    ...(launchLink.cardUuid !== undefined && { cardUuid: launchLink.cardUuid }),
    indexDate: cardDate ?? linkDate ?? today,
    indexDateSource: cardDate !== undefined ? "card" : linkDate !== undefined ? "launch-link" : "today",
    // SMART: the app shows its own patient banner unless the EHR says it shows one (false).
    needPatientBanner: token.need_patient_banner !== false,
    ...(typeof token.smart_style_url === "string" && { styleUrl: token.smart_style_url }),
  };
}

/** Thrown when the authorization server refused the launch with an OAuth error (RFC 6749
 * sections 4.1.2.1 and 5.2): a relaunch gets the same answer; the site's integrator must fix the
 * registration or the EHR's launch. */
export class AuthorizationError extends Error {
  override name = "AuthorizationError";
}

/** Thrown when the authorization server failed at the end of the launch (HTTP 5xx from its token
 * endpoint): it refused nothing, so a relaunch may work, unlike an AuthorizationError's refusal. */
export class AuthorizationServerError extends AuthorizationError {
  override name = "AuthorizationServerError";
}

/** The "error" or "error: description" line fhirclient's HttpError appends from a JSON OAuth
 * error body (after "STATUS TEXT" and "URL: ...", which never match). */
const OAUTH_ERROR_LINE = /^[a-z_]+(?:: .*)?$/m;

/** The most of the authorization server's own words shown (its error_description is free text). */
const MAX_SERVER_TEXT = 300;

/**
 * What a failed ready() means, read from the app page's URL (`pageUrl`, where the authorization
 * server's redirect put error=...) and fhirclient's error: the authorization server's refusal
 * (AuthorizationError), its failure (AuthorizationServerError: a 5xx from the token endpoint), or a session that is gone (SessionLostError: no launch state, or
 * invalid_grant, the code expired, was used or is unknown), which a relaunch fixes.
 * An error on the redirect is the server's only when its `state` names a launch pending in this
 * browser (`pendingLaunch`): anyone can link to the app page with ?error=...&error_description=
 * and have it show their words on the app's origin as the EHR's ("call this number").
 */
export function readyFailure(err: unknown, pageUrl: string, pendingLaunch: (state: string) => boolean): Error {
  const params = new URL(pageUrl).searchParams;
  const redirected = [params.get("error"), params.get("error_description")].filter(Boolean);
  if (redirected.length > 0) {
    const state = params.get("state");
    if (state === null || !pendingLaunch(state)) return new SessionLostError("an authorization answer that belongs to no launch from this browser");
    return new AuthorizationError(`the authorization server answered ${clipped(redirected.join(": "), MAX_SERVER_TEXT)}`);
  }
  const error = err instanceof Error ? err : new Error(String(err));
  if (error.name !== "HttpError") return new SessionLostError(error.message);
  const line = OAUTH_ERROR_LINE.exec(error.message)?.[0];
  const oauthError = line === undefined ? undefined : clipped(line, MAX_SERVER_TEXT);
  if (oauthError?.split(":")[0] === "invalid_grant") return new SessionLostError(`the authorization code expired or is unknown (${oauthError})`);
  const status = (error as { status?: unknown }).status;
  const answered = `the token endpoint answered HTTP ${String(status)}${oauthError === undefined ? "" : `: ${oauthError}`}`;
  return typeof status === "number" && status >= 500 ? new AuthorizationServerError(answered) : new AuthorizationError(answered);
}

/** ready() once: it consumes the authorization code, which works only once. */
export async function startSession(): Promise<SmartSession> {
  let client: SmartClient;
  try {
    client = await FHIR.oauth2.ready();
  } catch (err) {
    // fhirclient keeps each launch's state under its state value (oauth-state.ts).
    throw readyFailure(err, window.location.href, (state) => isLaunchStored(sessionStorage, state));
  }
  forgetPkceSecrets(client, sessionStorage);
  const today = new Date().toISOString().slice(0, 10);
  return sessionFrom(client, today, keptLaunchLinkContext(sessionStorage, today));
}
