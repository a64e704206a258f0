/**
 * One SMART scope, `context/Type.permissions[?param=value&...]`, read the same way by the app
 * (what a token lets it read, what its config may ask for) and the population job's Bulk Data
 * client (whether a token endpoint granted what was asked): SMART v2 letters (`rs`, `cruds`) and
 * v1 `read`, `write` and `*` as the letters they mean, and v2's granular scopes (SMART App
 * Launch 2.x, "Finer-grained resource constraints using search parameters"), e.g.
 * `patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs`.
 */
export interface SmartScope {
  context: "patient" | "user" | "system";
  /** A resource type, or "*". */
  type: string;
  /** v2 permission letters (c, r, u, d, s). */
  permissions: string;
  /** How the permissions were written: 1 (`read`, `write`, `*`) or 2 (letters). */
  version: 1 | 2;
  /** A granular scope's search (`param=value&...`, as written): only what it finds is granted;
   * null for the whole type. */
  restriction: string | null;
}

/** A search's parameters, each `name=value`, joined by `&`: no empty name or value, no space. */
const PARAMETER = "[^\\s?&=]+=[^\\s&]+";
const SCOPE = new RegExp(`^(patient|user|system)/([A-Z][A-Za-z]+|\\*)\\.(read|write|\\*|[cruds]+)(?:\\?(${PARAMETER}(?:&${PARAMETER})*))?$`);
const V1_PERMISSIONS: Readonly<Record<string, string>> = { read: "rs", write: "cud", "*": "cruds" };

/** The scope, a granular one's restriction included, or null for anything else (openid, launch,
 * a restriction that is not a search). */
export function parseSmartScopeWithRestriction(text: string): SmartScope | null {
  const match = SCOPE.exec(text);
  if (match === null) return null;
  const suffix = match[3]!;
  const v1 = V1_PERMISSIONS[suffix];
  return {
    context: match[1] as SmartScope["context"],
    type: match[2]!,
    permissions: v1 ?? suffix,
    version: v1 === undefined ? 2 : 1,
    restriction: match[4] ?? null,
  };
}

/** A scope of the whole type, or null for anything else, a granular scope included: for callers
 * that compare whole-type grants (the population job's export covers every resource of a type). */
export function parseSmartScope(text: string): SmartScope | null {
  const scope = parseSmartScopeWithRestriction(text);
  return scope?.restriction === null ? scope : null;
}
