/** Shorthands that turn [code, display] rows of one system and one source into table entries. */
import { PREFIX_SYSTEMS, type CodeSystemKey } from "./systems.ts";
import type { CodeSource, MatchKind, ValueSetEntry } from "./types.ts";

type Row = readonly [code: string, display: string];

/** Entries of one system and one source; the match kind follows from the system and code. */
function rows(system: CodeSystemKey, source: CodeSource, list: readonly Row[]): ValueSetEntry[] {
  return list.map(([code, display]) => {
    const match: MatchKind = !PREFIX_SYSTEMS.has(system) ? "exact" : code.includes("-") ? "range" : "prefix";
    return { system, code, match, display, source };
  });
}
export const sct = (source: CodeSource, list: readonly Row[]) => rows("snomed", source, list);
export const icd10 = (source: CodeSource, list: readonly Row[]) => rows("icd10cm", source, list);
export const icd9 = (source: CodeSource, list: readonly Row[]) => rows("icd9cm", source, list);
export const rx = (source: CodeSource, list: readonly Row[]) => rows("rxnorm", source, list);
export const atc = (source: CodeSource, list: readonly Row[]) => rows("atc", source, list);
export const pcs = (source: CodeSource, list: readonly Row[]) => rows("icd10pcs", source, list);
export const cpt = (source: CodeSource, list: readonly Row[]) => rows("cpt", source, list);

/**
 * ICD-9-CM codes of one category for the given fifth digits, e.g. the sites of 715.1 or the
 * type-2 fifth digits of 250.x: ICD-9-CM puts these distinctions in the last digit, so a
 * category prefix alone would take in codes that belong elsewhere.
 */
export function icd9Digits(categories: readonly string[], digits: readonly number[], display: string): Row[] {
  return categories.flatMap((category) => digits.map((d): Row => [`${category}${d}`, display]));
}

/** ICD-9-CM 715 subcategories whose fifth digit is the site (0 site unspecified ... 9 multiple). */
export const OA_715_SITED = ["715.1", "715.2", "715.3", "715.9"] as const;
