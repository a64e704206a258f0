/**
 * The record's own words for the codes the model did not recognise, so that Data quality can
 * say "Seasonal allergy http://snomed.info/sct|300910009" and not the bare code. A code means
 * the same wherever the record writes it, so codings are looked for anywhere in the resources,
 * in document order, and the first display given for a code is kept. The walk uses a stack, not
 * recursion: a hostile record may nest far deeper than the call stack allows.
 */
import { clipped, MAX_DISPLAY_CHARS } from "../../shared/clipped-text.ts";
import { words } from "../../shared/concept-name.ts";
import { codingKey } from "../../shared/valuesets/matching.ts";

/** For each of `keys` (system|code, as the quality report names them) the first display found. */
export function codeDisplays(resources: readonly unknown[], keys: ReadonlySet<string>): Map<string, string> {
  const found = new Map<string, string>();
  const stack: unknown[] = [...resources].reverse();
  while (stack.length > 0 && found.size < keys.size) {
    const value = stack.pop();
    if (value === null || typeof value !== "object") continue;
    const children = Array.isArray(value) ? value : Object.values(value);
    if (!Array.isArray(value)) {
      const { system, code, display } = value as { system?: unknown; code?: unknown; display?: unknown };
      const shown = words(display);
      if (typeof code === "string" && shown !== undefined) {
        const key = codingKey(system, code);
        if (keys.has(key) && !found.has(key)) found.set(key, clipped(shown, MAX_DISPLAY_CHARS));
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return found;
}
