/**
 * The one stored resource that a conditional interaction's search names: a conditional create's
 * `ifNoneExist`, a conditional update's `PUT Type?criteria` and a conditional reference
 * (`Practitioner?identifier=...`) all find their resource this way, and all refuse the
 * transaction when the search matches several (412) or is not a valid search (400).
 */
import type { Bundle } from "fhir/r4";
import type { Query } from "./access-control.ts";
import type { SearchEngine } from "./search-engine.ts";
import { Refusal } from "./transaction-refusal.ts";

/** The id of the one `type` matching `criteria` (a query string), or null when none does.
 * `subject` names the interaction in messages, e.g. `entry 3: ifNoneExist "identifier=x|1"`. */
export async function matchOne(engine: SearchEngine, type: string, criteria: string, subject: string): Promise<string | null> {
  const query: Query = Object.fromEntries(new URLSearchParams(criteria));
  // Two are enough to know that the criteria do not name one resource.
  const result = await engine.search(type, { ...query, _count: "2" });
  if (result.status !== 200) throw new Refusal(400, "invalid", `${subject}: ${result.resource.issue?.[0]?.diagnostics ?? "not a valid search"}`);
  const matches = ((result.resource as Bundle).entry ?? []).filter((e) => e.search?.mode !== "include");
  if (matches.length > 1) throw new Refusal(412, "invalid", `${subject} matches more than one ${type}`);
  return matches[0]?.resource?.id ?? null;
}
