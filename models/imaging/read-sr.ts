/**
 * Reads one DICOM SR file (TID 1500 Measurement Report, via dcmjs) into imaging AI report
 * inputs for shared/imaging's builder. A file that is not readable DICOM SR, or lacks what every
 * result needs (patient, study, dates), throws SrFileError naming the file. Other templates,
 * unknown codes and incomplete items are reported in `skipped` and left out.
 */
import { createHash } from "node:crypto";
import dcmjs from "dcmjs";
import { parseCalendarDay } from "../../shared/fhir-dates.ts";
import { FHIR_ID } from "../../shared/fhir-references.ts";
import { KNOWN_ALGORITHM_NAME } from "../../shared/imaging/algorithms.ts";
import type { ImagingAiFindings, KneeGrade, SvhJointScore } from "../../shared/imaging/build-resources.ts";
import {
  BODY_SITE,
  CSAE_CLASSES,
  CSAE_CLASS_VALUE,
  CSAE_PROBABILITY,
  type CsaeClass,
  IMAGING_AI_SYSTEM,
  type ImagingAiKind,
  KL_GRADE,
  LATERALITY,
  type Side,
  SVH_SCORE,
  SVH_TOTAL,
  type SvhMeasure,
  type SvhTotalName,
  sameCoding,
} from "../../shared/imaging/codes.ts";
import { quotedLabel } from "../../shared/imaging/read-results.ts";
import { SVH_SITE_BY_CODE } from "../../shared/imaging/svh-sites.ts";
import { isDicomUid } from "../../shared/imaging/viewer-url.ts";
import { checkDicomStructure } from "./dicom-structure.ts";
import { CSAE_HEAT_MAP_SR, DEEPRESOLVE_SR, DESIGNATOR_SYSTEM, SR, type SrCode, TID_MEASUREMENT_REPORT, isCode } from "./sr-codes.ts";
import { type ImageReference, evidenceIndex, heatMapLink, imageReferenceOf } from "./sr-heat-map.ts";

export class SrFileError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
  }
}

export interface SrReport {
  kind: ImagingAiKind;
  idPrefix: string;
  patientId: string;
  issued: string;
  studyDate: string;
  studyUid: string;
  algorithm: { name: string; version: string; manufacturer: string };
  findings: ImagingAiFindings;
}

/** Who and what an SR file is about, to check it against the other files of an import. */
export interface SrIdentity {
  patientId: string;
  studyUid: string;
  sopUid: string;
}

export interface SrReading {
  /** Null for a file skipped whole (another template). */
  identity: SrIdentity | null;
  reports: SrReport[];
  /** What was left out and why, one line each, naming the file. */
  skipped: string[];
}

type Item = Record<string, unknown>;
type Coding = { system?: string; code?: string };

function list(value: unknown): Item[] {
  if (Array.isArray(value)) return value.filter((v): v is Item => typeof v === "object" && v !== null);
  return typeof value === "object" && value !== null ? [value as Item] : [];
}
const first = (value: unknown): Item | undefined => list(value)[0];
const text = (value: unknown): string | undefined => {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === "string" ? v.trim() : typeof v === "object" && v !== null && "Alphabetic" in v ? String((v as { Alphabetic: unknown }).Alphabetic) : undefined;
};

function codingOf(code: Item | undefined): Coding | undefined {
  if (code === undefined) return undefined;
  const system = DESIGNATOR_SYSTEM[String(code.CodingSchemeDesignator)];
  return { system: system ?? `urn:dicom:designator:${String(code.CodingSchemeDesignator)}`, code: String(code.CodeValue) };
}
const conceptName = (item: Item) => first(item.ConceptNameCodeSequence);
const describe = (code: { CodeValue?: unknown; CodingSchemeDesignator?: unknown; CodeMeaning?: unknown } | undefined) =>
  code ? `${quotedLabel(String(code.CodingSchemeDesignator))} ${quotedLabel(String(code.CodeValue))} "${quotedLabel(String(code.CodeMeaning ?? ""))}"` : "(no concept name)";

