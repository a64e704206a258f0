/**
 * Imaging AI results for simulated patients: a post-pass over a patient's finished record that
 * adds, from its own random stream (STREAM.imaging), results consistent with the record:
 * a knee radiograph KL grade after knee pain or a knee OA diagnosis, a knee MRI with a
 * DeepResolve series for some of those, an SvH scoring and a CSAE classification after a
 * rheumatoid arthritis diagnosis. It never changes the record it reads, and the simulator's
 * own output does not depend on it (a test proves the bytes are unchanged). Every number
 * here is an ASSUMPTION made for demo data, not epidemiology.
 */
import type { Condition, ImagingStudy, Resource } from "fhir/r4";
import { KNOWN_ALGORITHM_NAME } from "../../shared/imaging/algorithms.ts";
import { type ImagingAiFindings, buildImagingAiResources } from "../../shared/imaging/build-resources.ts";
import { BODY_SITE, CSAE_CLASSES, type CsaeClass, IMAGING_SYSTEM, type ImagingAiKind, type Side } from "../../shared/imaging/codes.ts";
import { SVH_SITES, SVH_SITE_MAX } from "../../shared/imaging/svh-sites.ts";
import { matchDiagnosis } from "../../shared/valuesets.ts";
import { Random, STREAM } from "./random.ts";

export const IMAGING_ASSUMPTIONS = {
  /** Share of patients with knee pain or knee OA who have a graded knee radiograph. */
  klRadiograph: 0.7,
  /** Share of those who also have a knee MRI reconstructed by DeepResolve. */
  kneeMri: 0.3,
  /** Share of patients with rheumatoid arthritis with SvH-scored hand and foot radiographs. */
  svhScoring: 0.8,
  /** Share of patients with rheumatoid arthritis with a CSAE-classified HR-pQCT. */
  csae: 0.6,
} as const;

const MANUFACTURER = "Patella demo (synthetic results)";
const VERSION = "demo-1";
const DAY = 86_400_000;

interface Episode {
  date: string;
  side: Side | null;
}

/** Side named by an ICD-10-CM knee code (M17.11 / M25.561 right, M17.12 / M25.562 left). */
function sideOfCondition(c: Condition): Side | null {
  const codes = (c.code?.coding ?? []).map((x) => x.code ?? "");
  if (codes.some((x) => x === "M17.11" || x === "M25.561")) return "right";
  if (codes.some((x) => x === "M17.12" || x === "M25.562")) return "left";
  return null;
}

function firstEpisode(conditions: Condition[], test: (c: Condition) => boolean): Episode | null {
  const dated = conditions
    .filter(test)
    .map((c) => ({ date: c.recordedDate ?? c.onsetDateTime ?? "", side: sideOfCondition(c) }))
    .filter((e) => e.date !== "")
    .sort((a, b) => a.date.localeCompare(b.date));
  return dated[0] ?? null;
}

/** A DICOM UID under the 2.25 (UUID-derived) root, from the stream. */
function uid(random: Random): string {
  return `2.25.${1 + random.int(0, 8)}${[0, 1, 2].map(() => String(random.nextUint32()).padStart(10, "0")).join("")}`;
}

/** A date `days` after `from` (an ISO date or dateTime), not after the record's end. */
function later(from: string, days: number, endDate: string): string {
  const t = Math.min(Date.parse(from.slice(0, 10)) + days * DAY, Date.parse(endDate));
  return new Date(t).toISOString().slice(0, 10) + "T10:00:00Z";
}

export interface ImagingSimulationOptions {
  seed: number;
  /** The patient's number in the cohort (the one its other streams use). */
  patientNumber: number;
  /** Last day of the record (YYYY-MM-DD). */
  endDate: string;
}

