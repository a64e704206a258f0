/**
 * zod schemas of the parts of FHIR resources the imaging AI reader uses. Loose objects: other
 * elements pass through untouched; a resource that does not fit is reported, never thrown.
 */
import { z } from "zod";

export const CodingSchema = z.looseObject({ system: z.string().optional(), code: z.string().optional(), display: z.string().optional() });
export const CodeableConceptSchema = z.looseObject({
  coding: z.array(CodingSchema).optional(),
  text: z.string().optional(),
  extension: z.array(z.looseObject({ url: z.string(), valueCodeableConcept: z.unknown().optional(), valueQuantity: z.unknown().optional() })).optional(),
});
export const ReferenceSchema = z.looseObject({
  reference: z.string().optional(),
  identifier: z.looseObject({ system: z.string().optional(), value: z.string().optional() }).optional(),
  display: z.string().optional(),
});
const QuantitySchema = z.looseObject({ value: z.number().optional(), unit: z.string().optional(), code: z.string().optional() });
const Id = z.string().min(1);

export const DiagnosticReportSchema = z.looseObject({
  resourceType: z.literal("DiagnosticReport"),
  id: Id,
  status: z.string(),
  category: z.array(CodeableConceptSchema).optional(),
  code: CodeableConceptSchema,
  subject: ReferenceSchema.optional(),
  effectiveDateTime: z.string().optional(),
  issued: z.string().optional(),
  imagingStudy: z.array(ReferenceSchema).optional(),
  result: z.array(ReferenceSchema).optional(),
  media: z.array(z.looseObject({ link: ReferenceSchema })).optional(),
});

export const ObservationSchema = z.looseObject({
  resourceType: z.literal("Observation"),
  id: Id,
  status: z.string(),
  code: CodeableConceptSchema,
  subject: ReferenceSchema.optional(),
  bodySite: CodeableConceptSchema.optional(),
  effectiveDateTime: z.string().optional(),
  issued: z.string().optional(),
  device: ReferenceSchema.optional(),
  derivedFrom: z.array(ReferenceSchema).optional(),
  valueInteger: z.number().optional(),
  valueQuantity: QuantitySchema.optional(),
  valueCodeableConcept: CodeableConceptSchema.optional(),
  component: z.array(z.looseObject({ code: CodeableConceptSchema, valueQuantity: QuantitySchema.optional() })).optional(),
});

export const DeviceSchema = z.looseObject({
  resourceType: z.literal("Device"),
  id: Id,
  manufacturer: z.string().optional(),
  deviceName: z.array(z.looseObject({ name: z.string(), type: z.string() })).optional(),
  version: z.array(z.looseObject({ value: z.string() })).optional(),
});

export const MediaSchema = z.looseObject({
  resourceType: z.literal("Media"),
  id: Id,
  subject: ReferenceSchema.optional(),
  device: ReferenceSchema.optional(),
  content: z.looseObject({ url: z.string().optional(), contentType: z.string().optional() }),
});

export const ImagingStudySchema = z.looseObject({
  resourceType: z.literal("ImagingStudy"),
  id: Id,
  subject: ReferenceSchema.optional(),
  identifier: z.array(z.looseObject({ system: z.string().optional(), value: z.string().optional() })).optional(),
  endpoint: z.array(ReferenceSchema).optional(),
  started: z.string().optional(),
  series: z.array(z.looseObject({
    uid: z.string(),
    description: z.string().optional(),
    numberOfInstances: z.number().optional(),
    extension: z.array(z.looseObject({ url: z.string(), valueQuantity: QuantitySchema.optional() })).optional(),
  })).optional(),
});

export const ProvenanceSchema = z.looseObject({
  resourceType: z.literal("Provenance"),
  id: Id,
  target: z.array(ReferenceSchema),
  agent: z.array(z.looseObject({ who: ReferenceSchema })),
  entity: z.array(z.looseObject({ role: z.string(), what: ReferenceSchema })).optional(),
});

export const EndpointSchema = z.looseObject({ resourceType: z.literal("Endpoint"), id: Id, address: z.string() });

export type FhirDiagnosticReport = z.infer<typeof DiagnosticReportSchema>;
export type FhirObservation = z.infer<typeof ObservationSchema>;
export type FhirDevice = z.infer<typeof DeviceSchema>;
export type FhirMedia = z.infer<typeof MediaSchema>;
export type FhirImagingStudy = z.infer<typeof ImagingStudySchema>;
export type FhirProvenance = z.infer<typeof ProvenanceSchema>;
export type FhirEndpoint = z.infer<typeof EndpointSchema>;
export type CodeableConcept = z.infer<typeof CodeableConceptSchema>;

/** "path: message" of a zod error's first issues, for a problem line. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(resource)"}: ${i.message}`).join("; ");
}
