/**
 * The record's own words for the codes the model did not recognise, so that Data quality can
 * say "Pain in right knee (http://snomed.info/sct|247373008)" and not the bare code. A code means
 * the same wherever the record writes it, so codings are looked for anywhere in the resources,
 * in document order, and the first display given for a code is kept. The walk uses a stack, not
 * recursion: a hostile record may nest far deeper than the call stack allows.
 */
import { codingKey } from "../../shared/valuesets/matching.ts";

/** Displays longer than this are cut (a server's text, shown in a list of codes). */
export const MAX_DISPLAY_CHARS = 120;

function clip(text: string): string {
  return text.length <= MAX_DISPLAY_CHARS ? text : `${text.slice(0, MAX_DISPLAY_CHARS - 1)}…`;
}

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
      if (typeof code === "string" && typeof display === "string" && display.trim() !== "") {
        const key = codingKey(system, code);
        if (keys.has(key) && !found.has(key)) found.set(key, clip(display.trim()));
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return found;
}
