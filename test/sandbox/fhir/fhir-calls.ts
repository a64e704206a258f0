/** The FHIR calls the sandbox's write tests make: a transaction Bundle POSTed at the base, and
 * the resources a search finds. */
import type { Bundle, BundleEntry, OperationOutcome, Resource } from "fhir/r4";
import { expect } from "vitest";

export function transaction(entry: BundleEntry[]): Bundle {
  return { resourceType: "Bundle", type: "transaction", entry };
}

export async function postBundle(fhirBaseUrl: string, bundle: unknown, token: string | undefined): Promise<{ status: number; body: Bundle | OperationOutcome }> {
  const response = await fetch(`${fhirBaseUrl}/`, {
    method: "POST",
    headers: { "content-type": "application/fhir+json", ...(token !== undefined && { authorization: `Bearer ${token}` }) },
    body: typeof bundle === "string" ? bundle : JSON.stringify(bundle),
  });
  return { status: response.status, body: (await response.json()) as Bundle | OperationOutcome };
}

/** The resources of one page of a search that must succeed. */
export async function searchResources(fhirBaseUrl: string, path: string, token: string): Promise<Resource[]> {
  const response = await fetch(`${fhirBaseUrl}/${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as Bundle).entry?.map((e) => e.resource!) ?? [];
}

/** The diagnostics of a refusal. */
export function messageOf(body: Bundle | OperationOutcome): string {
  expect(body.resourceType).toBe("OperationOutcome");
  return (body as OperationOutcome).issue.map((i) => i.diagnostics).join("; ");
}
