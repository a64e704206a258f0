/**
 * A reliability plot as standalone SVG: observed rate (with its 95% interval) against mean
 * predicted probability per equal-count bin, one line per model, with the diagonal of perfect
 * calibration and each bin's row count. Both axes are logarithmic: 1-year risks of a few per
 * thousand would otherwise all sit in one corner. A bin with no case cannot be drawn on a log
 * scale; it is drawn as an open triangle on the bottom edge. The legend sits below the plot,
 * one row per model, inside the SVG's own size, so no renderer clips it.
 */
import type { ReliabilityBin } from "./metrics/calibration.ts";

const WIDTH = 640;
const PLOT = { left: 70, top: 36, width: 520, height: 400 };
const LEGEND_ROW = 20;
const COLOURS = ["#1b6ca8", "#d1495b", "#b07d00", "#00798c", "#6a4c93", "#3d405b"];

const escapeXml = (s: string) => s.replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c] as string);

function tickLabel(v: number): string {
  const percent = v * 100;
  return `${percent >= 1 ? percent.toFixed(0) : percent.toPrecision(1)}%`;
}

/** Decades (10^k) covering every value drawn, at least one decade wide. */
function logRange(values: number[]): { min: number; max: number } {
  const positive = values.filter((v) => v > 0);
  if (positive.length === 0) return { min: 1e-3, max: 1 };
  const min = 10 ** Math.floor(Math.log10(Math.min(...positive)));
  const max = Math.min(1, 10 ** Math.ceil(Math.log10(Math.max(...positive))));
  return { min, max: max > min ? max : min * 10 };
}

export function reliabilitySvg(series: Record<string, ReliabilityBin[]>, title: string): string {
  const bins = Object.values(series).flat();
  // Lower bounds are left out: they can be near 0 and would stretch the axes over empty decades.
  const range = logRange(bins.flatMap((b) => [b.meanPredicted, b.observedRate, b.observedUpper]).filter((v) => !Number.isNaN(v)));
  const decades = Math.log10(range.max / range.min);
  const clampLog = (v: number) => Math.log10(Math.min(range.max, Math.max(range.min, v)) / range.min) / decades;
  const x = (v: number) => PLOT.left + clampLog(v) * PLOT.width;
  const y = (v: number) => PLOT.top + PLOT.height - clampLog(v) * PLOT.height;
  const bottom = PLOT.top + PLOT.height;
  const names = Object.keys(series);
  const height = bottom + 56 + names.length * LEGEND_ROW + 10;
  const parts: string[] = [];
  parts.push(`<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`);
  parts.push(`<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.width}" height="${PLOT.height}" fill="none" stroke="#999"/>`);
  for (let k = 0; k <= Math.round(decades); k++) {
    for (const m of [1, 2, 5]) {
      const v = range.min * 10 ** k * m;
      if (v > range.max * 1.0001) continue;
      const major = m === 1;
      parts.push(`<line x1="${x(v)}" y1="${PLOT.top}" x2="${x(v)}" y2="${bottom}" stroke="${major ? "#ddd" : "#f0f0f0"}"/>`);
      parts.push(`<line x1="${PLOT.left}" y1="${y(v)}" x2="${PLOT.left + PLOT.width}" y2="${y(v)}" stroke="${major ? "#ddd" : "#f0f0f0"}"/>`);
      // Labels at 2 and 5 only when few decades are shown; they would overlap otherwise.
      if (!major && decades > 2) continue;
      parts.push(`<text x="${x(v)}" y="${bottom + 16}" text-anchor="middle" font-size="11">${tickLabel(v)}</text>`);
      parts.push(`<text x="${PLOT.left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${tickLabel(v)}</text>`);
    }
  }
  parts.push(`<line x1="${x(range.min)}" y1="${y(range.min)}" x2="${x(range.max)}" y2="${y(range.max)}" stroke="#888" stroke-dasharray="4 4"/>`);
  names.forEach((name, i) => {
    const colour = COLOURS[i % COLOURS.length] as string;
    const shown = series[name] ?? [];
    const drawn = shown.filter((b) => b.observedRate > 0);
    const points = drawn.map((b) => `${x(b.meanPredicted).toFixed(1)},${y(b.observedRate).toFixed(1)}`);
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="1.5" points="${points.join(" ")}"/>`);
    for (const b of shown) {
      const cx = x(b.meanPredicted).toFixed(1);
      // A bin whose rows are all one patient's has no interval (NaN): nothing to draw.
      if (!Number.isNaN(b.observedLower)) {
        parts.push(`<line x1="${cx}" y1="${y(b.observedLower).toFixed(1)}" x2="${cx}" y2="${y(b.observedUpper).toFixed(1)}" stroke="${colour}" stroke-opacity="0.6"/>`);
      }
      if (b.observedRate > 0) {
        parts.push(`<circle cx="${cx}" cy="${y(b.observedRate).toFixed(1)}" r="3.5" fill="${colour}"><title>${escapeXml(`${name}: ${b.count} rows`)}</title></circle>`);
      } else {
        const cy = bottom - 1;
        parts.push(`<path d="M${cx} ${cy} l-5 -8 h10 z" fill="white" stroke="${colour}"><title>${escapeXml(`${name}: ${b.count} rows, no case`)}</title></path>`);
      }
    }
    if (i === 0) {
      // Row counts of the first model's bins, above each bin's interval; a label that would
      // overlap the previous one is left out (the report's bin table has every count).
      let lastLabel = -Infinity;
      for (const b of shown) {
        if (x(b.meanPredicted) - lastLabel < 40) continue;
        lastLabel = x(b.meanPredicted);
        parts.push(`<text x="${x(b.meanPredicted).toFixed(1)}" y="${(y(Number.isNaN(b.observedUpper) ? b.observedRate : b.observedUpper) - 5).toFixed(1)}" text-anchor="middle" font-size="9" fill="${colour}">n=${b.count}</text>`);
      }
    }
    const ly = bottom + 56 + i * LEGEND_ROW;
    parts.push(`<rect x="${PLOT.left}" y="${ly - 10}" width="12" height="12" fill="${colour}"/>`);
    parts.push(`<text x="${PLOT.left + 18}" y="${ly}" font-size="12">${escapeXml(name)}</text>`);
  });
  parts.push(
    `<text x="${PLOT.left + PLOT.width / 2}" y="${bottom + 36}" text-anchor="middle" font-size="12">mean predicted 1-year risk per bin (10 equal-count bins; log scale)</text>`,
  );
  parts.push(
    `<text transform="translate(18 ${PLOT.top + PLOT.height / 2}) rotate(-90)" text-anchor="middle" font-size="12">observed rate with 95% interval (log scale)</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    ...parts,
    "</svg>",
    "",
  ].join("\n");
}
