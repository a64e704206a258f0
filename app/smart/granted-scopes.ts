/**
 * Which resource types a token's granted scopes let the app read and search. Read from the
 * token response's `scope`, never assumed from what was asked: an EHR or a user may grant less.
 * SMART v2 (`patient/Condition.rs`, `patient/*.rs`) and v1 (`patient/Condition.read`), and v2's
 * granular scopes (shared/smart-scope.ts): a scope with a `?param=value&...` restriction grants
 * only the resources that search finds.
 */
import { parseSmartScopeWithRestriction } from "../../shared/smart-scope.ts";

export type Interaction = "read" | "search";

/** All of the type, part of it (the restrictions of the granular scopes that grant it, each a
 * `param=value&...` search), or none. */
export type ScopeGrant = "all" | { restrictions: string[] } | "none";

export function scopeGrant(grantedScopes: string, resourceType: string, interaction: Interaction): ScopeGrant {
  const letter = interaction === "read" ? "r" : "s";
  const restrictions = grantedScopes
    .split(/\s+/)
    .map(parseSmartScopeWithRestriction)
    .filter((s) => s !== null && s.context !== "system" && (s.type === "*" || s.type === resourceType) && s.permissions.includes(letter))
    .map((s) => s!.restriction);
  if (restrictions.length === 0) return "none";
  return restrictions.includes(null) ? "all" : { restrictions: [...new Set(restrictions as string[])] };
}
