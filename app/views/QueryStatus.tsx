/** Says, in the section that needs them, which parts of the record could not be had and why. */
import { unavailableDataCaveat } from "../../shared/unavailable-data.ts";
import type { LoadedQuery } from "../data/load-record.ts";

export function queryProblem(q: LoadedQuery): string | null {
  switch (q.outcome.status) {
    case "loaded":
      return q.outcome.partial === undefined
        ? null
        : `Only part of the ${q.query.label} (${q.query.resourceType}) was granted (${q.outcome.partial.join("; ")}): what lies outside it is not known.`;
    case "not-granted":
      return `Not shown: the EHR did not grant access to ${q.query.label} (${q.query.resourceType}).`;
    case "failed":
      return `The ${q.query.label} (${q.query.resourceType}) ${q.outcome.message}.`;
  }
}

export function QueryStatus({ queries }: { queries: readonly LoadedQuery[] }) {
  const problems = queries.map((q) => ({ key: q.query.key, text: queryProblem(q) })).filter((p) => p.text !== null);
  if (problems.length === 0) return null;
  return (
    <ul className="query-status" data-testid="query-status">
      {problems.map((p) => (
        <li key={p.key} data-query={p.key}>
          {p.text}
        </li>
      ))}
    </ul>
  );
}

/** Beside a risk: each optional part it is made without, in the card's sentence, and why. The
 * card's context (the KL grades, the procedures) is no model input but the source of a caveat,
 * which then cannot be said. */
export function DataCaveats({ queries }: { queries: readonly LoadedQuery[] }) {
  if (queries.length === 0) return null;
  return (
    <ul className="query-status">
      {queries.map((q) => (
        <li key={q.query.key} data-testid="data-caveat" data-query={q.query.key}>
          {q.query.use === "model-input" && q.outcome.status === "loaded"
            ? `${queryProblem(q)} The estimate is made from the part granted.`
            : `${unavailableDataCaveat({ query: q.query })} ${queryProblem(q)}`}
        </li>
      ))}
    </ul>
  );
}
