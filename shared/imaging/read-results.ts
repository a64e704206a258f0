/**
 * Reads imaging AI results from a patient's FHIR resources: one result per imaging
 * DiagnosticReport that carries a kind category (codes.ts), with its algorithm, source study,
 * viewer link and values. Every rule of docs/imaging.md is checked here; a result that breaks
 * one carries its problems and must be shown as invalid, never as numbers. Nothing throws:
 * resources that do not fit become problems or skipped entries.
 */
import { clipped } from "../clipped-text.ts";
import type { JsonObject } from "../features/fhir-read.ts";
import { statusExclusion } from "../features/resource-status.ts";
import { parseFhirDay } from "../fhir-dates.ts";
import { parseReference } from "../fhir-references.ts";
import { type AlgorithmIdentity, KIND_TITLE, isKnownAlgorithm } from "./algorithms.ts";
import type { KneeGrade, ReconstructedSeries, SvhJointScore } from "./build-resources.ts";
import {
  BODY_SITE,
  CSAE_CLASSES,
  CSAE_CLASS_VALUE,
  CSAE_PROBABILITY,
  CSAE_RESULT,
  type CsaeClass,
  IMAGING_AI_SYSTEM,
  IMAGING_SYSTEM,
  type ImagingAiKind,
  KIND_CATEGORY,
  KL_GRADE,
  LATERALITY,
  LATERALITY_EXTENSION,
  PROBABILITY_SUM_TOLERANCE,
  SLICE_THICKNESS_EXTENSION,
  type Side,
  SVH_SCORE,
  SVH_TOTAL,
  type SvhMeasure,
  type SvhTotalName,
  hasCoding,
} from "./codes.ts";
import {
  type CodeableConcept,
  DeviceSchema,
  DiagnosticReportSchema,
  EndpointSchema,
  type FhirDiagnosticReport,
  type FhirImagingStudy,
  type FhirObservation,
  ImagingStudySchema,
  MediaSchema,
  ObservationSchema,
  ProvenanceSchema,
  describeIssues,
} from "./schemas.ts";
import { newestFirst } from "./newest-first.ts";
import { SVH_SITE_BY_CODE, SVH_SITE_MAX, SVH_TOTAL_MAX } from "./svh-sites.ts";
import { dicomUidOf, isHttpUrl, viewerUrlOf } from "./viewer-url.ts";

export const KL_GRADE_MAX = 4;


/** The longest algorithm name, version, maker or series description shown or quoted: DICOM's LO,
 * where these come from. A longer one is not shown (it would swamp the panel). */
const MAX_LABEL = 64;

/**
 * What a reconstructed knee MRI series can be, so that a hostile number is a problem, not shown.
 * Slices: a knee MRI covers at most about 200 mm across its slices, at 0.1 mm (thinner than any
 * clinical MRI resolves) that is 2000. Thickness: 0.1 mm, the same limit, to 10 mm, thicker than
 * the thick slices DeepResolve starts from (up to about 4 mm in [1] of docs/imaging.md), which a
 * reconstruction makes thinner.
 */
const SLICE_COUNT_MAX = 2000;
const SLICE_THICKNESS_MM = { min: 0.1, max: 10 } as const;

/** A label as a problem (or the importer's line on the terminal) quotes it, at most MAX_LABEL characters. */
export function quotedLabel(value: string): string {
  return clipped(value, MAX_LABEL);
}