/** YYYY-MM-DD of a DICOM DA that names a day of the calendar (not 2025-02-29), or null. */
function dicomDate(da: string): string | null {
  const d = /^(\d{4})(\d{2})(\d{2})$/.exec(da);
  if (d === null) return null;
  const iso = `${d[1]}-${d[2]}-${d[3]}`;
  return parseCalendarDay(iso) === null ? null : iso;
}

/** HH:MM:SS of a DICOM TM (HH, HHMM or HHMMSS, with an optional fraction), or null. */
function dicomTime(tm: string): string | null {
  const t = /^(\d{2})(?:(\d{2})(?:(\d{2})(?:\.\d{1,6})?)?)?$/.exec(tm);
  if (t === null) return null;
  const [hh, mm, ss] = [t[1]!, t[2] ?? "00", t[3] ?? "00"];
  // 60 seconds: DICOM and FHIR both allow a leap second.
  return Number(hh) < 24 && Number(mm) < 60 && Number(ss) <= 60 ? `${hh}:${mm}:${ss}` : null;
}

/** The FHIR zone of Timezone Offset From UTC (+HHMM or -HHMM, -1200 to +1400); UTC when the SR gives none. */
function zoneOf(offset: string | undefined): string | null {
  if (offset === undefined || offset === "") return "Z";
  const z = /^([+-])(\d{2})(\d{2})$/.exec(offset);
  return z !== null && Number(z[2]) <= 14 && Number(z[3]) < 60 ? `${z[1]}${z[2]}:${z[3]}` : null;
}

/** A header attribute of one value (VM 1), trimmed; a second value would make the file ambiguous. */
function single(file: string, dataset: Item, keyword: string, label: string): string | undefined {
  const value = dataset[keyword];
  if (Array.isArray(value) && value.length > 1) throw new SrFileError(file, `${label} has ${value.length} values, not one`);
  const one = text(value);
  return one === "" ? undefined : one;
}

const NO_CONTENT_DATE = "Content Date is missing or not a DICOM date";

/** A DA and its TM as a FHIR dateTime in the SR's zone; `label` names the pair in messages. */
function dateTimeOf(file: string, dataset: Item, label: "Content" | "Study", zone: string): string | null {
  const date = single(file, dataset, `${label}Date`, `${label} Date`);
  if (date === undefined) return null;
  const day = dicomDate(date);
  if (day === null) throw new SrFileError(file, label === "Content" ? NO_CONTENT_DATE : "Study Date is not a DICOM date");
  const tm = single(file, dataset, `${label}Time`, `${label} Time`);
  const time = tm === undefined ? "00:00:00" : dicomTime(tm);
  if (time === null) throw new SrFileError(file, `${label} Time is not a DICOM time`);
  return `${day}T${time}${zone}`;
}

/** What every result of the file needs: the patient, the source study, the SR instance, its dates. */
function headerOf(file: string, dataset: Item) {
  const patientId = single(file, dataset, "PatientID", "Patient ID");
  const studyUid = single(file, dataset, "StudyInstanceUID", "Study Instance UID");
  const sopUid = single(file, dataset, "SOPInstanceUID", "SOP Instance UID");
  if (!patientId || !FHIR_ID.test(patientId)) throw new SrFileError(file, "Patient ID is missing or is not a FHIR id");
  if (!studyUid || !sopUid || !isDicomUid(studyUid) || !isDicomUid(sopUid)) throw new SrFileError(file, "Study Instance UID or SOP Instance UID is missing or not a DICOM UID");
  const zone = zoneOf(single(file, dataset, "TimezoneOffsetFromUTC", "Timezone Offset From UTC"));
  if (zone === null) throw new SrFileError(file, "Timezone Offset From UTC is not a DICOM offset (+HHMM or -HHMM)");
  const issued = dateTimeOf(file, dataset, "Content", zone);
  if (issued === null) throw new SrFileError(file, NO_CONTENT_DATE);
  // Study Date may be empty (type 2): the images are then dated by the report.
  const studyDate = dateTimeOf(file, dataset, "Study", zone) ?? issued;
  return { patientId, studyUid, sopUid, issued, studyDate, manufacturer: text(dataset.Manufacturer) ?? "" };
}

