/**
 * A reliability plot as standalone SVG: observed rate against mean predicted probability per
 * equal-count bin, one line per model, with the diagonal of perfect calibration. Linear axes
 * scaled to the largest value shown, since 1-year risks sit far below 1.
 */
import type { ReliabilityBin } from "./metrics/calibration.ts";

const WIDTH = 560;
const HEIGHT = 420;
const MARGIN = { left: 60, right: 170, top: 20, bottom: 50 };
const COLOURS = ["#1b6ca8", "#d1495b", "#edae49", "#00798c", "#6a4c93", "#3d405b"];

const escapeXml = (s: string) => s.replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c] as string);

function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const step = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * step >= v) return Math.min(1, m * step);
  return 1;
}

export function reliabilitySvg(series: Record<string, ReliabilityBin[]>, title: string): string {
  const values = Object.values(series).flatMap((bins) => bins.flatMap((b) => [b.meanPredicted, b.observedRate]));
  const max = niceMax(Math.max(0, ...values) * 1.05);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (v: number) => MARGIN.left + (v / max) * plotW;
  const y = (v: number) => MARGIN.top + plotH - (v / max) * plotH;
  const parts: string[] = [];
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
  for (let i = 0; i <= 5; i++) {
    const v = (max * i) / 5;
    const label = `${(v * 100).toFixed(max < 0.05 ? 1 : 0)}%`;
    parts.push(`<text x="${x(v)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle" font-size="11">${label}</text>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${label}</text>`);
  }
  parts.push(`<line x1="${x(0)}" y1="${y(0)}" x2="${x(max)}" y2="${y(max)}" stroke="#bbb" stroke-dasharray="4 4"/>`);
  Object.entries(series).forEach(([name, bins], i) => {
    const colour = COLOURS[i % COLOURS.length] as string;
    const points = bins.map((b) => `${x(b.meanPredicted).toFixed(1)},${y(b.observedRate).toFixed(1)}`);
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.join(" ")}"/>`);
    for (const p of points) {
      const [cx, cy] = p.split(",");
      parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${colour}"/>`);
    }
    const ly = MARGIN.top + 14 + i * 18;
    parts.push(`<rect x="${WIDTH - MARGIN.right + 12}" y="${ly - 9}" width="12" height="12" fill="${colour}"/>`);
    parts.push(`<text x="${WIDTH - MARGIN.right + 30}" y="${ly + 1}" font-size="12">${escapeXml(name)}</text>`);
  });
  parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 10}" text-anchor="middle" font-size="12">mean predicted 1-year risk (equal-count bins)</text>`);
  parts.push(
    `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" font-size="12">observed rate</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    ...parts,
    "</svg>",
    "",
  ].join("\n");
}
