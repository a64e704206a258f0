/**
 * The site's SMART settings, read at launch from patella-app.json next to launch.html, so a
 * site changes client id, scopes, redirect or its FHIR servers without rebuilding the app.
 */
import { z } from "../../shared/zod-mini.ts";
import { fhirBaseKey, isTlsOrLoopback } from "../../shared/fhir-server-url.ts";
import { parseSmartScopeWithRestriction } from "../../shared/smart-scope.ts";
import { MODEL_CARD_PAGE } from "../model-card/model-card-file.ts";

/** patient/X.rs (or .r, .s) in v2's letters, of one type, optionally narrowed by search
 * parameters (`?category=...|vital-signs&...`): the app only reads. */
function isReadOnlyPatientScope(text: string): boolean {
  const scope = parseSmartScopeWithRestriction(text);
  return scope !== null && scope.context === "patient" && scope.type !== "*" && scope.version === 2 && /^r?s?$/.test(scope.permissions);
}

/** A string refined by `ok`, with `message` when it is not. */
const checkedString = (ok: (text: string) => boolean, message: string) => z.string().check(z.refine(ok, message));

const RuntimeConfig = z.object({
  clientId: z.string().check(z.minLength(1)),
  /** The FHIR servers (base URLs) the site's EHRs launch Patella with: https, or http on loopback. */
  fhirServers: z
    .array(z.pipe(checkedString(isTlsOrLoopback, "an https URL (plain http only on loopback)"), z.transform(fhirBaseKey)))
    .check(z.minLength(1, "at least one FHIR server")),
  /** Relative to launch.html (resolved by loadRuntimeConfig), or absolute; must be registered with the EHR. */
  redirectUri: z.string().check(z.minLength(1)),
  /** SMART v2 resource scopes (read and search only), granular ones (`?param=value&...`, SMART App
   * Launch 2.x) included; `launch` or `launch/patient` is added per launch. */
  scopes: z.array(checkedString(isReadOnlyPatientScope, "a read-only patient/X.rs scope")).check(z.minLength(1)),
  /** Where the model card is published, relative to launch.html (resolved by loadRuntimeConfig) or
   * absolute; defaults to the copy built beside launch.html. */
  modelCardUrl: z._default(z.string().check(z.minLength(1)), MODEL_CARD_PAGE),
  /** The site's image viewer, as a template of shared/imaging/viewer-url.ts; absent: no viewer
   * links. Its links carry Study Instance UIDs: https, or plain http on loopback only, as every
   * other server the app names (a {wadoRsBase} start is checked per link, viewer-url.ts). */
  imagingViewerUrl: z.optional(
    z.string().check(
      z.regex(/^(https?:\/\/|\{wadoRsBase\})/, "an http(s) URL template"),
      z.refine((t) => t.startsWith("{wadoRsBase}") || isTlsOrLoopback(t.replace(/\{[A-Za-z]+\}/g, "0")), "an https URL template (plain http only on loopback)"),
    ),
  ),
  /** The site's image servers (their PACS's DICOMweb), as origins: a heat map there may be linked. */
  imagingImageOrigins: z.optional(
    z.array(z.pipe(checkedString(isTlsOrLoopback, "an https origin (plain http only on loopback)"), z.transform((url: string) => new URL(url).origin))),
  ),
});
export type RuntimeConfig = z.output<typeof RuntimeConfig>;

export const RUNTIME_CONFIG_FILE = "patella-app.json";

/**
 * Fetches and checks the config; the error names the file and what is wrong with it. Its
 * relative addresses (redirectUri, modelCardUrl) are made absolute against the config's own URL,
 * which sits beside launch.html: one rule, whichever page (launch.html, the app) reads them.
 */
export async function loadRuntimeConfig(url: string): Promise<RuntimeConfig> {
  const response = await fetch(url, { cache: "no-cache" });
  if (!response.ok) throw new Error(`${RUNTIME_CONFIG_FILE}: HTTP ${response.status}`);
  let json: unknown;
  try {
    json = JSON.parse(await response.text());
  } catch (err) {
    throw new Error(`${RUNTIME_CONFIG_FILE}: not valid JSON: ${(err as Error).message}`);
  }
  const parsed = RuntimeConfig.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${RUNTIME_CONFIG_FILE}: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`);
  }
  const besideConfig = (address: string) => new URL(address, url).toString();
  return { ...parsed.data, redirectUri: besideConfig(parsed.data.redirectUri), modelCardUrl: besideConfig(parsed.data.modelCardUrl) };
}

/** EHR launch asks for the EHR's context; standalone launch asks the user to pick a patient. */
export function scopesFor(config: RuntimeConfig, ehrLaunch: boolean): string {
  return [ehrLaunch ? "launch" : "launch/patient", ...config.scopes].join(" ");
}

/**
 * The parameters of the launch link that fhirclient's authorize() takes over the options
 * launch.ts passes (node_modules/fhirclient/lib/smart.js; `encounterId` it takes from the
 * options only): `clientId` would swap the site's client id, `patientId` would set the patient
 * before the authorization server says which, and `fhirServiceUrl` (without `iss`) would skip
 * the authorization server, PKCE and the token altogether. SMART App Launch has the EHR send
 * only `iss` and `launch`, so a link carrying any of these was written by hand.
 */
const LAUNCH_OVERRIDES = ["clientId", "patientId", "fhirServiceUrl"] as const;

/**
 * Why launch.html must not start a launch whose link sets what only the site's config and the
 * EHR's authorization may set (LAUNCH_OVERRIDES), or undefined when it sets none. Refused, not
 * stripped: silently launching something other than the link asks for would hide a crafted
 * link or a misconfigured EHR from the site, as an unlisted server is refused
 * (untrustedServer). Only the parameters' names are quoted: their values are the link
 * writer's text.
 */
export function launchOverrides(launchParams: URLSearchParams): string | undefined {
  const set = LAUNCH_OVERRIDES.filter((name) => launchParams.has(name));
  if (set.length === 0) return undefined;
  return `the launch link sets ${set.join(", ")}, which an EHR never sends: Patella takes its client id from ${RUNTIME_CONFIG_FILE} and the patient from the EHR's authorization`;
}

/**
 * Why launch.html must not start a launch with the FHIR server its URL names (`iss`; a link
 * with fhirclient's other spelling, `fhirServiceUrl`, is refused by launchOverrides), or
 * undefined when the site lists that server. Anyone can write a launch link: unchecked,
 * launch.html?iss=<any server> would show that server's records, or made-up ones, as
 * Patella's risk under the site's name, and send the launch and its token wherever the link
 * says. Only the server's origin is quoted: the rest of a link is the link writer's text.
 */
export function untrustedServer(config: RuntimeConfig, launchParams: URLSearchParams): string | undefined {
  const serverUrl = launchParams.get("iss");
  if (!serverUrl) return "the launch names no FHIR server (iss)";
  if (!isTlsOrLoopback(serverUrl)) return "the launch names a FHIR server that is not an https address";
  if (!config.fhirServers.includes(fhirBaseKey(serverUrl))) {
    return `Patella is not set up for the FHIR server at ${new URL(serverUrl).origin}: the site lists its servers in ${RUNTIME_CONFIG_FILE} (fhirServers)`;
  }
  return undefined;
}
