/** Says, in the section that needs them, which parts of the record could not be had and why. */
import { KL_GRADES_UNREAD } from "../../shared/imaging/kl-caveat.ts";
import { unavailableDataCaveat } from "../../shared/unavailable-data.ts";
import type { LoadedQuery } from "../data/load-record.ts";

/** Said beside the risk when the procedures could not be read: the knee-replacement caveat then
 * rests on the diagnoses alone (an artificial knee joint, shared/knee-replaced.ts). The app's own
 * sentence: the card reads procedures from prefetch only and says nothing when they are absent. */
const PROCEDURES_UNREAD = "Procedures could not be read: a knee replacement would be noted here only if the diagnoses record an artificial knee joint.";

/** For each query of the card's context (shared/risk-record-queries.ts), the caveat its absence leaves unsaid. */
const CONTEXT_UNREAD: Readonly<Record<string, string>> = { kneeKlGrades: KL_GRADES_UNREAD, procedures: PROCEDURES_UNREAD };

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
          {q.query.use === "card-context"
            ? `${CONTEXT_UNREAD[q.query.key]} ${queryProblem(q)}`
            : q.outcome.status === "loaded"
              ? `${queryProblem(q)} The estimate is made from the part granted.`
              : `${unavailableDataCaveat(q.query.label)} ${queryProblem(q)}`}
        </li>
      ))}
    </ul>
  );
}
