/**
 * The CSAE heat map of an SR. TID 1500 does not carry pixel data: a measurement group can only
 * reference an image (an IMAGE content item with the SOP Class and Instance UIDs), and the SR's
 * evidence sequences (Current Requested Procedure Evidence, Pertinent Other Evidence) say in
 * which study and series each referenced instance lives. With a DICOMweb WADO-RS base the
 * reference becomes a retrievable URL, the `rendered` resource of that instance (DICOM PS3.18),
 * which is what the FHIR Media's `content.url` then holds.
 */
import { isDicomUid } from "../../shared/imaging/viewer-url.ts";

export type Item = Record<string, unknown>;

/** An IMAGE content item's reference. */
export interface ImageReference {
  sopClassUid: string;
  sopInstanceUid: string;
}

interface InstanceLocation {
  studyUid: string;
  seriesUid: string;
}

const EVIDENCE = ["CurrentRequestedProcedureEvidenceSequence", "PertinentOtherEvidenceSequence"] as const;

function items(value: unknown): Item[] {
  if (Array.isArray(value)) return value.filter((v): v is Item => typeof v === "object" && v !== null);
  return typeof value === "object" && value !== null ? [value as Item] : [];
}

/** A DICOM UID, or undefined: these become path segments of the heat map's URL, so nothing else may pass. */
const uid = (value: unknown): string | undefined => (typeof value === "string" && isDicomUid(value.trim()) ? value.trim() : undefined);

/** The SOP Instance UID and Class of an IMAGE content item, if it names them. */
export function imageReferenceOf(item: Item): ImageReference | undefined {
  const ref = items(item.ReferencedSOPSequence)[0];
  const sopInstanceUid = uid(ref?.ReferencedSOPInstanceUID);
  const sopClassUid = uid(ref?.ReferencedSOPClassUID);
  return sopInstanceUid === undefined || sopClassUid === undefined ? undefined : { sopClassUid, sopInstanceUid };
}

/** Where each instance listed in the SR's evidence lives, by SOP Instance UID. */
export function evidenceIndex(dataset: Item): Map<string, InstanceLocation> {
  const index = new Map<string, InstanceLocation>();
  for (const name of EVIDENCE) {
    for (const study of items(dataset[name])) {
      const studyUid = uid(study.StudyInstanceUID);
      for (const series of items(study.ReferencedSeriesSequence)) {
        const seriesUid = uid(series.SeriesInstanceUID);
        if (studyUid === undefined || seriesUid === undefined) continue;
        for (const sop of items(series.ReferencedSOPSequence)) {
          const instance = uid(sop.ReferencedSOPInstanceUID);
          if (instance !== undefined) index.set(instance, { studyUid, seriesUid });
        }
      }
    }
  }
  return index;
}

/** The heat map as the Media's image, or why it cannot be linked. */
export function heatMapLink(
  ref: ImageReference,
  evidence: ReadonlyMap<string, InstanceLocation>,
  wadoRsBase: string | undefined,
): { url: string; contentType: string } | string {
  const where = evidence.get(ref.sopInstanceUid);
  if (where === undefined) return `heat map image ${ref.sopInstanceUid} is not listed in the SR's evidence (no study and series to retrieve it from)`;
  if (wadoRsBase === undefined) return `heat map image ${ref.sopInstanceUid} needs --wado BASE (a DICOMweb WADO-RS base) to become a link`;
  const base = wadoRsBase.replace(/\/+$/, "");
  // `rendered` answers image/jpeg, its default media type for a single image, unless asked otherwise (PS3.18).
  return { url: `${base}/studies/${where.studyUid}/series/${where.seriesUid}/instances/${ref.sopInstanceUid}/rendered`, contentType: "image/jpeg" };
}
