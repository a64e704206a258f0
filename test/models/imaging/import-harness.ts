/** The imaging import command as its tests run it: SR files written to a folder, the command's
 * exit code and printed lines. */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runImport } from "../../../models/imaging/import-command.ts";
import { CSAE_HEAT_MAP_SR, DEEPRESOLVE_SR, SR } from "../../../models/imaging/sr-codes.ts";
import { KNOWN_ALGORITHM_NAME } from "../../../shared/imaging/algorithms.ts";
import { codeItem, group, imageItem, num, projectCode, sct, site, uidItem } from "../../support/sr-writer.ts";

/** Writes `bytes` as `name` in `dir` and gives the path. */
export async function writeSr(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

/** The usage line the command prints after a usage error, and first in its --help. */
export const IMPORT_USAGE = "usage: npm run imaging:import -- FILE... (--fhir BASE --client-id ID --key FILE | --out FILE) [--wado WADO-RS-BASE]";

/** Runs `npm run imaging:import -- ...args` in this process: its exit code and output lines. */
export async function runImportCommand(args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runImport(args, (line) => lines.push(...line.split("\n")));
  return { code, lines };
}

/** An image's SOP class: Secondary Capture, as a heat map is stored. */
const SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";

/** The items of a CSAE result (rheumatoid arthritis: 0.6, psoriatic 0.3, healthy 0.1) that
 * references its heat map, instance 2.25.301 (HEAT_MAP_EVIDENCE: series 2.25.300, study 2.25.100). */
export const CSAE_WITH_HEAT_MAP = [
  codeItem(SR.finding, sct("69896004", "Rheumatoid arthritis")),
  num(projectCode("csae-p-ra", "p"), 0.6),
  num(projectCode("csae-p-psa", "p"), 0.3),
  num(projectCode("csae-p-healthy", "p"), 0.1),
  imageItem(CSAE_HEAT_MAP_SR, SECONDARY_CAPTURE, "2.25.301"),
];

/** The SR's evidence listing the heat map's study and series. */
export const HEAT_MAP_EVIDENCE = [{ studyUid: "2.25.100", seriesUid: "2.25.300", sopClassUid: SECONDARY_CAPTURE, sopInstanceUid: "2.25.301" }];

/** A known algorithm of `kind`, version 3.0. */
export const alg = (kind: keyof typeof KNOWN_ALGORITHM_NAME) => ({ name: KNOWN_ALGORITHM_NAME[kind], version: "3.0" });
export const KNEE = sct("72696002", "Knee");
export const KL = projectCode("kl-grade", "Kellgren-Lawrence grade");

/** A KL grade for each knee, one measurement group each (tracked as "left knee" and "right knee",
 * or with the writer's default tracking identifier). */
export const klGroups = (left: number, right: number, tracked = false) => [
  group(alg("kl"), [site(KNEE, "left"), num(KL, left, "{grade}")], ...(tracked ? ["left knee"] : [])),
  group(alg("kl"), [site(KNEE, "right"), num(KL, right, "{grade}")], ...(tracked ? ["right knee"] : [])),
];

/** A DeepResolve result (series 2.25.202 from 2.25.201, 160 slices) of `thickness` in `unit`. */
export const drGroup = (thickness = 0.7, unit = "mm") =>
  group(alg("deepresolve"), [
    uidItem(DEEPRESOLVE_SR.sourceSeries, "2.25.201"),
    uidItem(DEEPRESOLVE_SR.series, "2.25.202"),
    num(DEEPRESOLVE_SR.sliceCount, 160),
    num(DEEPRESOLVE_SR.sliceThickness, thickness, unit),
  ]);
