/**
 * One SMART scope, `context/Type.permissions`, read the same way by the app (what a token lets it
 * read) and the population job's Bulk Data client (whether a token endpoint granted what was
 * asked): SMART v2 letters (`rs`, `cruds`) and v1 `read`, `write` and `*` as the letters they mean.
 */
export interface SmartScope {
  context: "patient" | "user" | "system";
  /** A resource type, or "*". */
  type: string;
  /** v2 permission letters (c, r, u, d, s). */
  permissions: string;
}

const SCOPE = /^(patient|user|system)\/([A-Z][A-Za-z]+|\*)\.(read|write|\*|[cruds]+)$/;
const V1_PERMISSIONS: Readonly<Record<string, string>> = { read: "rs", write: "cud", "*": "cruds" };

/** The scope, or null for anything else (openid, launch, a v2 scope narrowed by a query). */
export function parseSmartScope(text: string): SmartScope | null {
  const match = SCOPE.exec(text);
  if (match === null) return null;
  const suffix = match[3]!;
  return { context: match[1] as SmartScope["context"], type: match[2]!, permissions: V1_PERMISSIONS[suffix] ?? suffix };
}