interface Group {
  label: string;
  algorithm: { name?: string; version?: string };
  site?: Coding;
  side?: Side;
  finding?: Coding;
  nums: { concept: Item; value: number; unit: Item | undefined }[];
  /** NUMs that a Numeric Value Qualifier leaves without a usable value, with that qualifier. */
  unvalued: { concept: Item; qualifier: Item }[];
  uids: { concept: Item; uid: string }[];
  texts: { concept: Item; text: string }[];
  /** The CSAE heat map IMAGE item: its reference, or null when it names no instance. */
  heatMap?: ImageReference | null;
}

function sideOf(items: Item[]): Side | undefined {
  const lat = items.find((i) => isCode(conceptName(i), SR.laterality));
  const coding = codingOf(first(lat?.ConceptCodeSequence));
  if (sameCoding(coding, LATERALITY.left)) return "left";
  if (sameCoding(coding, LATERALITY.right)) return "right";
  return undefined;
}

function readGroup(file: string, group: Item, label: string): Group {
  const items = list(group.ContentSequence);
  const out: Group = { label, algorithm: {}, nums: [], unvalued: [], uids: [], texts: [] };
  for (const item of items) {
    const name = conceptName(item);
    const type = String(item.ValueType ?? "");
    if (type === "NUM") {
      const measured = first(item.MeasuredValueSequence);
      const qualifier = first(item.NumericValueQualifierCodeSequence);
      // DICOM PS3.3 C.18.1: a Numeric Value Qualifier (CID 42: a measurement failure, not
      // attempted, value unknown, out of range) says why a value is absent, or that the value
      // present is not the measurement itself. Either way there is no grade or score to use:
      // that one measurement is skipped, not the file (a failed grading read as 0 would be "no OA").
      if (qualifier !== undefined) {
        out.unvalued.push({ concept: name ?? {}, qualifier });
        continue;
      }
      // dcmjs reads an empty, NaN or Infinity DS as null, which Number() would make 0.
      const value = measured?.NumericValue;
      if (typeof value !== "number" || !Number.isFinite(value)) throw new SrFileError(file, `${label}: NUM ${describe(name)} has no numeric value`);
      out.nums.push({ concept: name ?? {}, value, unit: first(measured?.MeasurementUnitsCodeSequence) });
    } else if (type === "CODE" && isCode(name, SR.findingSite)) {
      out.site = codingOf(first(item.ConceptCodeSequence));
      out.side = sideOf(list(item.ContentSequence)) ?? out.side;
    } else if (type === "CODE" && isCode(name, SR.laterality)) {
      out.side = sideOf([item]);
    } else if (type === "CODE" && isCode(name, SR.finding)) {
      out.finding = codingOf(first(item.ConceptCodeSequence));
    } else if (type === "TEXT" && isCode(name, SR.algorithmName)) {
      out.algorithm.name = text(item.TextValue);
    } else if (type === "TEXT" && isCode(name, SR.algorithmVersion)) {
      out.algorithm.version = text(item.TextValue);
    } else if (type === "UIDREF") {
      out.uids.push({ concept: name ?? {}, uid: String(text(item.UID) ?? "") });
    } else if (type === "TEXT") {
      out.texts.push({ concept: name ?? {}, text: text(item.TextValue) ?? "" });
    } else if (type === "IMAGE" && isCode(name, CSAE_HEAT_MAP_SR)) {
      out.heatMap = imageReferenceOf(item) ?? null;
    }
  }
  return out;
}

