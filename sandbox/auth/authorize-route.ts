/**
 * GET /authorize: the authorization code flow of SMART App Launch 2.x, auto-approved.
 *
 * EHR launch: `launch` names a context created by the EHR page (patient + the card's
 * appContext). Standalone launch: without `launch`, the user picks a patient from a list.
 * An unknown client or redirect URI gets an error page, never a redirect, so the endpoint cannot
 * be used to bounce users to arbitrary sites; other errors go back to the app as OAuth errors.
 */
import type { Request, Response } from "express";
import type { AppClient } from "./clients.ts";
import type { GrantStore, LaunchContext } from "./grant-store.ts";
import { escapeHtml, sandboxPage } from "./html.ts";
import { isValidChallenge } from "./pkce.ts";
import { grantInteractiveScopes, parseResourceScope, splitScopes } from "./scopes.ts";

export interface PatientChoice {
  id: string;
  label: string;
}

export interface AuthorizeOptions {
  /** The FHIR base URL: the `aud` every request must name. */
  fhirBaseUrl: string;
  appClients: readonly AppClient[];
  store: GrantStore;
  /** Patients offered by the standalone-launch picker. */
  listPatients: () => Promise<PatientChoice[]>;
}

type Params = Record<string, string | undefined>;

function stringParams(query: Request["query"]): Params {
  const out: Params = {};
  for (const [key, value] of Object.entries(query)) if (typeof value === "string") out[key] = value;
  return out;
}

function redirectWith(res: Response, redirectUri: string, values: Record<string, string | undefined>): void {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(values)) if (value !== undefined) url.searchParams.set(key, value);
  res.redirect(303, url.toString());
}

function needsPatientPicker(scopes: string[]): boolean {
  return scopes.includes("launch/patient") || scopes.some((s) => parseResourceScope(s)?.context === "patient");
}

async function renderPicker(res: Response, params: Params, options: AuthorizeOptions): Promise<void> {
  const patients = await options.listPatients();
  const items = patients.map((p) => {
    const url = new URLSearchParams({ ...(params as Record<string, string>), picked_patient: p.id });
    return `<li><a href="?${escapeHtml(url.toString())}">${escapeHtml(p.label)}</a></li>`;
  });
  res.type("html").send(sandboxPage("Choose a patient", `<ul>${items.join("")}</ul>`));
}

export function authorizeHandler(options: AuthorizeOptions) {
  return async (req: Request, res: Response): Promise<void> => {
    const p = stringParams(req.query);
    const client = options.appClients.find((c) => c.clientId === p.client_id);
    if (!client || p.redirect_uri === undefined || !client.redirectUris.includes(p.redirect_uri)) {
      res.status(400).type("html").send(sandboxPage("Authorization refused", "<p>Unknown client_id or redirect_uri not registered for it.</p>"));
      return;
    }
    const redirectUri = p.redirect_uri;
    const fail = (error: string, description: string) =>
      redirectWith(res, redirectUri, { error, error_description: description, state: p.state });

    if (p.response_type !== "code") return fail("unsupported_response_type", "response_type must be code");
    if (p.code_challenge_method !== "S256" || !isValidChallenge(p.code_challenge))
      return fail("invalid_request", "PKCE with code_challenge_method S256 is required");
    if (p.aud !== options.fhirBaseUrl) return fail("invalid_request", "aud must be this server's FHIR base URL");
    if (p.state === undefined || p.state === "") return fail("invalid_request", "state is required");

    const scopes = grantInteractiveScopes(p.scope ?? "");
    let context: LaunchContext | undefined;
    if (p.launch !== undefined) {
      context = options.store.launches.get(p.launch);
      if (!context) return fail("invalid_request", "unknown or expired launch");
    } else if (needsPatientPicker(splitScopes(p.scope))) {
      if (p.picked_patient === undefined) return renderPicker(res, p, options);
      const known = (await options.listPatients()).some((pt) => pt.id === p.picked_patient);
      if (!known) return fail("invalid_request", "unknown patient");
      context = { patient: p.picked_patient, needPatientBanner: true };
    }
    if (scopes.length === 0) return fail("invalid_scope", "none of the requested scopes can be granted");

    const code = options.store.codes.put({
      clientId: client.clientId,
      redirectUri,
      codeChallenge: p.code_challenge,
      scopes,
      ...(context?.patient !== undefined && { patient: context.patient }),
      ...(context?.appContext !== undefined && { appContext: context.appContext }),
      needPatientBanner: context?.needPatientBanner ?? true,
    });
    redirectWith(res, redirectUri, { code, state: p.state });
  };
}
