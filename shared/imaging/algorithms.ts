/**
 * The imaging AI algorithms Patella knows, one per kind of result (sources in docs/imaging.md).
 * A result whose Device names another algorithm is shown as invalid: the app cannot vouch for
 * what an unknown algorithm's numbers mean.
 */
import type { ImagingAiKind } from "./codes.ts";

export interface AlgorithmIdentity {
  name: string;
  version: string;
  manufacturer: string;
}

export const KNOWN_ALGORITHM_NAME: Record<ImagingAiKind, string> = {
  deepresolve: "DeepResolve",
  svh: "SvH scorer with local label smoothing",
  csae: "CSAE arthritis classifier",
  kl: "Knee KL grader",
};

/** Human names of the kinds, in the order the app lists them. */
export const KIND_TITLE: Record<ImagingAiKind, string> = {
  kl: "Knee osteoarthritis grade (Kellgren-Lawrence)",
  svh: "Joint damage score (Sharp/van der Heijde)",
  csae: "Arthritis classification (HR-pQCT)",
  deepresolve: "Thin-slice knee MRI reconstruction",
};

export function isKnownAlgorithm(kind: ImagingAiKind, name: string | undefined): boolean {
  return name !== undefined && name.trim().toLowerCase() === KNOWN_ALGORITHM_NAME[kind].toLowerCase();
}

/**
 * A FHIR id for an algorithm's Device, the same for every report by that algorithm version: a
 * readable slug and a hash of the exact name and version. The slug alone made "1.0 beta" and
 * "1.0-beta" (or two long versions cut at the same length) one Device, so one report showed the
 * other's version.
 */
export function deviceIdOf(algorithm: AlgorithmIdentity): string {
  const slug = `${algorithm.name}-${algorithm.version}`.toLowerCase().replace(/[^a-z0-9.]+/g, "-").replace(/^-|-$/g, "");
  const hash = fnv1a(`${algorithm.name}\u0000${algorithm.version}`);
  return `ai-${slug.slice(0, 64 - 4 - hash.length)}-${hash}`;
}

/** 32-bit FNV-1a of the string's UTF-16 code units, as 8 hex digits (no crypto in the browser build). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}
