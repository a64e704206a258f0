/**
 * Whether the scopes a token endpoint granted cover those asked for. RFC 6749 (5.1) lets the
 * server grant fewer than asked, saying so in the response's `scope`; a Bulk Data server then
 * leaves the types not granted out of the export without an error (the IG: the server limits
 * the data to what the client is authorized for). A patient scored without their Conditions
 * gets a risk that looks like any other, so a narrower grant must stop the run.
 */
import { parseSmartScope } from "../../shared/smart-scope.ts";

function covers(granted: string, wanted: string): boolean {
  if (granted === wanted) return true;
  const [g, w] = [parseSmartScope(granted), parseSmartScope(wanted)];
  if (g === null || w === null || g.context !== w.context || (g.type !== "*" && g.type !== w.type)) return false;
  return [...w.permissions].every((letter) => g.permissions.includes(letter));
}

/** The scopes of `requested` that `granted` (space-separated, as in a token response) does not cover. */
export function scopesNotGranted(requested: string, granted: string): string[] {
  const grants = granted.split(/\s+/).filter((s) => s !== "");
  return requested.split(/\s+/).filter((wanted) => wanted !== "" && !grants.some((g) => covers(g, wanted)));
}
