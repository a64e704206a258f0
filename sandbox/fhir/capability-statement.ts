/**
 * The CapabilityStatement at GET /metadata. It lists every search parameter of each served
 * type (fhirclient's `client.patient.request()` reads them and fails when there are none) and
 * points to the SMART endpoints with the standard OAuth URIs extension.
 */
import { getSearchParameters } from "@medplum/core";
import type { CapabilityStatement, CapabilityStatementRestResource } from "fhir/r4";
import type { SmartEndpoints } from "../auth/smart-configuration.ts";
import { SUPPORTED_TYPES } from "./supported-types.ts";

function resourceEntry(type: string): CapabilityStatementRestResource {
  const params = Object.values(getSearchParameters(type) ?? {});
  return {
    type,
    // create and update only inside a transaction (system/ write scopes): fhir-router.ts
    interaction: [{ code: "read" }, { code: "search-type" }, { code: "create" }, { code: "update" }],
    conditionalCreate: true,
    updateCreate: true,
    searchParam: params
      .filter((p) => p.code !== undefined && p.type !== undefined)
      .map((p) => ({ name: p.code as string, type: p.type as "string", ...(p.url !== undefined && { definition: p.url }) })),
  };
}

export function capabilityStatement(fhirBaseUrl: string, endpoints: SmartEndpoints): CapabilityStatement {
  return {
    resourceType: "CapabilityStatement",
    status: "active",
    date: new Date().toISOString().slice(0, 10),
    kind: "instance",
    software: { name: "Patella sandbox FHIR server (synthetic data, not for production)" },
    implementation: { description: "Patella sandbox", url: fhirBaseUrl },
    fhirVersion: "4.0.1",
    format: ["application/fhir+json", "json"],
    rest: [
      {
        mode: "server",
        security: {
          cors: true,
          service: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/restful-security-service", code: "SMART-on-FHIR" }] }],
          extension: [
            {
              url: "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
              extension: [
                { url: "authorize", valueUri: endpoints.authorizeUrl },
                { url: "token", valueUri: endpoints.tokenUrl },
              ],
            },
          ],
        },
        resource: SUPPORTED_TYPES.map(resourceEntry),
        interaction: [{ code: "transaction" }],
      },
    ],
  };
}
