/**
 * What the hook benches (hook.ts, hook-threads.ts) send: the simulated patient without knee OA
 * who has the most resources (275 resources, a 199 KiB request), as the EHR would prefetch it,
 * in a patient-view call, with the EHR's signed tokens and the JWKS that verifies them.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Resource } from "fhir/r4";
import { SignJWT, type CryptoKey } from "jose";

export const HOOK_PATH = "/cds-services/koa-risk";
export const PUBLIC_BASE_URL = "https://cds.bench.local";
export const ISSUER = "https://ehr.bench.local";

const BODY_MEASURES = new Set(["39156-5", "29463-7", "8302-2"]);

/** `count`: the prefetch's resources (the Patient and every Bundle entry). */
export async function realisticPrefetch(patients: number): Promise<{ prefetch: Record<string, unknown>; patientId: string; count: number }> {
  const { simulateCohort } = await import("../models/cohort/simulate.ts");
  let best: Resource[] | undefined;
  for (const p of simulateCohort({ patients, seed: 20261127, endDate: "2025-12-31" })) {
    if (p.truth.kneeOaDiagnosisDate !== null) continue;
    if (!best || p.resources.length > best.length) best = p.resources;
  }
  if (!best) throw new Error("no eligible patient in the simulated cohort");
  const patient = best.find((r) => r.resourceType === "Patient")!;
  const of = (type: string, keep: (r: Resource) => boolean = () => true) => ({
    resourceType: "Bundle",
    type: "searchset",
    entry: best!.filter((r) => r.resourceType === type && keep(r)).map((resource) => ({ resource })),
  });
  const isBodyMeasure = (r: Resource) =>
    (r as { code?: { coding?: { code?: string }[] } }).code?.coding?.some((c) => BODY_MEASURES.has(c.code ?? "")) ?? false;
  const prefetch = {
    patient,
    conditions: of("Condition"),
    encounters: of("Encounter"),
    medicationRequests: of("MedicationRequest"),
    medicationStatements: of("MedicationStatement"),
    medicationDispenses: of("MedicationDispense"),
    bodyMeasures: of("Observation", isBodyMeasure),
  };
  const count = Object.values(prefetch).reduce((n, v) => n + ("entry" in v ? v.entry.length : 1), 0);
  return { prefetch, patientId: patient.id!, count };
}

/** The patient-view call the benches send, as JSON. */
export function hookBody(prefetch: Record<string, unknown>, patientId: string): string {
  return JSON.stringify({
    hook: "patient-view",
    hookInstance: crypto.randomUUID(),
    context: { userId: "Practitioner/bench", patientId },
    prefetch,
  });
}

/** Serves `jwks` on an ephemeral local port. */
export async function startJwks(jwks: unknown): Promise<{ url: string; close: () => void }> {
  const server = createServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`, close: () => server.close() };
}

/** `count` EHR tokens for the hook (each with its own jti: the service accepts an id once). */
export async function signTokens(key: CryptoKey, count: number): Promise<string[]> {
  const now = Math.floor(Date.now() / 1000);
  return Promise.all(
    Array.from({ length: count }, () =>
      new SignJWT({ iss: ISSUER, sub: "bench", aud: PUBLIC_BASE_URL + HOOK_PATH, iat: now, exp: now + 300, jti: crypto.randomUUID() })
        .setProtectedHeader({ alg: "ES384", kid: "bench-1", typ: "JWT" })
        .sign(key),
    ),
  );
}