/** What one report of a kind collects from its groups. */
interface Accumulator {
  kind: ImagingAiKind;
  algorithm: { name: string; version: string };
  knees: KneeGrade[];
  joints: SvhJointScore[];
  totals: Partial<Record<SvhTotalName, number>>;
  csae: { predicted?: CsaeClass; probabilities: Partial<Record<CsaeClass, number>>; heatMap?: ImageReference };
  dr: { source?: string; series?: string; description?: string; slices?: number; thickness?: number };
  /** One-valued findings that two groups gave different values: the result cannot be read. */
  conflicts: Set<string>;
  /** An SvH joint score without a value: totals summed without it would be too low. */
  unscoredJoint: boolean;
}

/** Sets a one-valued finding of the result; a different value from another group is a conflict, never a silent overwrite. */
function setOnce<K extends string, V>(acc: Accumulator, target: Partial<Record<K, V>>, key: K, value: V | undefined, what: string): void {
  if (value === undefined) return;
  if (target[key] !== undefined && target[key] !== value) acc.conflicts.add(what);
  target[key] = value;
}

const TOTAL_NAMES = Object.keys(SVH_TOTAL) as SvhTotalName[];
const MEASURES = Object.keys(SVH_SCORE) as SvhMeasure[];

/** The kind a measurement's concept belongs to, or null for codes Patella does not know. */
function kindOfConcept(concept: Item): ImagingAiKind | null {
  const c = codingOf(concept);
  if (sameCoding(c, KL_GRADE)) return "kl";
  if (MEASURES.some((m) => sameCoding(c, SVH_SCORE[m])) || TOTAL_NAMES.some((t) => sameCoding(c, SVH_TOTAL[t]))) return "svh";
  if (CSAE_CLASSES.some((k) => sameCoding(c, CSAE_PROBABILITY[k]))) return "csae";
  if (Object.values(DEEPRESOLVE_SR).some((code) => isCode(concept, code))) return "deepresolve";
  return null;
}

/** UCUM millimetre: the only unit a slice thickness is read in (docs/imaging.md). */
const MILLIMETRE: SrCode = { CodeValue: "mm", CodingSchemeDesignator: "UCUM", CodeMeaning: "millimeter" };

function addNum(acc: Accumulator, g: Group, { concept, value, unit }: Group["nums"][number], skip: (why: string) => void): void {
  const c = codingOf(concept);
  if (acc.kind === "kl") {
    if (!sameCoding(g.site, BODY_SITE.knee) || g.side === undefined) return skip("KL grade without a knee and its laterality");
    acc.knees.push({ side: g.side, grade: value });
  } else if (acc.kind === "svh") {
    const total = TOTAL_NAMES.find((t) => sameCoding(c, SVH_TOTAL[t]));
    if (total !== undefined) {
      setOnce(acc, acc.totals, total, value, describe(concept));
      return;
    }
    const measure = MEASURES.find((m) => sameCoding(c, SVH_SCORE[m]))!;
    const site = g.site?.system === IMAGING_AI_SYSTEM ? SVH_SITE_BY_CODE.get(g.site.code ?? "") : undefined;
    if (site === undefined || g.side === undefined) return skip(`SvH ${measure} score without a known SvH site and laterality`);
    acc.joints.push({ site: site.code, side: g.side, measure, score: value });
  } else if (acc.kind === "csae") {
    const k = CSAE_CLASSES.find((x) => sameCoding(c, CSAE_PROBABILITY[x]))!;
    setOnce(acc, acc.csae.probabilities, k, value, describe(concept));
    const predicted = CSAE_CLASSES.find((x) => sameCoding(g.finding, CSAE_CLASS_VALUE[x]));
    setOnce(acc, acc.csae, "predicted", predicted, "the CSAE class (Finding)");
  } else if (isCode(concept, DEEPRESOLVE_SR.sliceCount)) {
    setOnce(acc, acc.dr, "slices", value, describe(concept));
  } else if (isCode(concept, DEEPRESOLVE_SR.sliceThickness)) {
    if (!isCode(unit, MILLIMETRE)) {
      return skip(`NUM ${describe(concept)} is in ${unit ? `${quotedLabel(String(unit.CodingSchemeDesignator))} ${quotedLabel(String(unit.CodeValue))}` : "no unit"}, not mm`);
    }
    setOnce(acc, acc.dr, "thickness", value, describe(concept));
  }
}