interface ResultBase {
  reportId: string;
  issued: string | null;
  studyDate: string | null;
  algorithm: Partial<AlgorithmIdentity> & { known: boolean };
  viewerUrl: string | null;
  /** Empty when valid. Otherwise the result is invalid and its values must not be shown. */
  problems: string[];
}
export interface KlResult extends ResultBase {
  kind: "kl";
  knees: KneeGrade[];
}
export interface SvhResult extends ResultBase {
  kind: "svh";
  joints: SvhJointScore[];
  /** Recomputed from the joints. */
  totals: Record<SvhTotalName, number>;
  /** As reported by the algorithm, where it reported them. */
  reportedTotals: Partial<Record<SvhTotalName, number>>;
}
export interface CsaeResult extends ResultBase {
  kind: "csae";
  predicted: CsaeClass | null;
  probabilities: Partial<Record<CsaeClass, number>>;
  /** `notLinked` says why the app must not link `url`; null when it may (heatMapNotLinked). */
  heatMap: { url: string; contentType: string | null; notLinked: string | null } | null;
}
export interface DeepResolveResult extends ResultBase {
  kind: "deepresolve";
  series: ReconstructedSeries | null;
  sourceSeriesUid: string | null;
}
export type ImagingAiResult = KlResult | SvhResult | CsaeResult | DeepResolveResult;

export interface ImagingAiReading {
  /** Newest first (by issued, then study date). */
  results: ImagingAiResult[];
  /** Imaging AI reports that could not be read at all (no id), with the reason. */
  skipped: string[];
}

export interface ReadOptions {
  /** Viewer URL template (viewer-url.ts); without one, results have no viewer link. */
  viewerUrlTemplate?: string;
  /** Origins (scheme://host[:port]) of the site's image servers: a heat map there may be linked,
   * and a viewer template may start with an Endpoint's address there (viewer-url.ts). */
  imageOrigins?: readonly string[];
}

type Indexed = Map<string, Record<string, unknown>>;

function indexResources(resources: readonly unknown[]): Indexed {
  const index: Indexed = new Map();
  for (const r of resources) {
    if (typeof r !== "object" || r === null) continue;
    const { resourceType, id } = r as { resourceType?: unknown; id?: unknown };
    if (typeof resourceType === "string" && typeof id === "string") index.set(`${resourceType}/${id}`, r as Record<string, unknown>);
  }
  return index;
}

function kindOf(report: Record<string, unknown>): ImagingAiKind | null {
  const categories = Array.isArray(report.category) ? (report.category as { coding?: unknown }[]) : [];
  for (const kind of Object.keys(KIND_CATEGORY) as ImagingAiKind[]) {
    if (categories.some((c) => Array.isArray(c?.coding) && hasCoding(c.coding as { system?: string; code?: string }[], KIND_CATEGORY[kind]))) return kind;
  }
  return null;
}

/** The indexed key of a reference ("Type/id"), or null when it is not a typed reference. */
function keyOf(reference: string | undefined): string | null {
  const target = parseReference(reference);
  return target === null || target.type === null ? null : `${target.type}/${target.id}`;
}

function sideOf(bodySite: CodeableConcept | undefined): Side | null {
  const ext = bodySite?.extension?.find((e) => e.url === LATERALITY_EXTENSION);
  const codings = (ext?.valueCodeableConcept as { coding?: { system?: string; code?: string }[] } | undefined)?.coding;
  if (hasCoding(codings, LATERALITY.left)) return "left";
  if (hasCoding(codings, LATERALITY.right)) return "right";
  return null;
}

function integerValue(o: FhirObservation): number | null {
  const v = o.valueInteger ?? o.valueQuantity?.value;
  return typeof v === "number" && Number.isInteger(v) ? v : null;
}

/** Reads and checks one report; `problems` collects every broken rule. */
class ReportReader {
  readonly problems: string[] = [];
  private readonly deviceRefs = new Set<string>();
  /** "Patient/<id>" of the report; every resource of the result must be about the same patient. */
  private readonly patient: string | null;

  constructor(
    private readonly index: Indexed,
    readonly report: FhirDiagnosticReport,
  ) {
    this.patient = keyOf(report.subject?.reference);
    if (this.patient === null) this.problems.push("the report names no patient");
  }

  /** A resource that names a patient must name the report's. */
  samePatient(what: string, subject: { reference?: string } | undefined): void {
    if (this.patient !== null && subject !== undefined && keyOf(subject.reference) !== this.patient) {
      this.problems.push(`${what} is about another patient than the report`);
    }
  }

