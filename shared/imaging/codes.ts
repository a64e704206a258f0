/**
 * Codes of the imaging AI results (docs/imaging.md lists each one with its source). Standard codes
 * where they exist (LOINC, SNOMED CT, DICOM DCM); the project CodeSystem IMAGING_AI_SYSTEM for
 * what has none: Sharp/van der Heijde scores and sites, the CSAE class probabilities, the
 * healthy class, and a knee's Kellgren-Lawrence grade.
 */
import type { Coding } from "fhir/r4";

export const IMAGING_SYSTEM = {
  loinc: "http://loinc.org",
  snomed: "http://snomed.info/sct",
  dicom: "http://dicom.nema.org/resources/ontology/DCM",
  v2DiagnosticService: "http://terminology.hl7.org/CodeSystem/v2-0074",
  mediaType: "http://terminology.hl7.org/CodeSystem/media-type",
  dicomUid: "urn:dicom:uid",
} as const;

/** The project CodeSystem (docs/imaging.md, "Project codes"). */
export const IMAGING_AI_SYSTEM = "https://patella.example.org/fhir/CodeSystem/imaging-ai";
/** Extension on Observation.bodySite carrying the side (R4 Observation has no laterality element). */
export const LATERALITY_EXTENSION = "https://patella.example.org/fhir/StructureDefinition/laterality";
/** Extension on ImagingStudy.series carrying the slice thickness of a reconstructed series. */
export const SLICE_THICKNESS_EXTENSION = "https://patella.example.org/fhir/StructureDefinition/slice-thickness";

const loinc = (code: string, display: string): Coding => ({ system: IMAGING_SYSTEM.loinc, code, display });
const sct = (code: string, display: string): Coding => ({ system: IMAGING_SYSTEM.snomed, code, display });
const project = (code: string, display: string): Coding => ({ system: IMAGING_AI_SYSTEM, code, display });

/** LOINC 18748-4: the code of every imaging DiagnosticReport here. */
export const DIAGNOSTIC_IMAGING_REPORT = loinc("18748-4", "Diagnostic imaging study");
export const RADIOLOGY_CATEGORY: Coding = { system: IMAGING_SYSTEM.v2DiagnosticService, code: "RAD", display: "Radiology" };

export type Side = "left" | "right";
export const LATERALITY: Record<Side, Coding> = { left: sct("7771000", "Left"), right: sct("24028007", "Right") };

export const BODY_SITE = {
  knee: sct("72696002", "Knee"),
  hand: sct("85562004", "Hand"),
  foot: sct("56459004", "Foot"),
} as const;

/** The four kinds of result; each report carries its kind as a category coding. */
export type ImagingAiKind = "kl" | "svh" | "csae" | "deepresolve";
export const KIND_CATEGORY: Record<ImagingAiKind, Coding> = {
  kl: project("kl-report", "Knee radiograph Kellgren-Lawrence grading"),
  svh: project("svh-report", "Sharp/van der Heijde joint damage scoring"),
  csae: project("csae-report", "HR-pQCT arthritis classification"),
  deepresolve: project("deepresolve-report", "MRI thin-slice reconstruction"),
};

export const KL_GRADE = project("kl-grade", "Kellgren-Lawrence grade");

export type SvhMeasure = "erosion" | "narrowing";
export const SVH_SCORE: Record<SvhMeasure, Coding> = {
  erosion: project("svh-erosion", "Sharp/van der Heijde erosion score of a joint"),
  narrowing: project("svh-narrowing", "Sharp/van der Heijde joint space narrowing score of a joint"),
};
export type SvhTotalName = "erosion" | "narrowing" | "total";
export const SVH_TOTAL: Record<SvhTotalName, Coding> = {
  erosion: project("svh-erosion-total", "Sharp/van der Heijde erosion score, total"),
  narrowing: project("svh-narrowing-total", "Sharp/van der Heijde joint space narrowing score, total"),
  total: project("svh-total", "Sharp/van der Heijde total score"),
};

export type CsaeClass = "ra" | "psa" | "healthy";
export const CSAE_CLASSES: readonly CsaeClass[] = ["ra", "psa", "healthy"];
export const CSAE_RESULT = project("csae-class", "Arthritis class predicted from the 2nd metacarpal head shape");
/** The predicted class as the Observation's value. */
export const CSAE_CLASS_VALUE: Record<CsaeClass, Coding> = {
  ra: sct("69896004", "Rheumatoid arthritis"),
  psa: sct("33339001", "Psoriasis with arthropathy"),
  healthy: project("healthy", "No arthritis (healthy control)"),
};
/** One component per class: the class probability. */
export const CSAE_PROBABILITY: Record<CsaeClass, Coding> = {
  ra: project("csae-p-ra", "Probability of rheumatoid arthritis"),
  psa: project("csae-p-psa", "Probability of psoriatic arthritis"),
  healthy: project("csae-p-healthy", "Probability of no arthritis"),
};
export const CSAE_HEAT_MAP = project("csae-heat-map", "Class activation heat map");
/** Tag of an ImagingStudy made by an algorithm (a DeepResolve reconstruction): it shares the
 * source's Study Instance UID, so finding the source study by UID must leave it out
 * (`_tag:not`, import-bundle.ts). */
export const AI_DERIVED_STUDY_TAG = project("ai-derived-study", "Study made by an imaging algorithm");

/** Rounding the class probabilities may leave: they must sum to 1 within this. */
export const PROBABILITY_SUM_TOLERANCE = 0.011;

export function sameCoding(a: { system?: string; code?: string } | undefined, b: Coding): boolean {
  return a !== undefined && a.system === b.system && a.code === b.code;
}

export function hasCoding(codings: readonly { system?: string; code?: string }[] | undefined, target: Coding): boolean {
  return (codings ?? []).some((c) => sameCoding(c, target));
}
