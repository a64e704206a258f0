/**
 * Placeholder SMART app: completes the launch and shows the patient in context and the card's
 * appContext. The risk view arrives with the app issue.
 */
import FHIR from "fhirclient";
import type { Patient } from "fhir/r4";

// Once, at module level: ready() consumes the authorization code, which works only once.
const ready = FHIR.oauth2.ready();
const root = document.getElementById("app") as HTMLElement;

function row(term: string, value: string, testId: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const dt = document.createElement("dt");
  dt.textContent = term;
  const dd = document.createElement("dd");
  dd.textContent = value;
  dd.dataset.testid = testId;
  fragment.append(dt, dd);
  return fragment;
}

function displayName(patient: Patient): string {
  const name = patient.name?.[0];
  return name?.text ?? [...(name?.given ?? []), name?.family ?? ""].join(" ").trim();
}

async function show(): Promise<void> {
  const client = await ready;
  const patientId = client.getPatientId();
  if (!patientId) throw new Error("The EHR did not give a patient in context.");
  const patient = (await client.request(`Patient/${encodeURIComponent(patientId)}`)) as Patient;
  const token = client.state.tokenResponse ?? {};
  const appContext = typeof token.appContext === "string" ? token.appContext : undefined;
  const list = document.createElement("dl");
  list.append(
    row("Patient", `${displayName(patient) || "(no name)"} (${patient.gender ?? "unknown"}, born ${patient.birthDate ?? "?"})`, "patient"),
    row("Patient id", patientId, "patient-id"),
    row("Scopes granted", String(token.scope ?? ""), "scope"),
    row("appContext", appContext ?? "none (the EHR sent no appContext)", "app-context"),
  );
  const note = document.createElement("p");
  note.textContent = "The risk view arrives with the app issue; this page only proves the launch.";
  root.replaceChildren(list, note);
  root.dataset.state = "ready";
}

show().catch((err: Error) => {
  root.textContent = `Could not complete the launch: ${err.message}`;
  root.dataset.state = "error";
});