  get<T>(key: string | null, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: import("zod/mini").core.$ZodError } }, what: string): T | null {
    if (key === null) {
      this.problems.push(`${what}: not a resolvable reference`);
      return null;
    }
    const raw = this.index.get(key);
    if (raw === undefined) {
      this.problems.push(`${what} ${key} is missing`);
      return null;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      this.problems.push(`${key} does not fit: ${describeIssues(parsed.error)}`);
      return null;
    }
    return parsed.data;
  }

  noteDevice(reference: string | undefined): void {
    const key = keyOf(reference);
    if (key !== null) this.deviceRefs.add(key);
  }

  sourceStudy(): FhirImagingStudy | null {
    const first = this.report.imagingStudy?.[0];
    if (first === undefined) {
      this.problems.push("the report names no source ImagingStudy");
      return null;
    }
    return this.study(keyOf(first.reference), "source ImagingStudy");
  }

  /** An ImagingStudy the report names, which must be the same patient's. */
  study(key: string | null, what: string): FhirImagingStudy | null {
    const study = this.get(key, ImagingStudySchema, what);
    if (study !== null) this.samePatient(`ImagingStudy/${study.id}`, study.subject);
    return study;
  }

  observations(studyKey: string | null): FhirObservation[] {
    const out: FhirObservation[] = [];
    for (const ref of this.report.result ?? []) {
      const o = this.get(keyOf(ref.reference), ObservationSchema, "result Observation");
      if (o === null) continue;
      this.noteDevice(o.device?.reference);
      this.samePatient(`Observation/${o.id}`, o.subject);
      // The feature builder's rule for an Observation that does not count (shared/features/resource-status.ts).
      if (statusExclusion(o as unknown as JsonObject, "Observation") !== undefined) this.problems.push(`Observation/${o.id} is ${o.status}`);
      if (studyKey !== null && !(o.derivedFrom ?? []).some((d) => keyOf(d.reference) === studyKey)) {
        this.problems.push(`Observation/${o.id} is not derivedFrom the report's ImagingStudy`);
      }
      out.push(o);
    }
    return out;
  }

  algorithm(kind: ImagingAiKind): ResultBase["algorithm"] {
    if (this.deviceRefs.size !== 1) {
      this.problems.push(this.deviceRefs.size === 0 ? "no algorithm Device is named" : "the results name different algorithm Devices");
      return { known: false };
    }
    const device = this.get([...this.deviceRefs][0]!, DeviceSchema, "algorithm Device");
    const name = device?.deviceName?.[0]?.name;
    const known = isKnownAlgorithm(kind, name);
    if (device !== null && !known) this.problems.push(`unknown algorithm "${name === undefined ? "(no name)" : quotedLabel(name)}" for this kind of result`);
    return {
      ...this.label("name", name),
      ...this.label("version", device?.version?.[0]?.value),
      ...this.label("manufacturer", device?.manufacturer),
      known,
    };
  }

  /**
   * A Device identity string as `{ [field]: value }`, or nothing when absent or too long to show:
   * a problem, but for the name (too long to be a known one: the unknown-algorithm problem says so).
   */
  private label(field: keyof AlgorithmIdentity, value: string | undefined): Partial<AlgorithmIdentity> {
    if (value === undefined) return {};
    if (value.length <= MAX_LABEL) return { [field]: value };
    if (field !== "name") this.problems.push(`the algorithm Device's ${field} is longer than ${MAX_LABEL} characters`);
    return {};
  }

  /** A FHIR date of the report, or null with a problem when it is there but no date (2025-02-30). */
  date(value: string | undefined, what: string): string | null {
    if (value === undefined) return null;
    if (parseFhirDay(value) !== null) return value;
    this.problems.push(`the report's ${what} date is not a FHIR date`);
    return null;
  }
}

