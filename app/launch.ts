/**
 * SMART launch: the EHR opens launch.html?iss=...&launch=... (EHR launch); opened with only
 * ?iss=... it is a standalone launch. The site's client id, scopes and redirect come from
 * patella-app.json (runtime config), with the FHIR servers the site trusts, never from the link
 * (launchOverrides), beside the card's own indexDate and cardUuid, kept for the app page
 * (smart/launch-context.ts); fhirclient discovers the server's SMART configuration and redirects to its
 * authorize endpoint with PKCE (required, S256).
 */
import FHIR from "fhirclient";
import { fhirBaseKey } from "../shared/fhir-server-url.ts";
import { insecureAuthorizationServer } from "./smart/authorization-server.ts";
import { forgetLaunch, storedLaunchState } from "./smart/fhirclient-state.ts";
import { keepLaunchLinkContext, launchLinkContext } from "./smart/launch-context.ts";
import { oauthState } from "./smart/oauth-state.ts";
import { launchOverrides, loadRuntimeConfig, RUNTIME_CONFIG_FILE, scopesFor, untrustedServer } from "./smart/runtime-config.ts";

const params = new URLSearchParams(window.location.search);

async function launch(): Promise<void> {
  const overridden = launchOverrides(params);
  if (overridden !== undefined) throw new Error(overridden);
  const config = await loadRuntimeConfig(new URL(RUNTIME_CONFIG_FILE, window.location.href).toString());
  const refused = untrustedServer(config, params);
  if (refused !== undefined) throw new Error(refused);
  // The card's index date and id when the EHR drops its appContext (smart/launch-context.ts).
  const cardContext = launchLinkContext(params, new Date().toISOString().slice(0, 10));
  if ("refused" in cardContext) throw new Error(cardContext.refused);
  keepLaunchLinkContext(sessionStorage, cardContext);
  // fhirclient sends the link's iss as given (as aud, and as the base of every request), and
  // an authorization server compares aud with its FHIR base exactly: launch with the server as
  // the site lists it (fhirServers, in fhirBaseKey's spelling), so a trailing slash or a host
  // in capitals is not refused. fhirclient reads iss from the page's URL over its options.
  const listed = new URL(window.location.href);
  listed.searchParams.set("iss", fhirBaseKey(params.get("iss") as string));
  history.replaceState(history.state, "", listed);
  const stateKey = oauthState();
  // noRedirect: fhirclient discovers the endpoints and returns the authorize URL, so that the
  // endpoints are checked before the browser goes there (smart/authorization-server.ts).
  const authorizeUrl = await FHIR.oauth2.authorize({
    clientId: config.clientId,
    scope: scopesFor(config, params.has("launch")),
    redirectUri: config.redirectUri,
    pkceMode: "required",
    stateKey,
    noRedirect: true,
    // The app completes its authorization in the window it was launched in (below). Unset,
    // fhirclient would complete a named popup's in the EHR's window, posting the app's URL there
    // and closing itself (smart.js completeAuth), and warns on every framed launch.
    completeInTarget: true,
  });
  // What fhirclient stored is what the browser is sent to: unreadable, it cannot be checked.
  const stored = storedLaunchState(sessionStorage, stateKey);
  const insecure =
    stored === undefined
      ? "the launch's stored state could not be read back, so the authorization server's endpoints could not be checked"
      : insecureAuthorizationServer(stored);
  if (insecure !== undefined) {
    forgetLaunch(sessionStorage, stateKey);
    throw new Error(insecure);
  }
  // In the window that launched it, whether the EHR embeds it in a frame or opens it in a tab or
  // popup (completeInTarget above).
  window.location.assign(authorizeUrl as string);
}

launch().catch((err: Error) => {
  const message = document.createElement("p");
  message.setAttribute("role", "alert");
  message.textContent = `Could not start the SMART launch: ${err.message}`;
  const hint = document.createElement("p");
  hint.textContent = "If you opened Patella from your EHR, tell your EHR or Patella administrator what this page says.";
  document.title = "Patella: could not start";
  document.body.replaceChildren(message, hint);
});
