import type { KlResult } from "../../shared/imaging/read-results.ts";
import { KL_GRADE_MEANING } from "./format.ts";

/** The Kellgren-Lawrence grade of each knee. */
export function KlGrades({ result }: { result: KlResult }) {
  return (
    <table className="iai-table">
      <caption>Kellgren-Lawrence grade (0-4) per knee</caption>
      <thead>
        <tr>
          <th scope="col">Knee</th>
          <th scope="col">Grade</th>
        </tr>
      </thead>
      <tbody>
        {result.knees.map((k) => (
          <tr key={k.side}>
            <th scope="row">{k.side === "left" ? "Left" : "Right"}</th>
            <td>
              {k.grade} ({KL_GRADE_MEANING[k.grade]})
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