export function simulateImagingResults(record: readonly Resource[], options: ImagingSimulationOptions): Resource[] {
  const random = new Random(options.seed, options.patientNumber, STREAM.imaging);
  const patientId = record.find((r) => r.resourceType === "Patient")?.id;
  if (patientId === undefined) return [];
  const conditions = record.filter((r): r is Condition => r.resourceType === "Condition");
  const out: Resource[] = [];
  let n = 0;

  const add = (kind: ImagingAiKind, date: string, modality: string, findings: ImagingAiFindings, series?: { uid: string; bodySite: keyof typeof BODY_SITE }) => {
    const studyUid = uid(random);
    // Patient ids are at most 64 characters; the simulator's are 36, leaving room for the suffixes.
    const idPrefix = `${patientId.slice(0, 40)}-i${++n}`;
    const studyId = `${idPrefix}-src`;
    const study: ImagingStudy = {
      resourceType: "ImagingStudy",
      id: studyId,
      status: "available",
      subject: { reference: `Patient/${patientId}` },
      identifier: [{ system: IMAGING_SYSTEM.dicomUid, value: `urn:oid:${studyUid}` }],
      started: date,
      modality: [{ system: IMAGING_SYSTEM.dicom, code: modality }],
      ...(series ? { series: [{ uid: series.uid, modality: { system: IMAGING_SYSTEM.dicom, code: modality }, bodySite: BODY_SITE[series.bodySite] }] } : {}),
    };
    out.push(study, ...buildImagingAiResources({
      idPrefix,
      patientId,
      issued: later(date, 1, options.endDate),
      studyDate: date,
      algorithm: { name: KNOWN_ALGORITHM_NAME[kind], version: VERSION, manufacturer: MANUFACTURER },
      study: { reference: `ImagingStudy/${studyId}` },
      studyUid,
      findings,
    }));
  };

  const kneeOa = firstEpisode(conditions, (c) => matchDiagnosis(c.code).kneeOa);
  const kneePain = firstEpisode(conditions, (c) => matchDiagnosis(c.code).ids.includes("knee_pain"));
  const knee = kneeOa ?? kneePain;
  if (knee !== null && random.chance(IMAGING_ASSUMPTIONS.klRadiograph)) {
    const date = later(knee.date, random.int(0, 30), options.endDate);
    const side: Side = knee.side ?? (random.chance(0.5) ? "left" : "right");
    // Radiographic OA (KL 2-4) with a diagnosis; KL 0-2 with knee pain alone. The other knee is no worse.
    const worst = kneeOa !== null ? random.int(2, 4) : random.int(0, 2);
    const other = random.int(0, worst);
    add("kl", date, "DX", { kind: "kl", knees: [{ side, grade: worst }, { side: side === "left" ? "right" : "left", grade: other }] });
    if (random.chance(IMAGING_ASSUMPTIONS.kneeMri)) {
      const sourceSeriesUid = uid(random);
      const mriDate = later(date, random.int(7, 60), options.endDate);
      add("deepresolve", mriDate, "MR", {
        kind: "deepresolve",
        sourceSeriesUid,
        series: { uid: uid(random), description: "Sagittal DESS, DeepResolve thin-slice reconstruction", sliceCount: 160, sliceThicknessMm: 0.7 },
      }, { uid: sourceSeriesUid, bodySite: "knee" });
    }
  }

  const ra = firstEpisode(conditions, (c) => matchDiagnosis(c.code).ids.includes("inflammatory_arthritis"));
  if (ra !== null && random.chance(IMAGING_ASSUMPTIONS.svhScoring)) {
    const date = later(ra.date, random.int(30, 365), options.endDate);
    const years = Math.max(0, (Date.parse(options.endDate) - Date.parse(ra.date)) / (365.25 * DAY));
    // Damage accrues with disease duration: more sites affected, up to 60% of a site's maximum.
    const affected = Math.min(0.5, 0.05 + 0.04 * years);
    const joints = SVH_SITES.flatMap((site) => site.measures.flatMap((measure) => (["left", "right"] as const).map((side) => ({
      site: site.code, side, measure, score: random.chance(affected) ? random.int(1, Math.ceil(SVH_SITE_MAX[site.region][measure] * 0.6)) : 0,
    }))));
    const sum = (m: string) => joints.filter((j) => j.measure === m).reduce((s, j) => s + j.score, 0);
    add("svh", date, "DX", { kind: "svh", joints, totals: { erosion: sum("erosion"), narrowing: sum("narrowing"), total: sum("erosion") + sum("narrowing") } });
  }
  if (ra !== null && random.chance(IMAGING_ASSUMPTIONS.csae)) {
    const date = later(ra.date, random.int(30, 365), options.endDate);
    const pRa = Math.round((0.45 + 0.4 * random.uniform()) * 100) / 100;
    const pPsa = Math.round((1 - pRa) * random.uniform() * 100) / 100;
    const probabilities: Record<CsaeClass, number> = { ra: pRa, psa: pPsa, healthy: Math.round((1 - pRa - pPsa) * 100) / 100 };
    const predicted = CSAE_CLASSES.reduce((best, c) => (probabilities[c] > probabilities[best] ? c : best), "ra" as CsaeClass);
    add("csae", date, "CT", { kind: "csae", predicted, probabilities });
  }
  return out;
}