/** One KL grade Observation checked on its own: the knee, its side and a grade 0-4, or what is wrong. */
export function klGradeOf(o: FhirObservation): KneeGrade | string {
  const side = sideOf(o.bodySite);
  const grade = integerValue(o);
  if (!hasCoding(o.code.coding, KL_GRADE)) return `Observation/${o.id} is not a KL grade`;
  if (!hasCoding(o.bodySite?.coding, BODY_SITE.knee) || side === null) return `Observation/${o.id}: a KL grade needs a knee and its laterality`;
  if (grade === null || grade < 0 || grade > KL_GRADE_MAX) return `Observation/${o.id}: KL grade must be an integer 0-${KL_GRADE_MAX}`;
  return { side, grade };
}

function readKl(r: ReportReader, observations: FhirObservation[]): Pick<KlResult, "kind" | "knees"> {
  const knees: KneeGrade[] = [];
  for (const o of observations) {
    const knee = klGradeOf(o);
    if (typeof knee === "string") r.problems.push(knee);
    else if (knees.some((k) => k.side === knee.side)) r.problems.push(`two KL grades for the ${knee.side} knee`);
    else knees.push(knee);
  }
  if (observations.length === 0) r.problems.push("the report has no KL grade");
  return { kind: "kl", knees: knees.sort((a, b) => a.side.localeCompare(b.side)) };
}

function readSvh(r: ReportReader, observations: FhirObservation[]): Pick<SvhResult, "kind" | "joints" | "totals" | "reportedTotals"> {
  const joints: SvhJointScore[] = [];
  const reportedTotals: Partial<Record<SvhTotalName, number>> = {};
  const seen = new Set<string>();
  for (const o of observations) {
    const value = integerValue(o);
    const total = (Object.keys(SVH_TOTAL) as SvhTotalName[]).find((t) => hasCoding(o.code.coding, SVH_TOTAL[t]));
    if (total !== undefined) {
      if (value === null || value < 0 || value > SVH_TOTAL_MAX[total]) r.problems.push(`${total} total must be an integer 0-${SVH_TOTAL_MAX[total]}`);
      else reportedTotals[total] = value;
      continue;
    }
    const measure = (Object.keys(SVH_SCORE) as SvhMeasure[]).find((m) => hasCoding(o.code.coding, SVH_SCORE[m]));
    const site = SVH_SITE_BY_CODE.get(o.bodySite?.coding?.find((c) => c.system === IMAGING_AI_SYSTEM)?.code ?? "");
    const side = sideOf(o.bodySite);
    if (measure === undefined) {
      r.problems.push(`Observation/${o.id} is not an SvH score`);
    } else if (site === undefined || !site.measures.includes(measure) || side === null) {
      r.problems.push(`Observation/${o.id}: not an SvH ${measure} site with laterality`);
    } else if (value === null || value < 0 || value > SVH_SITE_MAX[site.region][measure]) {
      r.problems.push(`${side} ${site.region} ${site.display} ${measure} must be an integer 0-${SVH_SITE_MAX[site.region][measure]}`);
    } else if (seen.has(`${site.code}|${side}|${measure}`)) {
      r.problems.push(`${side} ${site.region} ${site.display} ${measure} is scored twice`);
    } else {
      seen.add(`${site.code}|${side}|${measure}`);
      joints.push({ site: site.code, side, measure, score: value });
    }
  }
  const sum = (m: SvhMeasure) => joints.filter((j) => j.measure === m).reduce((s, j) => s + j.score, 0);
  const totals = { erosion: sum("erosion"), narrowing: sum("narrowing"), total: sum("erosion") + sum("narrowing") };
  for (const name of Object.keys(reportedTotals) as SvhTotalName[]) {
    if (reportedTotals[name] !== totals[name]) {
      r.problems.push(`reported ${name} total ${reportedTotals[name]} does not match ${totals[name]}, the sum of the joint scores`);
    }
  }
  if (joints.length === 0) r.problems.push("the report has no joint scores");
  return { kind: "svh", joints, totals, reportedTotals };
}

