/**
 * Whether the scopes a token endpoint granted cover those asked for. RFC 6749 (5.1) lets the
 * server grant fewer than asked, saying so in the response's `scope`; a Bulk Data server then
 * leaves the types not granted out of the export without an error (the IG: the server limits
 * the data to what the client is authorized for). A patient scored without their Conditions
 * gets a risk that looks like any other, so a narrower grant must stop the run.
 */

/** The permissions a SMART scope grants: v1 `read`/`write`/`*`, or v2 letters (`rs`, `cruds`). */
function permissions(suffix: string): string {
  if (suffix === "read") return "rs";
  if (suffix === "write") return "cud";
  if (suffix === "*") return "cruds";
  return /^c?r?u?d?s?$/.test(suffix) ? suffix : "";
}

/** `context/Type.permissions`; null for other scopes (and v2 scopes narrowed by a query). */
function parse(scope: string): { context: string; type: string; permissions: string } | null {
  const match = /^(system|user|patient)\/([A-Za-z]+|\*)\.([a-z*]+)$/.exec(scope);
  return match === null ? null : { context: match[1]!, type: match[2]!, permissions: permissions(match[3]!) };
}

function covers(granted: string, wanted: string): boolean {
  if (granted === wanted) return true;
  const [g, w] = [parse(granted), parse(wanted)];
  if (g === null || w === null || g.context !== w.context || (g.type !== "*" && g.type !== w.type)) return false;
  return [...w.permissions].every((letter) => g.permissions.includes(letter));
}

/** The scopes of `requested` that `granted` (space-separated, as in a token response) does not cover. */
export function scopesNotGranted(requested: string, granted: string): string[] {
  const grants = granted.split(/\s+/).filter((s) => s !== "");
  return requested.split(/\s+/).filter((wanted) => wanted !== "" && !grants.some((g) => covers(g, wanted)));
}
