/** Calls from the EHR page to its own server (/ehr/api). */

export interface PatientSummary {
  id: string;
  name: string;
  gender: string;
  birthDate: string;
  tags: string[];
}

export interface ChartEntry {
  date: string;
  text: string;
}

export interface Chart {
  patient: PatientSummary;
  conditions: ChartEntry[];
  medications: ChartEntry[];
  bmi: ChartEntry[];
}

export interface ServiceResult {
  baseUrl: string;
  serviceId: string;
  title?: string;
  status: number;
  elapsedMs: number;
  cards: unknown[];
  error?: string;
}

export interface HookToggles {
  omitPrefetch: boolean;
  fhirFault: "none" | "slow" | "fail";
}

export interface FeedbackRequest {
  baseUrl: string;
  serviceId: string;
  card: string;
  outcome: "accepted" | "overridden";
  acceptedSuggestions?: { id: string }[];
  overrideReason?: { reason?: { code: string; system?: string; display?: string }; userComment?: string };
}

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
