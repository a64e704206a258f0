/** zod schemas of a CDS Hooks 2.0 patient-view call (cds-hooks.hl7.org/2.0, "HTTP Request"). */
import { z } from "zod";
import { HttpError } from "../http/operation-outcome.ts";

/** FHIR id syntax: ids are put into search URLs, so anything else is refused up front. */
export const FhirId = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, "not a FHIR id");

export const FhirAuthorizationSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.literal("Bearer"),
  expires_in: z.number().int().nonnegative(),
  scope: z.string().min(1),
  subject: z.string().min(1),
  patient: FhirId.optional(),
});

export const PatientViewContextSchema = z.object({
  userId: z.string().min(1),
  patientId: FhirId,
  encounterId: FhirId.optional(),
});

export const HookRequestSchema = z
  .object({
    hook: z.string().min(1),
    // Any 8-4-4-4-12 hex id: some EHRs send ids whose version bits are not RFC 9562.
    hookInstance: z.guid(),
    fhirServer: z.url({ protocol: /^https?$/ }).optional(),
    fhirAuthorization: FhirAuthorizationSchema.optional(),
    context: z.record(z.string(), z.unknown()),
    prefetch: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((r) => r.fhirAuthorization === undefined || r.fhirServer !== undefined, {
    message: "fhirServer is required when fhirAuthorization is sent",
    path: ["fhirServer"],
  });

export type HookRequest = z.infer<typeof HookRequestSchema>;
export type PatientViewContext = z.infer<typeof PatientViewContextSchema>;

/** One line per issue, "path: message", for an OperationOutcome's diagnostics. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`)
    .join("; ");
}

/**
 * Validates a hook call for a patient-view service: the body, the hook name and the context.
 * Throws HttpError 400 naming the first problems; shared by the hook and the bench floor.
 */
export function parsePatientViewCall(body: unknown, expectedHook: string): { request: HookRequest; context: PatientViewContext } {
  const parsed = HookRequestSchema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, "invalid", `Invalid hook request: ${describeZodError(parsed.error)}`);
  if (parsed.data.hook !== expectedHook) {
    throw new HttpError(400, "not-supported", `This service answers the ${expectedHook} hook, not ${parsed.data.hook.slice(0, 64)}`);
  }
  const context = PatientViewContextSchema.safeParse(parsed.data.context);
  if (!context.success) throw new HttpError(400, "required", `Invalid context: ${describeZodError(context.error)}`);
  return { request: parsed.data, context: context.data };
}
