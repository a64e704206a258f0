/**
 * SMART launch: the EHR opens launch.html?iss=...&launch=... (EHR launch); opened with only
 * ?iss=... it is a standalone launch. fhirclient discovers the server's SMART configuration
 * and redirects to its authorize endpoint with PKCE (required, S256).
 */
import FHIR from "fhirclient";
import { CLIENT_ID, scopesFor } from "./smart-settings.ts";

const params = new URLSearchParams(window.location.search);

FHIR.oauth2
  .authorize({
    clientId: CLIENT_ID,
    scope: scopesFor(params.has("launch")),
    redirectUri: "app/index.html",
    pkceMode: "required",
  })
  .catch((err: Error) => {
    document.body.textContent = `Could not start the SMART launch: ${err.message}`;
  });
