/**
 * Which resource types a token's granted scopes let the app read and search. Read from the
 * token response's `scope`, never assumed from what was asked: an EHR or a user may grant less.
 * SMART v2 (`patient/Condition.rs`, `patient/*.rs`) and v1 (`patient/Condition.read`).
 */
import { smartScopes } from "../../shared/smart-scope.ts";

export type Interaction = "read" | "search";

export function grants(grantedScope: string, resourceType: string, interaction: Interaction): boolean {
  const letter = interaction === "read" ? "r" : "s";
  return smartScopes(grantedScope).some(
    (scope) => scope.context !== "system" && (scope.type === "*" || scope.type === resourceType) && scope.permissions.includes(letter),
  );
}