/** A DeepResolve series UID of the group: it goes into FHIR identifiers and viewer URLs, so a DICOM UID only. */
function seriesUidOf(g: Group, concept: SrCode, skip: (why: string) => void): string | undefined {
  const item = g.uids.find((u) => isCode(u.concept, concept));
  if (item === undefined || isDicomUid(item.uid)) return item?.uid;
  skip(`UIDREF ${describe(item.concept)} is not a DICOM UID`);
  return undefined;
}

function findingsOf(acc: Accumulator): ImagingAiFindings | string {
  if (acc.conflicts.size > 0) return `${[...acc.conflicts].join(", ")} given different values by two measurement groups`;
  switch (acc.kind) {
    case "kl":
      return acc.knees.length > 0 ? { kind: "kl", knees: acc.knees } : "no complete KL grade";
    case "svh": {
      if (acc.unscoredJoint) return "an SvH joint score has no value, so the totals cannot be computed";
      // Totals the SR leaves out are the sums of its joints (the reader recomputes them anyway).
      const sum = (m: SvhMeasure) => acc.joints.filter((j) => j.measure === m).reduce((s, j) => s + j.score, 0);
      const computed = { erosion: sum("erosion"), narrowing: sum("narrowing"), total: sum("erosion") + sum("narrowing") };
      return acc.joints.length > 0 ? { kind: "svh", joints: acc.joints, totals: { ...computed, ...acc.totals } } : "no complete SvH joint score";
    }
    case "csae": {
      const p = acc.csae.probabilities;
      if (acc.csae.predicted === undefined || CSAE_CLASSES.some((k) => p[k] === undefined)) return "a CSAE result needs the class and all three probabilities";
      return { kind: "csae", predicted: acc.csae.predicted, probabilities: p as Record<CsaeClass, number> };
    }
    case "deepresolve": {
      const d = acc.dr;
      if (!d.source || !d.series || d.slices === undefined || d.thickness === undefined) return "a DeepResolve result needs both series UIDs, the slice count and the thickness";
      return { kind: "deepresolve", sourceSeriesUid: d.source, series: { uid: d.series, description: d.description ?? "", sliceCount: d.slices, sliceThicknessMm: d.thickness } };
    }
  }
}

function shortHash(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 12);
}

export interface SrReadOptions {
  /** DICOMweb WADO-RS base; with it a referenced CSAE heat map becomes the Media's URL. */
  wadoRsBase?: string;
}

