/**
 * The sentence said beside a risk for an optional part of the record the EHR could not supply
 * (failed, or not granted): one rule for the CDS card's data caveats and the SMART app's risk
 * summary, so that the estimate the clinician opens from the card carries the same caveat.
 */
export function unavailableDataCaveat(label: string): string {
  return `The EHR could not supply ${label}; the estimate is made without them.`;
}
