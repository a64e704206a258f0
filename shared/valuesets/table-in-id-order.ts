import { deepFreeze } from "./deep-freeze.ts";
import type { ValueSetTable } from "./types.ts";

/**
 * Joins the per-domain tables into one, keyed in channel order (the order the ids list gives,
 * whatever file a set lives in), and freezes it. The parameter type makes a missing id a
 * compile error.
 */
export function tableInIdOrder<Id extends string>(ids: readonly Id[], sets: ValueSetTable<Id>): ValueSetTable<Id> {
  return deepFreeze(Object.fromEntries(ids.map((id) => [id, sets[id]])) as ValueSetTable<Id>);
}
