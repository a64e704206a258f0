/** Says, in the section that needs them, which parts of the record could not be had and why. */
import type { LoadedQuery } from "../data/load-record.ts";

export function queryProblem(q: LoadedQuery): string | null {
  switch (q.outcome.status) {
    case "loaded":
      return null;
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
