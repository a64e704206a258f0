/** The page for a launch the EHR's authorization server refused (smart/session.ts
 * AuthorizationError): a relaunch gets the same answer, so it names who can fix it. */
export function AuthorizationFailed({ message }: { message: string }) {
  return (
    <main id="app" data-state="authorization-failed" className="layout">
      <section className="panel" role="alert">
        <h2>The EHR refused to authorize Patella</h2>
        <p>Relaunching will not help: tell the site's Patella integrator the detail below.</p>
        <p className="hint">Detail: {message}</p>
      </section>
    </main>
  );
}
