/** How a 1-year probability is written for people: one rule for the card and the app, so the
 * same probability reads the same in both. */
export function formatRisk(probability: number): string {
  if (probability < 0.001) return "<0.1%";
  if (probability > 0.999) return ">99.9%";
  return `${(probability * 100).toFixed(1)}%`;
}
