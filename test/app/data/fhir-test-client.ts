/**
 * A real fhirclient Client for a FHIR server that msw mocks, as the app gets from
 * FHIR.oauth2.ready() after a launch: the base, the access token, the patient and the granted scope.
 */
import BrowserAdapterModule from "fhirclient/lib/adapters/BrowserAdapter.js";

// A CommonJS module: TypeScript sees its exports object, vitest's interop hands over the class.
const BrowserAdapter = ("default" in BrowserAdapterModule ? BrowserAdapterModule.default : BrowserAdapterModule) as typeof BrowserAdapterModule.default;

export function fhirTestClient(serverUrl: string, tokenResponse: { access_token: string; patient: string; scope: string }) {
  return new BrowserAdapter().getSmartApi().client({ serverUrl, tokenResponse });
}

/** A searchset Bundle of these resources, with a next link when one is given. */
export const searchset = (resources: readonly object[], next?: string) => ({
  resourceType: "Bundle",
  type: "searchset",
  ...(next !== undefined && { link: [{ relation: "next", url: next }] }),
  entry: resources.map((resource) => ({ resource })),
});