/**
 * Why a heat map's http(s) address is not to be linked, or null: only the site's image servers
 * (`imageOrigins`: its PACS's DICOMweb, where the importer's WADO-RS addresses point) and the
 * image viewer's origin (the one its template starts with, by the rule of viewer links,
 * isHttpUrl) are the site's own. A Media elsewhere, which anyone who may write to the record can
 * make, would send the clinician to a site of its choosing from Patella's page. The FHIR server
 * is not among them: a browser opens its URLs without the app's token.
 */
function heatMapNotLinked(url: string, options: ReadOptions): string | null {
  const origin = new URL(url).origin;
  const viewer = options.viewerUrlTemplate !== undefined && isHttpUrl(options.viewerUrlTemplate) ? [new URL(options.viewerUrlTemplate).origin] : [];
  if ([...(options.imageOrigins ?? []), ...viewer].includes(origin)) return null;
  return `it is stored on ${quotedLabel(origin)}, which is neither one of the site's image servers nor the image viewer's`;
}

function readCsae(r: ReportReader, observations: FhirObservation[], options: ReadOptions): Pick<CsaeResult, "kind" | "predicted" | "probabilities" | "heatMap"> {
  const o = observations.find((x) => hasCoding(x.code.coding, CSAE_RESULT));
  const probabilities: Partial<Record<CsaeClass, number>> = {};
  let heatMap: CsaeResult["heatMap"] = null;
  for (const link of r.report.media ?? []) {
    const media = r.get(keyOf(link.link.reference), MediaSchema, "heat map Media");
    if (media === null) continue;
    r.noteDevice(media.device?.reference);
    r.samePatient(`Media/${media.id}`, media.subject);
    if (media.content.url === undefined) r.problems.push(`Media/${media.id} has no image URL`);
    else if (!isHttpUrl(media.content.url)) r.problems.push(`Media/${media.id} has an image URL that is not http(s)`);
    else heatMap = { url: media.content.url, contentType: media.content.contentType ?? null, notLinked: heatMapNotLinked(media.content.url, options) };
  }
  if (o === undefined || observations.length !== 1) {
    r.problems.push("the report must hold exactly one classification Observation");
    return { kind: "csae", predicted: null, probabilities, heatMap };
  }
  const predicted = CSAE_CLASSES.find((c) => hasCoding(o.valueCodeableConcept?.coding, CSAE_CLASS_VALUE[c])) ?? null;
  if (predicted === null) r.problems.push("the predicted class is not rheumatoid arthritis, psoriatic arthritis or healthy");
  for (const c of CSAE_CLASSES) {
    const components = (o.component ?? []).filter((x) => hasCoding(x.code.coding, CSAE_PROBABILITY[c]));
    const value = components[0]?.valueQuantity?.value;
    if (components.length > 1) r.problems.push(`${CSAE_PROBABILITY[c].display} is given ${components.length} times`);
    else if (value === undefined || value < 0 || value > 1) r.problems.push(`${CSAE_PROBABILITY[c].display} must be a number 0-1`);
    else probabilities[c] = value;
  }
  const values = Object.values(probabilities);
  const sum = values.reduce((s, v) => s + v, 0);
  if (values.length === CSAE_CLASSES.length && Math.abs(sum - 1) > PROBABILITY_SUM_TOLERANCE) {
    r.problems.push(`the class probabilities sum to ${sum.toFixed(3)}, not 1`);
  }
  if (predicted !== null && values.length === CSAE_CLASSES.length && values.some((v) => v > probabilities[predicted]!)) {
    r.problems.push("the predicted class is not the most probable one");
  }
  return { kind: "csae", predicted, probabilities, heatMap };
}

