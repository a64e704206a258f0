/** A result whose measurements (its result Observations) were not read, the imaging Observations
 * not granted or failing: it cannot be checked or shown, but nothing says it is invalid. */
export function MeasurementsUnread() {
  return (
    <p className="iai-muted">
      <strong>Measurements not read</strong>: this result's imaging AI measurements (Observation) could not be read (above), so its values cannot be shown.
    </p>
  );
}
