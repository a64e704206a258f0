/**
 * What the launch gave the app: patient id, granted scopes, appContext, and the card's id and
 * date when only the launch link carried them (smart/launch-context.ts). For support staff, so
 * collapsed at the end of the page: what a narrower grant leaves out is said to the clinician
 * where it matters, in the sections that miss it (QueryStatus). Identifiers are set as code: they
 * are not words or dates, even when a run of their digits looks like one.
 */
import type { SmartSession } from "../smart/session.ts";
import { IsoDate } from "./IsoDate.tsx";

/** What the session took from the launch link: the card's id, and its date when that date is the one used. */
function LinkContext({ session }: { session: SmartSession }) {
  const card = session.cardUuid === undefined ? null : <>card <code>{session.cardUuid}</code></>;
  const date = session.indexDateSource === "launch-link" ? <IsoDate date={session.indexDate} /> : null;
  if (card === null && date === null) return "none";
  return (
    <>
      {card}
      {card !== null && date !== null && ", "}
      {date !== null && <>index date {date}</>}
    </>
  );
}

export function LaunchDetails({ session }: { session: SmartSession }) {
  return (
    <details className="panel launch-details" data-testid="launch-details">
      <summary>Technical details (for support staff)</summary>
      <dl>
        <dt>Patient id</dt>
        <dd data-testid="patient-id">
          <code>{session.patientId}</code>
        </dd>
        <dt>Scopes granted</dt>
        <dd data-testid="scope">{session.grantedScope || "(none)"}</dd>
        <dt>appContext</dt>
        <dd data-testid="app-context">{session.appContext === undefined ? "none (the EHR sent no appContext)" : <code>{session.appContext}</code>}</dd>
        <dt>Card context in the launch link</dt>
        <dd data-testid="launch-link-context">
          <LinkContext session={session} />
        </dd>
      </dl>
    </details>
  );
}
