/**
 * Which resource types a token's granted scopes let the app read and search. Read from the
 * token response's `scope`, never assumed from what was asked: an EHR or a user may grant less.
 * SMART v2 (`patient/Condition.rs`, `patient/*.rs`) and v1 (`patient/Condition.read`), and v2's
 * granular scopes (SMART App Launch 2.x, "Finer-grained resource constraints using search
 * parameters"): a scope with a `?param=value&...` suffix grants only the resources that search
 * finds, e.g. `patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs`.
 */
import { parseSmartScope } from "../../shared/smart-scope.ts";

export type Interaction = "read" | "search";

/** All of the type, part of it (the restrictions of the granular scopes that grant it, each a
 * `param=value&...` search), or none. */
export type ScopeGrant = "all" | { restrictions: string[] } | "none";

/** A granted scope, its restriction split off (null: none); null for a scope that is not a resource scope. */
function grantedScope(text: string) {
  const [base = "", restriction] = text.split(/\?(.*)/s);
  const scope = parseSmartScope(base);
  if (scope === null || restriction === "") return null;
  return { scope, restriction: restriction ?? null };
}

export function scopeGrant(grantedScopes: string, resourceType: string, interaction: Interaction): ScopeGrant {
  const letter = interaction === "read" ? "r" : "s";
  const granting = grantedScopes
    .split(/\s+/)
    .map(grantedScope)
    .filter((g) => g !== null && g.scope.context !== "system" && (g.scope.type === "*" || g.scope.type === resourceType) && g.scope.permissions.includes(letter));
  if (granting.length === 0) return "none";
  const restrictions = granting.map((g) => g!.restriction);
  return restrictions.includes(null) ? "all" : { restrictions: [...new Set(restrictions as string[])] };
}
