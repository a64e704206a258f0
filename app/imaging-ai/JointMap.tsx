import type { Side, SvhMeasure } from "../../shared/imaging/codes.ts";
import type { SvhResult } from "../../shared/imaging/read-results.ts";
import { SVH_SITES, SVH_SITE_MAX, type SvhRegion } from "../../shared/imaging/svh-sites.ts";
import { SCORE_COLOURS, scoreColour } from "./format.ts";
import { PANEL_SIZE, sitePosition } from "./joint-map-layout.ts";

const PANELS: { region: SvhRegion; side: Side }[] = [
  { region: "hand", side: "right" },
  { region: "hand", side: "left" },
  { region: "foot", side: "right" },
  { region: "foot", side: "left" },
];

/** Erosion is a circle, narrowing a square: the shape tells the measure without colour. */
function Marker({ measure, x, y, score, max, label }: { measure: SvhMeasure; x: number; y: number; score: number | undefined; max: number; label: string }) {
  const fill = score === undefined ? "none" : scoreColour(score, max);
  const common = { fill, stroke: "#333", strokeWidth: 1, strokeDasharray: score === undefined ? "2 2" : undefined, "data-score": score ?? "" };
  const title = <title>{`${label}: ${score === undefined ? "not scored" : `${score} of ${max}`}`}</title>;
  return measure === "erosion" ? (
    <circle cx={x} cy={y} r={4.5} {...common}>{title}</circle>
  ) : (
    <rect x={x - 4} y={y - 4} width={8} height={8} {...common}>{title}</rect>
  );
}

function Panel({ result, region, side }: { result: SvhResult; region: SvhRegion; side: Side }) {
  const { width, height } = PANEL_SIZE[region];
  const name = `${side === "left" ? "Left" : "Right"} ${region}`;
  const scores = new Map(result.joints.filter((j) => j.side === side).map((j) => [`${j.site}|${j.measure}`, j.score]));
  return (
    <figure className="iai-panel">
      <svg viewBox={`-6 -6 ${width + 12} ${height + 12}`} width={(width + 12) * 1.5} height={(height + 12) * 1.5} role="img" aria-label={`${name}: joint scores`}>
        {SVH_SITES.filter((s) => s.region === region).flatMap((site) => {
          const at = sitePosition(site.code, region, side);
          if (at === null) return [];
          return site.measures.map((measure) => {
            const dx = site.measures.length === 2 ? (measure === "erosion" ? -5 : 5) : 0;
            return (
              <Marker
                key={`${site.code}-${measure}`}
                measure={measure}
                x={at[0] + dx}
                y={at[1]}
                score={scores.get(`${site.code}|${measure}`)}
                max={SVH_SITE_MAX[region][measure]}
                label={`${name} ${site.display} ${measure}`}
              />
            );
          });
        })}
      </svg>
      <figcaption>{name}</figcaption>
    </figure>
  );
}

/** Hands and feet with every SvH site coloured by its score (darker is worse). */
export function JointMap({ result }: { result: SvhResult }) {
  return (
    <div className="iai-joint-map">
      <div className="iai-panels">
        {PANELS.map((p) => (
          <Panel key={`${p.region}-${p.side}`} result={result} {...p} />
        ))}
      </div>
      <p className="iai-legend">
        <span>Circle: erosion. Square: joint space narrowing. Dashed: not scored. Colour, as a share of the site's maximum:</span>
        {SCORE_COLOURS.map((c, i) => (
          <span key={c} className="iai-swatch">
            <span style={{ background: c }} aria-hidden="true" />
            {i === 0 ? "0" : `up to ${i * 20}%`}
          </span>
        ))}
      </p>
    </div>
  );
}
