/** Valid imaging AI results of each kind, as FHIR resources, for the imaging tests. */
import type { ImagingStudy, Observation, Resource } from "fhir/r4";
import { KNOWN_ALGORITHM_NAME } from "../../shared/imaging/algorithms.ts";
import { type ImagingAiFindings, buildImagingAiResources } from "../../shared/imaging/build-resources.ts";
import { IMAGING_SYSTEM } from "../../shared/imaging/codes.ts";

export const STUDY_UID = "1.2.826.0.1.3680043.8.498.1";

export function sourceStudy(id = "study-1", patientId = "p1"): ImagingStudy {
  return {
    resourceType: "ImagingStudy",
    id,
    status: "available",
    subject: { reference: `Patient/${patientId}` },
    identifier: [{ system: IMAGING_SYSTEM.dicomUid, value: `urn:oid:${STUDY_UID}` }],
    started: "2025-03-01T09:00:00Z",
  };
}

export const FINDINGS: { [K in ImagingAiFindings["kind"]]: Extract<ImagingAiFindings, { kind: K }> } = {
  kl: { kind: "kl", knees: [{ side: "left", grade: 1 }, { side: "right", grade: 3 }] },
  svh: {
    kind: "svh",
    joints: [
      { site: "hand-mcp2", side: "left", measure: "erosion", score: 3 },
      { site: "foot-mtp5", side: "right", measure: "erosion", score: 7 },
      { site: "hand-pip3", side: "right", measure: "narrowing", score: 2 },
    ],
    totals: { erosion: 10, narrowing: 2, total: 12 },
  },
  csae: { kind: "csae", predicted: "ra", probabilities: { ra: 0.62, psa: 0.25, healthy: 0.13 }, heatMap: { url: "https://images.example.org/heat/1.png", contentType: "image/png" } },
  deepresolve: { kind: "deepresolve", sourceSeriesUid: "1.2.826.0.1.3680043.8.498.2", series: { uid: "1.2.826.0.1.3680043.8.498.3", description: "DESS thin-slice", sliceCount: 160, sliceThicknessMm: 0.7 } },
};

export function exampleResources(findings: ImagingAiFindings, overrides: { issued?: string; idPrefix?: string; algorithmName?: string } = {}): Resource[] {
  return [
    sourceStudy(),
    ...buildImagingAiResources({
      idPrefix: overrides.idPrefix ?? `ex-${findings.kind}`,
      patientId: "p1",
      issued: overrides.issued ?? "2025-03-02T10:00:00Z",
      studyDate: "2025-03-01T09:00:00Z",
      algorithm: { name: overrides.algorithmName ?? KNOWN_ALGORITHM_NAME[findings.kind], version: "1.2.0", manufacturer: "Example AI Inc." },
      study: { reference: "ImagingStudy/study-1" },
      studyUid: STUDY_UID,
      findings,
    }),
  ];
}

type KneeGrade = Extract<ImagingAiFindings, { kind: "kl" }>["knees"][number];

/**
 * The KL grade Observations (one per knee) of an example grading of `patientId`'s knees, with ids
 * `<idPrefix>-o1`, ... (default prefix `kl-<patientId>`), dated `day` when given (else as
 * exampleResources dates the study).
 */
export function klGradeObservations(patientId: string, knees: KneeGrade[], options: { idPrefix?: string; day?: string } = {}): Observation[] {
  return exampleResources({ kind: "kl", knees }, { idPrefix: options.idPrefix ?? `kl-${patientId}` })
    .filter((r): r is Observation => r.resourceType === "Observation")
    .map((o) => ({ ...o, subject: { reference: `Patient/${patientId}` }, ...(options.day === undefined ? {} : { effectiveDateTime: `${options.day}T09:00:00Z` }) }));
}

/** A copy of `resources` with each resource of `type` passed through `change` (the originals untouched). */
export function editedResources<T extends Resource>(resources: readonly Resource[], type: T["resourceType"], change: (r: T, i: number) => void): Resource[] {
  const copy = structuredClone(resources) as Resource[];
  copy.filter((r): r is T => r.resourceType === type).forEach(change);
  return copy;
}
