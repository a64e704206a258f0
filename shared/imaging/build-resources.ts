/**
 * From an imaging AI result to FHIR R4 resources, following the HL7 DICOM SR to FHIR mapping
 * conventions (docs/imaging.md): the algorithm as a Device, an imaging DiagnosticReport whose
 * imagingStudy is the source study and whose results are Observations derivedFrom that study,
 * a heat map as Media, a reconstructed series as a new ImagingStudy with a Provenance. Used by
 * the SR importer and the demo simulator, so both write what readImagingResults reads.
 */
import type { DiagnosticReport, Device, ImagingStudy, Media, Observation, Provenance, Reference, Resource } from "fhir/r4";
import { type AlgorithmIdentity, deviceIdOf } from "./algorithms.ts";
import {
  AI_DERIVED_STUDY_TAG,
  BODY_SITE,
  CSAE_CLASSES,
  CSAE_CLASS_VALUE,
  CSAE_HEAT_MAP,
  CSAE_PROBABILITY,
  CSAE_RESULT,
  type CsaeClass,
  DIAGNOSTIC_IMAGING_REPORT,
  IMAGING_AI_SYSTEM,
  IMAGING_SYSTEM,
  KIND_CATEGORY,
  KL_GRADE,
  LATERALITY,
  LATERALITY_EXTENSION,
  RADIOLOGY_CATEGORY,
  SLICE_THICKNESS_EXTENSION,
  type Side,
  SVH_SCORE,
  SVH_TOTAL,
  type SvhMeasure,
  type SvhTotalName,
} from "./codes.ts";
import { SVH_SITE_BY_CODE, svhSiteCoding } from "./svh-sites.ts";

export interface KneeGrade {
  side: Side;
  grade: number;
}
export interface SvhJointScore {
  /** An SvH site code (svh-sites.ts). */
  site: string;
  side: Side;
  measure: SvhMeasure;
  score: number;
}
export interface ReconstructedSeries {
  uid: string;
  description: string;
  sliceCount: number;
  sliceThicknessMm: number;
}

export type ImagingAiFindings =
  | { kind: "kl"; knees: KneeGrade[] }
  | { kind: "svh"; joints: SvhJointScore[]; totals: Record<SvhTotalName, number> }
  | { kind: "csae"; predicted: CsaeClass; probabilities: Record<CsaeClass, number>; heatMap?: { url: string; contentType: string } }
  | { kind: "deepresolve"; sourceSeriesUid: string; series: ReconstructedSeries };

export interface ImagingAiReportInput {
  /** Prefix of every id made for this report (FHIR id characters, at most 50 long: suffixes add up to 14). */
  idPrefix: string;
  patientId: string;
  /** When the algorithm produced the result (FHIR dateTime). */
  issued: string;
  /** When the source images were taken (FHIR dateTime). */
  studyDate: string;
  algorithm: AlgorithmIdentity;
  /** Reference to the source ImagingStudy (`ImagingStudy/<id>` or a transaction's `urn:uuid:`). */
  study: Reference;
  /** The source study's DICOM Study Instance UID, shared by a reconstructed series. */
  studyUid: string;
  findings: ImagingAiFindings;
}

export function buildDevice(algorithm: AlgorithmIdentity): Device {
  return {
    resourceType: "Device",
    id: deviceIdOf(algorithm),
    status: "active",
    manufacturer: algorithm.manufacturer,
    deviceName: [{ name: algorithm.name, type: "model-name" }],
    version: [{ value: algorithm.version }],
  };
}

function lateralityOf(side: Side) {
  return { url: LATERALITY_EXTENSION, valueCodeableConcept: { coding: [LATERALITY[side]] } };
}

