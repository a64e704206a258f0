/** The page for a launch whose authorization did not complete (smart/session.ts): a refusal
 * (AuthorizationError) gets the same answer at a relaunch, so it names who can fix it; the
 * authorization server failing (AuthorizationServerError, a 5xx) refused nothing, so a relaunch
 * may work. */
import { type AuthorizationError, AuthorizationServerError } from "../smart/session.ts";

export function AuthorizationFailed({ error }: { error: AuthorizationError }) {
  const serverFailed = error instanceof AuthorizationServerError;
  return (
    <main id="app" data-state="authorization-failed" className="layout">
      <section className="panel" role="alert">
        <h2>{serverFailed ? "The EHR's authorization server failed" : "The EHR refused to authorize Patella"}</h2>
        <p>
          {serverFailed
            ? "Patella was not refused: launch it again from the patient's chart in the EHR, which may work. If it fails again, tell the site's Patella integrator the detail below."
            : "Relaunching will not help: tell the site's Patella integrator the detail below."}
        </p>
        <p className="hint">Detail: {error.message}</p>
      </section>
    </main>
  );
}
