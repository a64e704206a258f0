/**
 * SMART App Launch 2.x scopes ("scopes v2"): parsing, narrowing a request to what the sandbox
 * grants, and checking one FHIR interaction against a grant.
 *
 * Only v2 resource scopes are understood (`patient/Condition.rs`, `user/*.cruds`,
 * `system/*.rs`); v1 `.read`/`.write` scopes are dropped from the grant, which SMART allows
 * (the granted `scope` in the token response tells the client what it got).
 */

export type ScopeContext = "patient" | "user" | "system";
/** SMART v2 permission letters, in their mandatory order. */
const PERMISSION_ORDER = "cruds";
export type Permission = "c" | "r" | "u" | "d" | "s";

export interface ResourceScope {
  context: ScopeContext;
  /** A resource type or "*". */
  resourceType: string;
  permissions: ReadonlySet<Permission>;
  /** The scope exactly as written. */
  text: string;
}

const RESOURCE_SCOPE = /^(patient|user|system)\/([A-Z][A-Za-z]+|\*)\.([cruds]+)(\?.*)?$/;

/** Parses one v2 resource scope; undefined for anything else (launch, openid, v1 scopes...).
 * Letters must follow the `cruds` order and appear once, as the spec requires. Scopes with
 * `?` search constraints are refused (undefined) rather than granted wider than asked. */
export function parseResourceScope(text: string): ResourceScope | undefined {
  const m = RESOURCE_SCOPE.exec(text);
  if (!m || m[4] !== undefined) return undefined;
  const letters = m[3] ?? "";
  let last = -1;
  for (const letter of letters) {
    const at = PERMISSION_ORDER.indexOf(letter);
    if (at <= last) return undefined;
    last = at;
  }
  return {
    context: m[1] as ScopeContext,
    resourceType: m[2] ?? "",
    permissions: new Set(letters.split("") as Permission[]),
    text,
  };
}

export function splitScopes(scope: string | undefined): string[] {
  return (scope ?? "").split(/\s+/).filter((s) => s.length > 0);
}

/** Scopes that are not resource scopes but that the sandbox grants when asked for. */
const NON_RESOURCE_SCOPES = new Set(["launch", "launch/patient", "openid", "fhirUser", "offline_access", "online_access"]);

/** Which scopes a user-facing (authorization code) client may receive. */
export function grantInteractiveScopes(requested: string): string[] {
  return splitScopes(requested).filter((s) => {
    if (NON_RESOURCE_SCOPES.has(s)) return true;
    const parsed = parseResourceScope(s);
    // system/ scopes belong to Backend Services only; read-only access for everyone else,
    // because the sandbox's demo data must stay identical for every demo and test run.
    return parsed !== undefined && parsed.context !== "system" && isReadOnly(parsed);
  });
}

/** Which scopes a Backend Services client may receive: system scopes, read-only unless the
 * client is registered as a writer, which may also create and update (never delete: the sandbox
 * has no delete). */
export function grantSystemScopes(requested: string, mayWrite = false): string[] {
  const allowed: ReadonlySet<Permission> = new Set<Permission>(mayWrite ? ["c", "r", "u", "s"] : ["r", "s"]);
  return splitScopes(requested).filter((s) => {
    const parsed = parseResourceScope(s);
    return parsed !== undefined && parsed.context === "system" && [...parsed.permissions].every((p) => allowed.has(p));
  });
}

function isReadOnly(scope: ResourceScope): boolean {
  return [...scope.permissions].every((p) => p === "r" || p === "s");
}

/** True when one of the granted scopes allows `permission` on `resourceType`. */
export function allows(granted: readonly string[], resourceType: string, permission: Permission): boolean {
  return granted.some((text) => {
    const scope = parseResourceScope(text);
    return (
      scope !== undefined &&
      (scope.resourceType === "*" || scope.resourceType === resourceType) &&
      scope.permissions.has(permission)
    );
  });
}

/** True when every granted resource scope is limited to the patient in context, so that the
 * token can read nothing outside that patient's compartment. */
export function isPatientScoped(granted: readonly string[]): boolean {
  const resourceScopes = granted.map(parseResourceScope).filter((s) => s !== undefined);
  return resourceScopes.every((s) => s.context === "patient");
}
