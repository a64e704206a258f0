/**
 * Which resource types a token's granted scopes let the app read and search. Read from the
 * token response's `scope`, never assumed from what was asked: an EHR or a user may grant less.
 * SMART v2 (`patient/Condition.rs`, `patient/*.rs`) and v1 (`patient/Condition.read`).
 */
export type Interaction = "read" | "search";

const SCOPE = /^(patient|user)\/([A-Z][A-Za-z]+|\*)\.(read|\*|[cruds]+)$/;

export function grants(grantedScope: string, resourceType: string, interaction: Interaction): boolean {
  const letter = interaction === "read" ? "r" : "s";
  return grantedScope.split(/\s+/).some((text) => {
    const m = SCOPE.exec(text);
    if (m === null || (m[2] !== "*" && m[2] !== resourceType)) return false;
    const permissions = m[3] as string;
    return permissions === "read" || permissions === "*" || permissions.includes(letter);
  });
}
