/** Calls from the EHR page to its own server (/ehr/api). */
// Type-only imports: the shapes are the server's, and nothing server-side is bundled.
import type { Chart, PatientSummary } from "../chart.ts";
import type { FeedbackItem, ServiceResult } from "../hooks/cds-client.ts";

export type { Chart, ChartEntry, PatientSummary } from "../chart.ts";
export type { ServiceResult } from "../hooks/cds-client.ts";

export interface HookToggles {
  omitPrefetch: boolean;
  fhirFault: "none" | "slow" | "fail";
}

/** One feedback item and the service it goes to. */
export type FeedbackRequest = FeedbackItem & { baseUrl: string; serviceId: string };

async function call<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`/ehr/api${path}`, {
    method: body === undefined ? "GET" : "POST",
    ...(body !== undefined && { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
  });
  const json = (await res.json().catch(() => ({}))) as T & { error?: string };
  if (!res.ok) throw new Error(json.error ?? `${path} answered ${res.status}`);
  return json;
}

export const api = {
  patients: () => call<PatientSummary[]>("/patients"),
  chart: (id: string) => call<Chart>(`/patients/${encodeURIComponent(id)}`),
  patientView: (id: string, toggles: HookToggles) =>
    call<{ services: ServiceResult[] }>(`/patients/${encodeURIComponent(id)}/patient-view`, toggles),
  feedback: (request: FeedbackRequest) => call<{ status: number }>("/feedback", request),
  launch: (patientId: string, appContext: string | undefined, embedded: boolean) =>
    call<{ launch: string; iss: string }>("/launch", { patientId, embedded, ...(appContext !== undefined && { appContext }) }),
};
