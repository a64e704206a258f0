/** The one page for a SMART session that is gone: expired, revoked, lost, or never launched. */
export function SessionLost({ message }: { message: string }) {
  return (
    <main id="app" data-state="session-lost" className="layout">
      <section className="panel" role="alert">
        <h2>Relaunch Patella from the EHR</h2>
        <p>This page has no SMART session: it expired, was revoked or lost, or the page was opened directly. Open the patient's chart in the EHR and launch Patella again.</p>
        <p className="hint">Detail: {message}</p>
      </section>
    </main>
  );
}