function readDeepResolve(r: ReportReader, provenances: Record<string, unknown>[]): Pick<DeepResolveResult, "kind" | "series" | "sourceSeriesUid"> {
  const reconRef = r.report.imagingStudy?.[1];
  const none = { kind: "deepresolve" as const, series: null, sourceSeriesUid: null };
  if (reconRef === undefined) {
    r.problems.push("the report names no reconstructed ImagingStudy");
    return none;
  }
  const reconKey = keyOf(reconRef.reference);
  const study = r.study(reconKey, "reconstructed ImagingStudy");
  const provenance = provenances
    .map((p) => ProvenanceSchema.safeParse(p))
    .find((p) => p.success && p.data.target.some((t) => keyOf(t.reference) === reconKey));
  let sourceSeriesUid: string | null = null;
  if (provenance?.success !== true) {
    r.problems.push("no Provenance names the source of the reconstructed series");
  } else {
    for (const agent of provenance.data.agent) r.noteDevice(agent.who.reference);
    sourceSeriesUid = dicomUidOf(provenance.data.entity?.find((e) => e.role === "source")?.what.identifier?.value);
    if (sourceSeriesUid === null) r.problems.push(`Provenance/${provenance.data.id} names no source series UID`);
  }
  const series = study?.series?.[0];
  if (study === null) return { ...none, sourceSeriesUid };
  if (series === undefined) {
    r.problems.push(`ImagingStudy/${study.id} has no series`);
    return { ...none, sourceSeriesUid };
  }
  const sliceCount = series.numberOfInstances;
  const thickness = series.extension?.find((e) => e.url === SLICE_THICKNESS_EXTENSION)?.valueQuantity?.value;
  if (sliceCount === undefined || !Number.isInteger(sliceCount) || sliceCount < 1) r.problems.push("the reconstructed series has no slice count");
  else if (sliceCount > SLICE_COUNT_MAX) r.problems.push(`the reconstructed series has ${sliceCount} slices; a knee MRI series has 1-${SLICE_COUNT_MAX}`);
  if (thickness === undefined || !(thickness > 0)) r.problems.push("the reconstructed series has no slice thickness");
  else if (thickness < SLICE_THICKNESS_MM.min || thickness > SLICE_THICKNESS_MM.max) {
    r.problems.push(`the reconstructed series' slices are ${thickness} mm thick; a knee MRI slice is ${SLICE_THICKNESS_MM.min}-${SLICE_THICKNESS_MM.max} mm`);
  }
  if ((series.description ?? "").length > MAX_LABEL) r.problems.push(`the reconstructed series description is longer than ${MAX_LABEL} characters`);
  return {
    kind: "deepresolve",
    sourceSeriesUid,
    series: { uid: series.uid, description: series.description ?? "", sliceCount: sliceCount ?? 0, sliceThicknessMm: thickness ?? 0 },
  };
}

function studyUidOf(study: FhirImagingStudy | null): string | null {
  return dicomUidOf(study?.identifier?.find((i) => i.system === IMAGING_SYSTEM.dicomUid)?.value);
}

/**
 * The viewer link of each ImagingStudy of `resources` (its DICOM Study UID and Endpoint, as for a
 * result's link), by "ImagingStudy/<id>"; a study without a template, a UID, or a value the
 * template names has none. The imaging panel links studies only this way: a FHIR resource URL
 * opens nothing in a browser without the app's token. One index of the resources for all studies.
 */
export function studyViewerUrls(resources: readonly unknown[], { viewerUrlTemplate, imageOrigins }: ReadOptions): ReadonlyMap<string, string> {
  const urls = new Map<string, string>();
  if (viewerUrlTemplate === undefined || viewerUrlTemplate === "") return urls;
  const index = indexResources(resources);
  for (const [key, resource] of index) {
    if (!key.startsWith("ImagingStudy/")) continue;
    const parsed = ImagingStudySchema.safeParse(resource);
    if (!parsed.success) continue;
    const url = viewerUrlOf(viewerUrlTemplate, { studyUid: studyUidOf(parsed.data), seriesUid: null, wadoRsBase: wadoRsBaseOf(index, parsed.data) }, imageOrigins);
    if (url !== null) urls.set(key, url);
  }
  return urls;
}

function wadoRsBaseOf(index: Indexed, study: FhirImagingStudy | null): string | null {
  const raw = index.get(keyOf(study?.endpoint?.[0]?.reference) ?? "");
  const endpoint = EndpointSchema.safeParse(raw);
  return endpoint.success ? endpoint.data.address : null;
}

