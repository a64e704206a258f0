/**
 * Sample results for the standalone preview page: every kind, one invalid result, one report
 * the reader cannot read (skipped), built with
 * the shared builders and read with the shared reader, exactly as the app would get them.
 */
import type { ImagingStudy, Resource } from "fhir/r4";
import { KNOWN_ALGORITHM_NAME } from "../../../shared/imaging/algorithms.ts";
import { type ImagingAiFindings, buildImagingAiResources } from "../../../shared/imaging/build-resources.ts";
import { IMAGING_SYSTEM } from "../../../shared/imaging/codes.ts";
import { type ImagingAiReading, readImagingResults } from "../../../shared/imaging/read-results.ts";
import { SVH_SITES, SVH_SITE_MAX } from "../../../shared/imaging/svh-sites.ts";

const STUDY_UID = "2.25.1001";

function report(idPrefix: string, issued: string, findings: ImagingAiFindings): Resource[] {
  return buildImagingAiResources({
    idPrefix,
    patientId: "preview",
    issued,
    studyDate: issued,
    algorithm: { name: KNOWN_ALGORITHM_NAME[findings.kind], version: "2.1.0", manufacturer: "Preview Imaging AI" },
    study: { reference: "ImagingStudy/preview-study" },
    studyUid: STUDY_UID,
    findings,
  });
}

/** A patterned set of SvH scores: every site scored, worse in the hands' MCPs and the feet's MTPs. */
function svhFindings(): ImagingAiFindings {
  const joints = SVH_SITES.flatMap((site, i) =>
    site.measures.flatMap((measure) =>
      (["left", "right"] as const).map((side) => {
        const max = SVH_SITE_MAX[site.region][measure];
        const bad = /mcp|mtp/.test(site.code) ? 0.8 : 0.2;
        return { site: site.code, side, measure, score: Math.min(max, Math.round(max * bad * ((i % 3) / 2))) };
      }),
    ),
  );
  const sum = (m: string) => joints.filter((j) => j.measure === m).reduce((s, j) => s + j.score, 0);
  return { kind: "svh", joints, totals: { erosion: sum("erosion"), narrowing: sum("narrowing"), total: sum("erosion") + sum("narrowing") } };
}

/** A report that lost its id on the way: the reader counts it as skipped. */
function withoutReportId(resources: Resource[]): Resource[] {
  return resources.map((r) => (r.resourceType === "DiagnosticReport" ? { ...r, id: undefined } : r));
}

export function previewResults(): ImagingAiReading {
  const study: ImagingStudy = {
    resourceType: "ImagingStudy",
    id: "preview-study",
    status: "available",
    subject: { reference: "Patient/preview" },
    identifier: [{ system: IMAGING_SYSTEM.dicomUid, value: `urn:oid:${STUDY_UID}` }],
  };
  const resources: Resource[] = [
    study,
    ...report("kl-new", "2025-04-02T10:00:00Z", { kind: "kl", knees: [{ side: "left", grade: 2 }, { side: "right", grade: 3 }] }),
    ...report("kl-old", "2023-02-11T10:00:00Z", { kind: "kl", knees: [{ side: "left", grade: 5 }] }),
    ...report("svh", "2025-01-20T10:00:00Z", svhFindings()),
    ...report("csae", "2024-11-05T10:00:00Z", { kind: "csae", predicted: "psa", probabilities: { ra: 0.21, psa: 0.67, healthy: 0.12 }, heatMap: { url: "https://viewer.example.org/heat/preview.png", contentType: "image/png" } }),
    ...withoutReportId(report("kl-lost", "2024-09-01T10:00:00Z", { kind: "kl", knees: [{ side: "left", grade: 1 }] })),
    ...report("dr", "2024-06-18T10:00:00Z", { kind: "deepresolve", sourceSeriesUid: "2.25.1002", series: { uid: "2.25.1003", description: "DESS sagittal, DeepResolve thin-slice", sliceCount: 160, sliceThicknessMm: 0.7 } }),
  ];
  return readImagingResults(resources, { viewerUrlTemplate: "https://viewer.example.org/viewer?StudyInstanceUIDs={studyUid}" });
}
