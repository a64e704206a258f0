import type { SvhResult } from "../../shared/imaging/read-results.ts";
import { SVH_TOTAL_MAX } from "../../shared/imaging/svh-sites.ts";
import { JointMap } from "./JointMap.tsx";

const ROWS = [
  ["erosion", "Erosion"],
  ["narrowing", "Joint space narrowing"],
  ["total", "Total"],
] as const;

/** SvH totals recomputed from the joints (with their maxima) and the joint map. */
export function SvhScores({ result }: { result: SvhResult }) {
  return (
    <div>
      <table className="iai-table">
        <caption>Sharp/van der Heijde scores, summed from {result.joints.length} scored joints</caption>
        <thead>
          <tr>
            <th scope="col">Score</th>
            <th scope="col">Value</th>
            <th scope="col">Range</th>
          </tr>
        </thead>
        <tbody>
          {ROWS.map(([key, label]) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              <td data-testid={`svh-${key}`}>{result.totals[key]}</td>
              <td>0-{SVH_TOTAL_MAX[key]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <JointMap result={result} />
    </div>
  );
}
