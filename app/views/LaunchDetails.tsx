/** What the launch gave the app: patient id, granted scopes, appContext (for support staff). */
import type { SmartSession } from "../smart/session.ts";

export function LaunchDetails({ session }: { session: SmartSession }) {
  return (
    <section aria-labelledby="launch-heading" className="panel launch-details">
      <h2 id="launch-heading">Launch</h2>
      <dl>
        <dt>Patient id</dt>
        <dd data-testid="patient-id">{session.patientId}</dd>
        <dt>Scopes granted</dt>
        <dd data-testid="scope">{session.grantedScope || "(none)"}</dd>
        <dt>appContext</dt>
        <dd data-testid="app-context">{session.appContext ?? "none (the EHR sent no appContext)"}</dd>
      </dl>
    </section>
  );
}
