/**
 * DICOM SR codes the importer reads (TID 1500 "Measurement Report" and TID 1501 measurement
 * groups, DICOM PS3.16; sources in docs/imaging.md), and how SR coding scheme designators map
 * to FHIR code systems. Project codes travel in SR under the private designator 99PATELLA.
 */
import { IMAGING_AI_SYSTEM, IMAGING_SYSTEM } from "../../shared/imaging/codes.ts";

export interface SrCode {
  CodeValue: string;
  CodingSchemeDesignator: string;
  CodeMeaning: string;
}

export const PROJECT_DESIGNATOR = "99PATELLA";

const dcm = (CodeValue: string, CodeMeaning: string): SrCode => ({ CodeValue, CodingSchemeDesignator: "DCM", CodeMeaning });
const sct = (CodeValue: string, CodeMeaning: string): SrCode => ({ CodeValue, CodingSchemeDesignator: "SCT", CodeMeaning });
export const projectCode = (CodeValue: string, CodeMeaning: string): SrCode => ({ CodeValue, CodingSchemeDesignator: PROJECT_DESIGNATOR, CodeMeaning });

export const SR = {
  measurementReport: dcm("126000", "Imaging Measurement Report"),
  imagingMeasurements: dcm("126010", "Imaging Measurements"),
  measurementGroup: dcm("125007", "Measurement Group"),
  trackingIdentifier: dcm("112039", "Tracking Identifier"),
  algorithmName: dcm("111001", "Algorithm Name"),
  algorithmVersion: dcm("111003", "Algorithm Version"),
  finding: dcm("121071", "Finding"),
  findingSite: sct("363698007", "Finding Site"),
  laterality: sct("272741003", "Laterality"),
} as const;

/** The Measurement Report template: the only one imported. */
export const TID_MEASUREMENT_REPORT = "1500";

/** Project codes of the DeepResolve group (no standard concept names the series' roles). */
export const DEEPRESOLVE_SR = {
  sourceSeries: projectCode("dr-source-series", "Source series"),
  series: projectCode("dr-series", "Reconstructed series"),
  description: projectCode("dr-series-description", "Reconstructed series description"),
  sliceCount: projectCode("dr-slice-count", "Number of slices"),
  sliceThickness: projectCode("dr-slice-thickness", "Slice thickness"),
} as const;

/** Concept name of the IMAGE item that references the CSAE heat map (sr-heat-map.ts). */
export const CSAE_HEAT_MAP_SR = projectCode("csae-heat-map", "Class activation heat map");

/** SR coding scheme designator to FHIR system (the ones these results use). */
export const DESIGNATOR_SYSTEM: Readonly<Record<string, string>> = {
  DCM: IMAGING_SYSTEM.dicom,
  SCT: IMAGING_SYSTEM.snomed,
  LN: IMAGING_SYSTEM.loinc,
  [PROJECT_DESIGNATOR]: IMAGING_AI_SYSTEM,
};

export function isCode(item: { CodeValue?: unknown; CodingSchemeDesignator?: unknown } | undefined, code: SrCode): boolean {
  return item !== undefined && item.CodeValue === code.CodeValue && item.CodingSchemeDesignator === code.CodingSchemeDesignator;
}
