/**
 * The Sharp/van der Heijde (SvH) scoring sites and score ranges (van der Heijde's method as
 * summarised in docs/imaging.md): per hand 16 erosion sites scored 0-5 and 15 narrowing sites
 * scored 0-4; per foot 6 erosion sites scored 0-10 (0-5 per side of the joint) and 6 narrowing
 * sites scored 0-4. Both hands and both feet are scored, so the totals are erosion 0-280,
 * narrowing 0-168 and total 0-448; SVH_TOTAL_MAX is computed from the table, not typed in.
 */
import type { Coding } from "fhir/r4";
import { IMAGING_AI_SYSTEM, type Side, type SvhMeasure, type SvhTotalName } from "./codes.ts";

export type SvhRegion = "hand" | "foot";

export interface SvhSite {
  /** Project code, e.g. "hand-mcp2". */
  code: string;
  region: SvhRegion;
  display: string;
  /** The measures scored at this site. */
  measures: readonly SvhMeasure[];
}

/** Highest score of one site, by region and measure. */
export const SVH_SITE_MAX: Record<SvhRegion, Record<SvhMeasure, number>> = {
  hand: { erosion: 5, narrowing: 4 },
  foot: { erosion: 10, narrowing: 4 },
};

const BOTH: readonly SvhMeasure[] = ["erosion", "narrowing"];
const EROSION: readonly SvhMeasure[] = ["erosion"];
const NARROWING: readonly SvhMeasure[] = ["narrowing"];

function site(region: SvhRegion, key: string, display: string, measures: readonly SvhMeasure[]): SvhSite {
  return { code: `${region}-${key}`, region, display, measures };
}

const fingers = [1, 2, 3, 4, 5];
export const SVH_SITES: readonly SvhSite[] = [
  ...fingers.map((n) => site("hand", `mcp${n}`, `MCP ${n}`, BOTH)),
  ...fingers.slice(1).map((n) => site("hand", `pip${n}`, `PIP ${n}`, BOTH)),
  site("hand", "ip1", "Thumb IP", EROSION),
  site("hand", "cmc1", "CMC 1", EROSION),
  site("hand", "trapezium", "Trapezium and trapezoid", EROSION),
  site("hand", "scaphoid", "Scaphoid", EROSION),
  site("hand", "lunate", "Lunate", EROSION),
  site("hand", "radius", "Distal radius", EROSION),
  site("hand", "ulna", "Distal ulna", EROSION),
  ...[3, 4, 5].map((n) => site("hand", `cmc${n}`, `CMC ${n}`, NARROWING)),
  site("hand", "stt", "Trapezium-scaphoid", NARROWING),
  site("hand", "csl", "Capitate-scaphoid-lunate", NARROWING),
  site("hand", "radiocarpal", "Radiocarpal", NARROWING),
  ...fingers.map((n) => site("foot", `mtp${n}`, `MTP ${n}`, BOTH)),
  site("foot", "ip1", "Great toe IP", BOTH),
];

export const SVH_SITE_BY_CODE: ReadonlyMap<string, SvhSite> = new Map(SVH_SITES.map((s) => [s.code, s]));

export function svhSiteCoding(s: SvhSite): Coding {
  return { system: IMAGING_AI_SYSTEM, code: s.code, display: `${s.region === "hand" ? "Hand" : "Foot"} ${s.display}` };
}

/** Sites scored for a measure in a region (one side). */
export function svhSitesFor(region: SvhRegion, measure: SvhMeasure): SvhSite[] {
  return SVH_SITES.filter((s) => s.region === region && s.measures.includes(measure));
}

const SIDES: readonly Side[] = ["left", "right"];

function maxOf(measure: SvhMeasure): number {
  return (["hand", "foot"] as const).reduce(
    (sum, region) => sum + SIDES.length * svhSitesFor(region, measure).length * SVH_SITE_MAX[region][measure],
    0,
  );
}

export const SVH_TOTAL_MAX: Record<SvhTotalName, number> = {
  erosion: maxOf("erosion"),
  narrowing: maxOf("narrowing"),
  total: maxOf("erosion") + maxOf("narrowing"),
};