function readOne(index: Indexed, provenances: Record<string, unknown>[], raw: Record<string, unknown>, kind: ImagingAiKind, options: ReadOptions): ImagingAiResult {
  const parsed = DiagnosticReportSchema.safeParse(raw);
  const reportId = String(raw.id);
  if (!parsed.success) {
    const base = { reportId, issued: null, studyDate: null, algorithm: { known: false }, viewerUrl: null, problems: [`DiagnosticReport/${reportId} does not fit: ${describeIssues(parsed.error)}`] };
    return emptyOf(kind, base);
  }
  const r = new ReportReader(index, parsed.data);
  if (parsed.data.status === "entered-in-error") r.problems.push("the report was entered in error");
  // The other status that withdraws a report (R4 diagnostic-report-status); an Observation's are
  // the feature builder's (statusExclusion).
  else if (parsed.data.status === "cancelled") r.problems.push("the report was cancelled");
  const issued = r.date(parsed.data.issued, "issued");
  const studyDate = r.date(parsed.data.effectiveDateTime, "effective");
  const study = r.sourceStudy();
  const studyKey = study === null ? null : `ImagingStudy/${study.id}`;
  const observations = r.observations(studyKey);
  const values =
    kind === "kl" ? readKl(r, observations)
    : kind === "svh" ? readSvh(r, observations)
    : kind === "csae" ? readCsae(r, observations, options)
    : readDeepResolve(r, provenances);
  const algorithm = r.algorithm(kind);
  const seriesUid = values.kind === "deepresolve" ? (values.series?.uid ?? null) : null;
  const viewerUrl = viewerUrlOf(options.viewerUrlTemplate, { studyUid: studyUidOf(study), seriesUid, wadoRsBase: wadoRsBaseOf(index, study) }, options.imageOrigins);
  const base = { reportId, issued, studyDate, algorithm, viewerUrl, problems: r.problems };
  return { ...base, ...values } as ImagingAiResult;
}

function emptyOf(kind: ImagingAiKind, base: ResultBase): ImagingAiResult {
  if (kind === "kl") return { ...base, kind, knees: [] };
  if (kind === "svh") return { ...base, kind, joints: [], totals: { erosion: 0, narrowing: 0, total: 0 }, reportedTotals: {} };
  if (kind === "csae") return { ...base, kind, predicted: null, probabilities: {}, heatMap: null };
  return { ...base, kind, series: null, sourceSeriesUid: null };
}

export function readImagingResults(resources: readonly unknown[], options: ReadOptions = {}): ImagingAiReading {
  const index = indexResources(resources);
  const provenances = [...index.entries()].filter(([k]) => k.startsWith("Provenance/")).map(([, v]) => v);
  const results: ImagingAiResult[] = [];
  const skipped: string[] = [];
  for (const r of resources) {
    if (typeof r !== "object" || r === null || (r as { resourceType?: unknown }).resourceType !== "DiagnosticReport") continue;
    const raw = r as Record<string, unknown>;
    const kind = kindOf(raw);
    if (kind === null) continue; // another kind of report: not an imaging AI result
    if (typeof raw.id !== "string" || raw.id === "") {
      skipped.push(`${KIND_TITLE[kind]} report without an id, so its measurements cannot be linked to it`);
      continue;
    }
    results.push(readOne(index, provenances, raw, kind, options));
  }
  // By issued date, else study date.
  return { results: newestFirst(results, (r) => r.issued ?? r.studyDate), skipped };
}

/** Results by kind in a fixed order, each list newest first; kinds without results are left out. */
export function groupByKind(results: readonly ImagingAiResult[]): { kind: ImagingAiKind; results: ImagingAiResult[] }[] {
  const order: ImagingAiKind[] = ["kl", "svh", "csae", "deepresolve"];
  return order
    .map((kind) => ({ kind, results: results.filter((r) => r.kind === kind) }))
    .filter((g) => g.results.length > 0);
}

