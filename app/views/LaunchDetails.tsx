/**
 * What the launch gave the app: patient id, granted scopes, appContext. For support staff, so
 * collapsed at the end of the page: what a narrower grant leaves out is said to the clinician
 * where it matters, in the sections that miss it (QueryStatus).
 */
import type { SmartSession } from "../smart/session.ts";

export function LaunchDetails({ session }: { session: SmartSession }) {
  return (
    <details className="panel launch-details" data-testid="launch-details">
      <summary>Technical details (for support staff)</summary>
      <dl>
        <dt>Patient id</dt>
        <dd data-testid="patient-id">{session.patientId}</dd>
        <dt>Scopes granted</dt>
        <dd data-testid="scope">{session.grantedScope || "(none)"}</dd>
        <dt>appContext</dt>
        <dd data-testid="app-context">{session.appContext ?? "none (the EHR sent no appContext)"}</dd>
      </dl>
    </details>
  );
}
