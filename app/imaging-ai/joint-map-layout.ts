/**
 * Where each SvH site sits on the joint map: a schematic right hand (dorsal view, thumb on the
 * left) in a 120 x 160 box and a right foot in a 120 x 60 box; the left side is the mirror image.
 */
import type { Side } from "../../shared/imaging/codes.ts";
import type { SvhRegion } from "../../shared/imaging/svh-sites.ts";

export const PANEL_SIZE: Record<SvhRegion, { width: number; height: number }> = {
  hand: { width: 120, height: 160 },
  foot: { width: 120, height: 60 },
};

const RIGHT_POSITION: Record<string, [number, number]> = {
  "hand-pip2": [40, 18], "hand-pip3": [60, 12], "hand-pip4": [80, 18], "hand-pip5": [100, 28],
  "hand-ip1": [10, 48],
  "hand-mcp1": [20, 72], "hand-mcp2": [40, 52], "hand-mcp3": [60, 48], "hand-mcp4": [80, 52], "hand-mcp5": [100, 60],
  "hand-cmc1": [30, 96], "hand-cmc3": [60, 84], "hand-cmc4": [80, 86], "hand-cmc5": [100, 90],
  "hand-trapezium": [40, 108], "hand-stt": [44, 120], "hand-csl": [64, 110],
  "hand-scaphoid": [50, 130], "hand-lunate": [72, 130], "hand-radiocarpal": [62, 142],
  "hand-radius": [52, 154], "hand-ulna": [86, 154],
  "foot-ip1": [20, 14], "foot-mtp1": [20, 42], "foot-mtp2": [42, 38], "foot-mtp3": [62, 38], "foot-mtp4": [82, 40], "foot-mtp5": [102, 44],
};

/** The centre of a site's markers on a panel of that side. */
export function sitePosition(site: string, region: SvhRegion, side: Side): [number, number] | null {
  const p = RIGHT_POSITION[site];
  if (p === undefined) return null;
  return side === "right" ? p : [PANEL_SIZE[region].width - p[0], p[1]];
}