/** Reads the file's bytes; `file` only names it in messages. */
export function readSrFile(file: string, bytes: Uint8Array, options: SrReadOptions = {}): SrReading {
  let dataset: Item;
  try {
    checkDicomStructure(bytes);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    dataset = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(buffer).dict);
  } catch (error) {
    throw new SrFileError(file, `not a readable DICOM file (${error instanceof Error ? error.message : String(error)})`);
  }
  if (dataset.Modality !== "SR" || dataset.ValueType !== "CONTAINER") throw new SrFileError(file, "not a DICOM Structured Report");
  const template = text(first(dataset.ContentTemplateSequence)?.TemplateIdentifier);
  if (template !== TID_MEASUREMENT_REPORT || !isCode(first(dataset.ConceptNameCodeSequence), SR.measurementReport)) {
    return { identity: null, reports: [], skipped: [`${file}: template ${template === undefined ? "(none)" : quotedLabel(template)} (${describe(first(dataset.ConceptNameCodeSequence))}) is not a TID 1500 Measurement Report; file skipped`] };
  }
  const { patientId, studyUid, sopUid, issued, studyDate, manufacturer } = headerOf(file, dataset);

  const skipped: string[] = [];
  const accumulators = new Map<string, Accumulator>();
  const containers = list(dataset.ContentSequence).filter((i) => isCode(conceptName(i), SR.imagingMeasurements));
  let n = 0;
  for (const container of containers) {
    for (const raw of list(container.ContentSequence).filter((i) => isCode(conceptName(i), SR.measurementGroup))) {
      const g = readGroup(file, raw, `measurement group ${++n}`);
      const skip = (why: string) => skipped.push(`${file}: ${g.label}: ${why}; skipped`);
      const { name, version } = g.algorithm;
      const measurements = [...g.nums, ...g.unvalued];
      const kinds = new Set(measurements.map((x) => kindOfConcept(x.concept)).concat(g.uids.map((x) => kindOfConcept(x.concept))));
      for (const x of measurements.filter((v) => kindOfConcept(v.concept) === null)) skip(`unknown measurement code ${describe(x.concept)}`);
      kinds.delete(null);
      if (kinds.size === 0) {
        if (measurements.length === 0) skip("no measurement Patella knows");
        continue;
      }
      const kind = [...kinds][0]!;
      if (kinds.size > 1) {
        skip("measurements of different kinds in one group");
        continue;
      }
      if (!name || !version) {
        skip("no Algorithm Name and Version (TID 4019)");
        continue;
      }
      if (name.toLowerCase() !== KNOWN_ALGORITHM_NAME[kind].toLowerCase()) {
        skip(`unknown algorithm "${quotedLabel(name)}" for this kind of result`);
        continue;
      }
      const key = `${kind}|${name}|${version}`;
      let acc = accumulators.get(key);
      if (acc === undefined) {
        acc = { kind, algorithm: { name, version }, knees: [], joints: [], totals: {}, csae: { probabilities: {} }, dr: {}, conflicts: new Set(), unscoredJoint: false };
        accumulators.set(key, acc);
      }
      for (const x of g.nums) if (kindOfConcept(x.concept) === kind) addNum(acc, g, x, skip);
      for (const x of g.unvalued.filter((v) => kindOfConcept(v.concept) === kind)) {
        skip(`NUM ${describe(x.concept)} has no usable value (${describe(x.qualifier)})`);
        acc.unscoredJoint ||= MEASURES.some((m) => sameCoding(codingOf(x.concept), SVH_SCORE[m]));
      }
      if (kind === "csae" && g.heatMap !== undefined) {
        if (g.heatMap === null) skip("heat map IMAGE item references no SOP instance");
        else acc.csae.heatMap = g.heatMap;
      }
      if (kind === "deepresolve") {
        setOnce(acc, acc.dr, "source", seriesUidOf(g, DEEPRESOLVE_SR.sourceSeries, skip), describe(DEEPRESOLVE_SR.sourceSeries));
        setOnce(acc, acc.dr, "series", seriesUidOf(g, DEEPRESOLVE_SR.series, skip), describe(DEEPRESOLVE_SR.series));
        setOnce(acc, acc.dr, "description", g.texts.find((t) => isCode(t.concept, DEEPRESOLVE_SR.description))?.text, describe(DEEPRESOLVE_SR.description));
      }
    }
  }
  const reports: SrReport[] = [];
  const evidence = evidenceIndex(dataset);
  for (const acc of accumulators.values()) {
    let findings = findingsOf(acc);
    if (typeof findings === "string") {
      skipped.push(`${file}: ${findings}; ${acc.kind} result skipped`);
      continue;
    }
    if (findings.kind === "csae" && acc.csae.heatMap !== undefined) {
      const heatMap = heatMapLink(acc.csae.heatMap, evidence, options.wadoRsBase);
      if (typeof heatMap === "string") skipped.push(`${file}: ${heatMap}; the CSAE result is imported without its heat map`);
      else findings = { ...findings, heatMap };
    }
    reports.push({
      kind: acc.kind,
      idPrefix: `sr-${shortHash(`${sopUid}|${acc.algorithm.name}|${acc.algorithm.version}`)}-${acc.kind}`,
      patientId,
      issued,
      studyDate,
      studyUid,
      algorithm: { ...acc.algorithm, manufacturer },
      findings,
    });
  }
  if (containers.length === 0) skipped.push(`${file}: no Imaging Measurements container; nothing to import`);
  return { identity: { patientId, studyUid, sopUid }, reports, skipped };
}
