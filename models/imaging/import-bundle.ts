/**
 * Turns SR reports into one FHIR transaction Bundle. Each report is built with the shared
 * builder and read back with the shared reader first: a report that breaks a rule (a KL grade
 * of 7, totals that do not add up) is reported and left out, never posted. Resources get ids
 * derived from the SR instance, so importing the same file twice updates rather than
 * duplicates; the source ImagingStudy is created only if the patient has none with its Study
 * Instance UID.
 */
import { createHash } from "node:crypto";
import type { Bundle, BundleEntry, ImagingStudy } from "fhir/r4";
import { buildImagingAiResources } from "../../shared/imaging/build-resources.ts";
import { AI_DERIVED_STUDY_TAG, IMAGING_SYSTEM } from "../../shared/imaging/codes.ts";
import { readImagingResults } from "../../shared/imaging/read-results.ts";
import type { SrReport } from "./read-sr.ts";

export interface ImportBundle {
  bundle: Bundle;
  /** Reports in the bundle, by kind. */
  imported: Record<string, number>;
  skipped: string[];
}

function hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

function uuidOf(value: string): string {
  const h = hex(value);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function studyStub(id: string, report: SrReport): ImagingStudy {
  return {
    resourceType: "ImagingStudy",
    id,
    status: "available",
    subject: { reference: `Patient/${report.patientId}` },
    identifier: [{ system: IMAGING_SYSTEM.dicomUid, value: `urn:oid:${report.studyUid}` }],
    started: report.studyDate,
  };
}

/**
 * The source study by its Study Instance UID and the report's patient (FHIR R4 ImagingStudy
 * search parameter `patient`), leaving out a reconstruction that shares the UID. Without the
 * patient, another patient's study with this UID would match, and this patient's results would
 * be linked to it; the import also refuses such a UID before posting (import-server.ts).
 */
function sourceStudyCriteria(report: SrReport): string {
  const tag = `${AI_DERIVED_STUDY_TAG.system}|${AI_DERIVED_STUDY_TAG.code}`;
  return `identifier=${IMAGING_SYSTEM.dicomUid}|urn:oid:${report.studyUid}&patient=Patient/${report.patientId}&_tag:not=${tag}`;
}

export function buildImportBundle(reports: readonly SrReport[]): ImportBundle {
  const entries = new Map<string, BundleEntry>();
  const imported: Record<string, number> = {};
  const skipped: string[] = [];
  for (const report of reports) {
    const localStudyId = `dicom-${hex(report.studyUid).slice(0, 16)}`;
    const stub = studyStub(localStudyId, report);
    const resources = buildImagingAiResources({ ...report, study: { reference: `ImagingStudy/${localStudyId}` } });
    const [result] = readImagingResults([stub, ...resources]).results;
    if (result === undefined || result.problems.length > 0) {
      skipped.push(`${report.kind} result of ${report.issued.slice(0, 10)}: ${result?.problems.join("; ") ?? "not readable"}; skipped`);
      continue;
    }
    imported[report.kind] = (imported[report.kind] ?? 0) + 1;
    // The source study: created only if the server has none with this UID; referenced by urn:uuid.
    const studyUrn = `urn:uuid:${uuidOf(report.studyUid)}`;
    const { id: _localId, ...stubWithoutId } = stub;
    entries.set(studyUrn, {
      fullUrl: studyUrn,
      resource: stubWithoutId as ImagingStudy,
      request: { method: "POST", url: "ImagingStudy", ifNoneExist: sourceStudyCriteria(report) },
    });
    for (const resource of resources) {
      const linked = JSON.parse(JSON.stringify(resource).replaceAll(`"ImagingStudy/${localStudyId}"`, JSON.stringify(studyUrn))) as BundleEntry["resource"];
      const url = `${resource.resourceType}/${resource.id}`;
      entries.set(url, { fullUrl: url, resource: linked, request: { method: "PUT", url } });
    }
  }
  return { bundle: { resourceType: "Bundle", type: "transaction", entry: [...entries.values()] }, imported, skipped };
}
