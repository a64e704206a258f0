/**
 * zod schemas of the parts of FHIR resources the imaging AI reader uses. Loose objects: other
 * elements pass through untouched; a resource that does not fit is reported, never thrown.
 */
import { z } from "../zod-mini.ts";

export const CodingSchema = z.looseObject({ system: z.optional(z.string()), code: z.optional(z.string()), display: z.optional(z.string()) });
export const CodeableConceptSchema = z.looseObject({
  coding: z.optional(z.array(CodingSchema)),
  text: z.optional(z.string()),
  extension: z.optional(z.array(z.looseObject({ url: z.string(), valueCodeableConcept: z.optional(z.unknown()), valueQuantity: z.optional(z.unknown()) }))),
});
export const ReferenceSchema = z.looseObject({
  reference: z.optional(z.string()),
  identifier: z.optional(z.looseObject({ system: z.optional(z.string()), value: z.optional(z.string()) })),
  display: z.optional(z.string()),
});
const QuantitySchema = z.looseObject({ value: z.optional(z.number()), unit: z.optional(z.string()), code: z.optional(z.string()) });
const Id = z.string().check(z.minLength(1));

export const DiagnosticReportSchema = z.looseObject({
  resourceType: z.literal("DiagnosticReport"),
  id: Id,
  status: z.string(),
  category: z.optional(z.array(CodeableConceptSchema)),
  code: CodeableConceptSchema,
  subject: z.optional(ReferenceSchema),
  effectiveDateTime: z.optional(z.string()),
  issued: z.optional(z.string()),
  imagingStudy: z.optional(z.array(ReferenceSchema)),
  result: z.optional(z.array(ReferenceSchema)),
  media: z.optional(z.array(z.looseObject({ link: ReferenceSchema }))),
});

export const ObservationSchema = z.looseObject({
  resourceType: z.literal("Observation"),
  id: Id,
  status: z.string(),
  code: CodeableConceptSchema,
  subject: z.optional(ReferenceSchema),
  bodySite: z.optional(CodeableConceptSchema),
  effectiveDateTime: z.optional(z.string()),
  issued: z.optional(z.string()),
  device: z.optional(ReferenceSchema),
  derivedFrom: z.optional(z.array(ReferenceSchema)),
  valueInteger: z.optional(z.number()),
  valueQuantity: z.optional(QuantitySchema),
  valueCodeableConcept: z.optional(CodeableConceptSchema),
  component: z.optional(z.array(z.looseObject({ code: CodeableConceptSchema, valueQuantity: z.optional(QuantitySchema) }))),
});

export const DeviceSchema = z.looseObject({
  resourceType: z.literal("Device"),
  id: Id,
  manufacturer: z.optional(z.string()),
  deviceName: z.optional(z.array(z.looseObject({ name: z.string(), type: z.string() }))),
  version: z.optional(z.array(z.looseObject({ value: z.string() }))),
});

export const MediaSchema = z.looseObject({
  resourceType: z.literal("Media"),
  id: Id,
  subject: z.optional(ReferenceSchema),
  device: z.optional(ReferenceSchema),
  content: z.looseObject({ url: z.optional(z.string()), contentType: z.optional(z.string()) }),
});

export const ImagingStudySchema = z.looseObject({
  resourceType: z.literal("ImagingStudy"),
  id: Id,
  subject: z.optional(ReferenceSchema),
  identifier: z.optional(z.array(z.looseObject({ system: z.optional(z.string()), value: z.optional(z.string()) }))),
  endpoint: z.optional(z.array(ReferenceSchema)),
  started: z.optional(z.string()),
  series: z.optional(z.array(z.looseObject({
    uid: z.string(),
    description: z.optional(z.string()),
    numberOfInstances: z.optional(z.number()),
    extension: z.optional(z.array(z.looseObject({ url: z.string(), valueQuantity: z.optional(QuantitySchema) }))),
  }))),
});

export const ProvenanceSchema = z.looseObject({
  resourceType: z.literal("Provenance"),
  id: Id,
  target: z.array(ReferenceSchema),
  agent: z.array(z.looseObject({ who: ReferenceSchema })),
  entity: z.optional(z.array(z.looseObject({ role: z.string(), what: ReferenceSchema }))),
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
export function describeIssues(error: z.core.$ZodError): string {
  return error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(resource)"}: ${i.message}`).join("; ");
}
