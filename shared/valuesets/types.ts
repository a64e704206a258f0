/** The shape of the value-set tables. */
import type { CODE_SOURCES } from "./sources.ts";
import type { CodeSystemKey } from "./systems.ts";

/** Where a code was taken from, so a reviewer can check it (the citations are in sources.ts). */
export type CodeSource = keyof typeof CODE_SOURCES;

/**
 * How an entry's code matches a coding:
 * - "exact": the code itself (SNOMED CT, RxNorm);
 * - "prefix": the code and every code that starts with it (ICD, ATC), e.g. "M17";
 * - "range": every code that starts with a category in an inclusive range of same-length
 *   categories (ICD), e.g. "H00-H59" or "Z68.25-Z68.45".
 */
export type MatchKind = "exact" | "prefix" | "range";

export interface ValueSetEntry {
  readonly system: CodeSystemKey;
  /** As printed in the source, with the dot for ICD codes. */
  readonly code: string;
  readonly match: MatchKind;
  readonly display: string;
  readonly source: CodeSource;
}

export interface ValueSet<Id extends string> {
  readonly id: Id;
  readonly title: string;
  /** Why the set is drawn the way it is, where that is not obvious. */
  readonly note?: string;
  readonly codes: readonly ValueSetEntry[];
}

/** A table of value sets keyed by id, each set carrying its own key as its id. */
export type ValueSetTable<Id extends string> = { readonly [K in Id]: ValueSet<K> };
