/** Writes DICOM SR (TID 1500) files of imaging AI results with dcmjs, for the importer's tests. */
import dcmjs from "dcmjs";
import { type SrCode, SR, projectCode } from "../../models/imaging/sr-codes.ts";

type Item = Record<string, unknown>;

const code = (c: SrCode) => ({ CodeValue: c.CodeValue, CodingSchemeDesignator: c.CodingSchemeDesignator, CodeMeaning: c.CodeMeaning });
export const sct = (CodeValue: string, CodeMeaning: string): SrCode => ({ CodeValue, CodingSchemeDesignator: "SCT", CodeMeaning });
export { projectCode };

export function num(concept: SrCode, value: number, units = "1"): Item {
  return {
    RelationshipType: "CONTAINS",
    ValueType: "NUM",
    ConceptNameCodeSequence: [code(concept)],
    MeasuredValueSequence: [{ NumericValue: value, MeasurementUnitsCodeSequence: [{ CodeValue: units, CodingSchemeDesignator: "UCUM", CodeMeaning: units }] }],
  };
}

export function codeItem(concept: SrCode, value: SrCode, relationship = "CONTAINS", children: Item[] = []): Item {
  return {
    RelationshipType: relationship,
    ValueType: "CODE",
    ConceptNameCodeSequence: [code(concept)],
    ConceptCodeSequence: [code(value)],
    ...(children.length > 0 ? { ContentSequence: children } : {}),
  };
}

export function textItem(concept: SrCode, value: string, relationship = "HAS OBS CONTEXT"): Item {
  return { RelationshipType: relationship, ValueType: "TEXT", ConceptNameCodeSequence: [code(concept)], TextValue: value };
}

export function uidItem(concept: SrCode, uid: string): Item {
  return { RelationshipType: "CONTAINS", ValueType: "UIDREF", ConceptNameCodeSequence: [code(concept)], UID: uid };
}

/** An IMAGE item referencing one instance (TID 1500 can reference images, not carry them). */
export function imageItem(concept: SrCode, sopClassUid: string, sopInstanceUid: string): Item {
  return {
    RelationshipType: "CONTAINS",
    ValueType: "IMAGE",
    ConceptNameCodeSequence: [code(concept)],
    ReferencedSOPSequence: [{ ReferencedSOPClassUID: sopClassUid, ReferencedSOPInstanceUID: sopInstanceUid }],
  };
}

/** A finding site with its laterality as a concept modifier (TID 1501). */
export function site(siteCode: SrCode, side?: "left" | "right"): Item {
  const lat = side === undefined ? [] : [codeItem(SR.laterality, side === "left" ? sct("7771000", "Left") : sct("24028007", "Right"), "HAS CONCEPT MOD")];
  return codeItem(SR.findingSite, siteCode, "CONTAINS", lat);
}

/** A measurement group made by `algorithm` (TID 4019 name and version) with the given items. */
export function group(algorithm: { name: string; version: string }, items: Item[], tracking = "result"): Item {
  return {
    RelationshipType: "CONTAINS",
    ValueType: "CONTAINER",
    ConceptNameCodeSequence: [code(SR.measurementGroup)],
    ContinuityOfContent: "SEPARATE",
    ContentSequence: [
      textItem(SR.trackingIdentifier, tracking),
      textItem(SR.algorithmName, algorithm.name, "HAS CONCEPT MOD"),
      textItem(SR.algorithmVersion, algorithm.version, "HAS CONCEPT MOD"),
      ...items,
    ],
  };
}

export interface SrHeader {
  patientId?: string;
  studyUid?: string;
  sopUid?: string;
  contentDate?: string;
  template?: string;
  /** Instances listed in Current Requested Procedure Evidence (study > series > instance). */
  evidence?: { studyUid: string; seriesUid: string; sopClassUid: string; sopInstanceUid: string }[];
}

/** A complete SR Part 10 file holding the groups under Imaging Measurements. */
export function srFile(groups: Item[], header: SrHeader = {}): Uint8Array {
  const sopUid = header.sopUid ?? "2.25.900001";
  const dataset: Item = {
    _meta: {
      MediaStorageSOPClassUID: { Value: ["1.2.840.10008.5.1.4.1.1.88.34"], vr: "UI" },
      MediaStorageSOPInstanceUID: { Value: [sopUid], vr: "UI" },
      TransferSyntaxUID: { Value: ["1.2.840.10008.1.2.1"], vr: "UI" },
    },
    SOPClassUID: "1.2.840.10008.5.1.4.1.1.88.34",
    SOPInstanceUID: sopUid,
    Modality: "SR",
    PatientID: header.patientId ?? "p1",
    StudyInstanceUID: header.studyUid ?? "2.25.100",
    SeriesInstanceUID: "2.25.101",
    StudyDate: "20250301",
    ContentDate: header.contentDate ?? "20250302",
    ContentTime: "101500",
    Manufacturer: "Example AI Inc.",
    ValueType: "CONTAINER",
    ContinuityOfContent: "SEPARATE",
    ConceptNameCodeSequence: [code(SR.measurementReport)],
    ContentTemplateSequence: [{ MappingResource: "DCMR", TemplateIdentifier: header.template ?? "1500" }],
    ...(header.evidence !== undefined && {
      CurrentRequestedProcedureEvidenceSequence: header.evidence.map((e) => ({
        StudyInstanceUID: e.studyUid,
        ReferencedSeriesSequence: [{ SeriesInstanceUID: e.seriesUid, ReferencedSOPSequence: [{ ReferencedSOPClassUID: e.sopClassUid, ReferencedSOPInstanceUID: e.sopInstanceUid }] }],
      })),
    }),
    ContentSequence: [
      { RelationshipType: "CONTAINS", ValueType: "CONTAINER", ConceptNameCodeSequence: [code(SR.imagingMeasurements)], ContinuityOfContent: "SEPARATE", ContentSequence: groups },
    ],
  };
  return new Uint8Array(dcmjs.data.datasetToDict(dataset).write());
}
