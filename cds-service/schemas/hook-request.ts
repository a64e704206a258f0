/** zod schemas of a CDS Hooks 2.0 patient-view call (cds-hooks.hl7.org/2.0, "HTTP Request"). */
import { z } from "zod";
import { FHIR_ID } from "../../shared/fhir-references.ts";
import { HttpError } from "../http/operation-outcome.ts";

/**
 * FHIR id syntax: ids are put into URLs, so anything else is refused up front. "." and ".." are
 * valid by the syntax but are dot-segments in a URL: `Patient/..` would become `GET {fhirServer}/`
 * and `Patient/.` a search of every patient, with the EHR's token.
 */
export const FhirId = z
  .string()
  .regex(FHIR_ID, "not a FHIR id")
  .refine((id) => id !== "." && id !== "..", "not usable as an id (a URL dot-segment)");

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
    // Checked on its own (parsePatientViewCall): a malformed token only matters if data must be fetched.
    fhirAuthorization: z.unknown().optional(),
    context: z.record(z.string(), z.unknown()),
    prefetch: z.record(z.string(), z.unknown()).optional(),
  });

export type FhirAuthorization = z.infer<typeof FhirAuthorizationSchema>;

/** A hook call with its fhirAuthorization checked: usable, or the reason it is not. */
export type HookRequest = Omit<z.infer<typeof HookRequestSchema>, "fhirAuthorization"> & {
  fhirAuthorization?: FhirAuthorization;
  /** Why a fhirAuthorization that was sent cannot be used (for the log; no token content). */
  fhirAuthorizationProblem?: string;
};
export type PatientViewContext = z.infer<typeof PatientViewContextSchema>;

/** One line per issue, "path: message", for an OperationOutcome's diagnostics. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`)
    .join("; ");
}

/**
 * The fhirAuthorization part of a call, checked. A malformed one is not an error by itself:
 * with a complete prefetch nothing is fetched, so the call is answered from the prefetch and the
 * reason the token could not be used is logged (a call that must fetch then gets 412).
 */
function checkAuthorization(request: z.infer<typeof HookRequestSchema>): HookRequest {
  const { fhirAuthorization, ...rest } = request;
  if (fhirAuthorization === undefined) return rest;
  const parsed = FhirAuthorizationSchema.safeParse(fhirAuthorization);
  if (!parsed.success) return { ...rest, fhirAuthorizationProblem: describeZodError(parsed.error) };
  if (rest.fhirServer === undefined) return { ...rest, fhirAuthorizationProblem: "sent without fhirServer" };
  return { ...rest, fhirAuthorization: parsed.data };
}

/**
 * Validates a hook call for a patient-view service: the body, the hook name and the context.
 * Throws HttpError 400 naming the first problems; shared by the hook and the bench floor.
 */
export function parsePatientViewCall(body: unknown, expectedHook: string): { request: HookRequest; context: PatientViewContext } {
  const raw = HookRequestSchema.safeParse(body);
  if (!raw.success) throw new HttpError(400, "invalid", `Invalid hook request: ${describeZodError(raw.error)}`);
  if (raw.data.hook !== expectedHook) {
    throw new HttpError(400, "not-supported", `This service answers the ${expectedHook} hook, not ${raw.data.hook.slice(0, 64)}`);
  }
  const context = PatientViewContextSchema.safeParse(raw.data.context);
  if (!context.success) throw new HttpError(400, "required", `Invalid context: ${describeZodError(context.error)}`);
  return { request: checkAuthorization(raw.data), context: context.data };
}