/** Builds the Device and every resource of one report; the DiagnosticReport comes second. */
export function buildImagingAiResources(input: ImagingAiReportInput): Resource[] {
  const device = buildDevice(input.algorithm);
  const deviceRef: Reference = { reference: `Device/${device.id}`, display: `${input.algorithm.name} ${input.algorithm.version}` };
  const subject: Reference = { reference: `Patient/${input.patientId}` };
  let n = 0;
  const observation = (fields: Partial<Observation> & Pick<Observation, "code">): Observation => ({
    resourceType: "Observation",
    id: `${input.idPrefix}-o${++n}`,
    status: "final",
    category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "imaging", display: "Imaging" }] }],
    subject,
    effectiveDateTime: input.studyDate,
    issued: input.issued,
    device: deviceRef,
    derivedFrom: [input.study],
    ...fields,
  });

  const observations: Observation[] = [];
  const extra: Resource[] = [];
  const imagingStudies: Reference[] = [input.study];
  const media: DiagnosticReport["media"] = [];
  const f = input.findings;
  if (f.kind === "kl") {
    for (const knee of f.knees) {
      observations.push(observation({
        code: { coding: [KL_GRADE], text: "Kellgren-Lawrence grade" },
        bodySite: { coding: [BODY_SITE.knee], extension: [lateralityOf(knee.side)], text: `${knee.side} knee` },
        valueInteger: knee.grade,
      }));
    }
  } else if (f.kind === "svh") {
    for (const joint of f.joints) {
      const site = SVH_SITE_BY_CODE.get(joint.site);
      observations.push(observation({
        code: { coding: [SVH_SCORE[joint.measure]] },
        bodySite: {
          coding: site ? [svhSiteCoding(site)] : [{ system: IMAGING_AI_SYSTEM, code: joint.site }],
          extension: [lateralityOf(joint.side)],
        },
        valueInteger: joint.score,
      }));
    }
    for (const name of ["erosion", "narrowing", "total"] as const) {
      observations.push(observation({ code: { coding: [SVH_TOTAL[name]] }, valueInteger: f.totals[name] }));
    }
  } else if (f.kind === "csae") {
    const heatMapId = `${input.idPrefix}-heatmap`;
    if (f.heatMap) {
      const heatMap: Media = {
        resourceType: "Media",
        id: heatMapId,
        status: "completed",
        type: { coding: [{ system: IMAGING_SYSTEM.mediaType, code: "image", display: "Image" }] },
        modality: { coding: [CSAE_HEAT_MAP] },
        subject,
        createdDateTime: input.issued,
        device: deviceRef,
        content: { url: f.heatMap.url, contentType: f.heatMap.contentType, title: "CSAE heat map" },
      };
      extra.push(heatMap);
      media.push({ comment: "Class activation heat map", link: { reference: `Media/${heatMapId}` } });
    }
    observations.push(observation({
      code: { coding: [CSAE_RESULT] },
      bodySite: { coding: [BODY_SITE.hand], text: "2nd metacarpal head" },
      valueCodeableConcept: { coding: [CSAE_CLASS_VALUE[f.predicted]] },
      component: CSAE_CLASSES.map((c) => ({
        code: { coding: [CSAE_PROBABILITY[c]] },
        valueQuantity: { value: f.probabilities[c], unit: "probability", system: "http://unitsofmeasure.org", code: "1" },
      })),
    }));
  } else {
    const studyId = `${input.idPrefix}-recon`;
    const reconstructed: ImagingStudy = {
      resourceType: "ImagingStudy",
      id: studyId,
      meta: { tag: [AI_DERIVED_STUDY_TAG] },
      status: "available",
      subject,
      started: input.issued,
      identifier: [{ system: IMAGING_SYSTEM.dicomUid, value: `urn:oid:${input.studyUid}` }],
      description: "DeepResolve thin-slice reconstruction",
      numberOfSeries: 1,
      numberOfInstances: f.series.sliceCount,
      series: [{
        uid: f.series.uid,
        modality: { system: IMAGING_SYSTEM.dicom, code: "MR", display: "Magnetic Resonance" },
        description: f.series.description,
        numberOfInstances: f.series.sliceCount,
        bodySite: { system: BODY_SITE.knee.system, code: BODY_SITE.knee.code, display: BODY_SITE.knee.display },
        extension: [{ url: SLICE_THICKNESS_EXTENSION, valueQuantity: { value: f.series.sliceThicknessMm, unit: "mm", system: "http://unitsofmeasure.org", code: "mm" } }],
      }],
    };
    const provenance: Provenance = {
      resourceType: "Provenance",
      id: `${input.idPrefix}-prov`,
      target: [{ reference: `ImagingStudy/${studyId}` }],
      recorded: input.issued,
      activity: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-DataOperation", code: "DERIVE", display: "derive" }] },
      agent: [{ type: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/provenance-participant-type", code: "assembler", display: "Assembler" }] }, who: deviceRef }],
      entity: [{
        role: "source",
        what: { ...input.study, identifier: { system: IMAGING_SYSTEM.dicomUid, value: `urn:oid:${f.sourceSeriesUid}` } },
      }],
    };
    extra.push(reconstructed, provenance);
    imagingStudies.push({ reference: `ImagingStudy/${studyId}` });
  }

  const report: DiagnosticReport = {
    resourceType: "DiagnosticReport",
    id: `${input.idPrefix}-report`,
    status: "final",
    category: [{ coding: [RADIOLOGY_CATEGORY] }, { coding: [KIND_CATEGORY[f.kind]] }],
    code: { coding: [DIAGNOSTIC_IMAGING_REPORT] },
    subject,
    effectiveDateTime: input.studyDate,
    issued: input.issued,
    imagingStudy: imagingStudies,
    result: observations.map((o) => ({ reference: `Observation/${o.id}` })),
    ...(media.length > 0 ? { media } : {}),
  };
  return [device, report, ...observations, ...extra];
}

