/** Colours of the chart: Okabe and Ito's colour-blind-safe palette (blue line, vermillion events),
 * with text and grid colours that keep WCAG AA contrast on white. The tier lines take the tier
 * badges' border colours (app.css: Okabe-Ito orange for Moderate, the darkened vermillion of
 * High), dashed, each labelled in the text colour on a halo of the panel's (TrendChart.tsx). */
export const PALETTE = {
  line: "#0072B2",
  event: "#D55E00",
  text: "#1d2733",
  grid: "#d5dbe3",
  tier: { moderate: "#E69F00", high: "#A13D00" },
} as const;
