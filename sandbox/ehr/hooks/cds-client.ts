/**
 * The EHR side of CDS Hooks 2.0: discovery, then one `patient-view` call per service with a
 * signed JWT, prefetch and FHIR access, and feedback on what the user did with a card.
 */
import type { Resource } from "fhir/r4";
import { issueAccessToken, type FhirFault, type TokenSigner } from "../../auth/access-token.ts";
import type { SearchEngine } from "../../fhir/search-engine.ts";
import { isSupportedType } from "../../fhir/supported-types.ts";
import { signHookJwt, type HookSigner } from "./hook-jwt.ts";
import { buildPrefetch } from "./prefetch.ts";
import { outcomeSummary } from "../../../shared/operation-outcome-text.ts";

export interface CdsServiceDescriptor {
  hook: string;
  id: string;
  title?: string;
  description?: string;
  prefetch?: Record<string, string>;
}

export interface CdsClientOptions {
  hookSigner: HookSigner;
  /** Signs the short-lived FHIR token handed to services as fhirAuthorization. */
  tokenSigner: TokenSigner;
  engine: SearchEngine;
  fhirBaseUrl: string;
  /** The signed-in clinician, sent as context.userId. */
  userId: string;
  /** Per-request timeout; an EHR does not wait forever for a card. */
  timeoutMs?: number;
}

export interface PatientViewOptions {
  /** Send no prefetch at all, so the service must fetch with fhirAuthorization. */
  omitPrefetch?: boolean;
  /** Make the FHIR server slow or failing for this call's fhirAuthorization token. */
  fhirFault?: FhirFault;
}

export interface ServiceResult {
  baseUrl: string;
  serviceId: string;
  title?: string;
  /** HTTP status, or 0 when the call failed before a response. */
  status: number;
  elapsedMs: number;
  cards: unknown[];
  error?: string;
  /** Why the service refused, from its OperationOutcome (what the integrator needs to see). */
  reason?: string;
}

/** Longest reason shown: a service's diagnostics, not a page of them. */
const MAX_REASON_CHARS = 300;


/**
 * What a service's FHIR token may read: this patient's resources of the types its discovery's
 * prefetch templates name, nothing more (the Patient at least). A real EHR grants what a service
 * was registered for; the types it asks to have prefetched are what it may need to fetch, and not
 * the claims, care plans or notes the server also holds.
 */
export function serviceScopes(service: Pick<CdsServiceDescriptor, "prefetch">): string[] {
  const types = new Set(["Patient"]);
  for (const template of Object.values(service.prefetch ?? {})) {
    const type = template.split(/[/?]/, 1)[0]!;
    if (isSupportedType(type)) types.add(type);
  }
  return [...types].map((type) => `patient/${type}.rs`);
}

async function signedFetch(options: CdsClientOptions, url: string, body?: unknown): Promise<Response> {
  const jwt = await signHookJwt(options.hookSigner, url);
  return fetch(url, {
    method: body === undefined ? "GET" : "POST",
    headers: {
      Authorization: `Bearer ${jwt}`,
      Accept: "application/json",
      ...(body !== undefined && { "Content-Type": "application/json" }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
  });
}

export async function discover(options: CdsClientOptions, baseUrl: string): Promise<CdsServiceDescriptor[]> {
  const res = await signedFetch(options, `${baseUrl}/cds-services`);
  if (!res.ok) throw new Error(`discovery at ${baseUrl} answered ${res.status}`);
  const json = (await res.json()) as { services?: CdsServiceDescriptor[] };
  if (!Array.isArray(json.services)) throw new Error(`discovery at ${baseUrl} has no services array`);
  return json.services;
}

async function fhirAuthorization(options: CdsClientOptions, service: CdsServiceDescriptor, patientId: string, fault?: FhirFault) {
  const clientId = `cds-service:${service.id}`;
  const ttl = 300;
  const scopes = serviceScopes(service);
  const token = await issueAccessToken(options.tokenSigner, { clientId, scopes, patient: patientId, ...(fault !== undefined && { fault }) }, ttl);
  return { access_token: token, token_type: "Bearer", expires_in: ttl, scope: scopes.join(" "), subject: clientId, patient: patientId };
}

async function callService(
  options: CdsClientOptions,
  baseUrl: string,
  service: CdsServiceDescriptor,
  patientId: string,
  view: PatientViewOptions,
): Promise<ServiceResult> {
  const started = performance.now();
  const context = { userId: options.userId, patientId };
  const result = (status: number, cards: unknown[], error?: string, reason?: string): ServiceResult => ({
    baseUrl,
    serviceId: service.id,
    ...(service.title !== undefined && { title: service.title }),
    status,
    elapsedMs: Math.round(performance.now() - started),
    cards,
    ...(error !== undefined && { error }),
    ...(reason !== undefined && { reason }),
  });
  try {
    let prefetch: Record<string, Resource | null> | undefined;
    if (!view.omitPrefetch && service.prefetch) {
      prefetch = await buildPrefetch(service.prefetch, context, { userId: options.userId }, options.engine);
    }
    const body = {
      hook: "patient-view",
      hookInstance: crypto.randomUUID(),
      fhirServer: options.fhirBaseUrl,
      fhirAuthorization: await fhirAuthorization(options, service, patientId, view.fhirFault),
      context,
      ...(prefetch !== undefined && { prefetch }),
    };
    const res = await signedFetch(options, `${baseUrl}/cds-services/${encodeURIComponent(service.id)}`, body);
    const json = (await res.json().catch(() => undefined)) as { cards?: unknown[] } | undefined;
    if (!res.ok) return result(res.status, [], `service answered ${res.status}`, outcomeSummary(json, MAX_REASON_CHARS));
    return result(res.status, Array.isArray(json?.cards) ? json.cards : [], Array.isArray(json?.cards) ? undefined : "response has no cards array");
  } catch (err) {
    return result(0, [], (err as Error).message);
  }
}

/** Fires patient-view at every patient-view service of every configured CDS base URL. */
export async function firePatientView(
  options: CdsClientOptions,
  baseUrls: readonly string[],
  patientId: string,
  view: PatientViewOptions,
): Promise<ServiceResult[]> {
  const perBase = await Promise.all(
    baseUrls.map(async (baseUrl) => {
      try {
        const services = (await discover(options, baseUrl)).filter((s) => s.hook === "patient-view");
        return Promise.all(services.map((s) => callService(options, baseUrl, s, patientId, view)));
      } catch (err) {
        return [{ baseUrl, serviceId: "(discovery)", status: 0, elapsedMs: 0, cards: [], error: (err as Error).message }];
      }
    }),
  );
  return perBase.flat();
}

export interface FeedbackItem {
  card: string;
  outcome: "accepted" | "overridden";
  acceptedSuggestions?: { id: string }[];
  overrideReason?: { reason?: { code: string; system?: string; display?: string }; userComment?: string };
}

/** Sends one feedback item; returns the service's HTTP status and, when it refused, why. */
export async function sendFeedback(
  options: CdsClientOptions,
  baseUrl: string,
  serviceId: string,
  item: FeedbackItem,
): Promise<{ status: number; reason?: string }> {
  const url = `${baseUrl}/cds-services/${encodeURIComponent(serviceId)}/feedback`;
  const res = await signedFetch(options, url, { feedback: [{ ...item, outcomeTimestamp: new Date().toISOString() }] });
  if (res.ok) {
    await res.body?.cancel();
    return { status: res.status };
  }
  const reason = outcomeSummary(await res.json().catch(() => undefined), MAX_REASON_CHARS);
  return { status: res.status, ...(reason !== undefined && { reason }) };
}
