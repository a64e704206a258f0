/**
 * What the imaging import says to the FHIR server, as a SMART Backend Services client: its token,
 * the check that no Study Instance UID of the import is already another patient's study there,
 * and the one transaction.
 */
import type { Bundle, ImagingStudy, OperationOutcome } from "fhir/r4";
import { type TokenSource, backendServicesToken, fetchWithToken } from "../../population/bulk/backend-services-token.ts";
import { DEFAULT_RETRY, type RetryPolicy } from "../../population/bulk/retrying-fetch.ts";
import { fhirBase } from "../../shared/fhir-server-url.ts";
import { IMAGING_SYSTEM } from "../../shared/imaging/codes.ts";
import { clipped } from "../../shared/clipped-text.ts";
import { outcomeSummary } from "../../shared/operation-outcome-text.ts";
import { foreignReason } from "../../shared/patient-compartment.ts";

export interface ImportTarget {
  base: string;
  clientId: string;
  keyFile: string;
}

/** The most of a server's own words (an OperationOutcome, a token error) printed, control characters as "?". */
const SERVER_TEXT_MAX = 500;

/** ImagingStudies asked for in one page: one UID is one study and the few reconstructions made
 * of it, so an answer that needs a second page is not one this check can vouch for. */
const STUDIES_PER_UID = 100;

/**
 * Least privilege: create and update of exactly the types in the transaction, and search of
 * ImagingStudy, which the check for another patient's study needs.
 */
function importScopes(bundle: Bundle): string {
  const types = new Set((bundle.entry ?? []).map((e) => e.resource?.resourceType));
  return [...types].sort().map((t) => `system/${t}.cu${t === "ImagingStudy" ? "s" : ""}`).join(" ");
}

/** How long a busy token endpoint (429, or 503 with Retry-After) is waited for: an import is run
 * by a person or a nightly job, neither of which should hang for the Bulk client's day. */
const BUSY_LIMIT_MS = 10 * 60_000;

/** The token source for the import of `bundle`, with its first token: a server that grants too
 * little refuses here, before anything is searched or sent. Each wait is told to `log`. */
export async function importToken(target: ImportTarget, bundle: Bundle, log: (line: string) => void): Promise<TokenSource> {
  const scope = importScopes(bundle);
  const retry: RetryPolicy = { ...DEFAULT_RETRY, busyLimitMs: BUSY_LIMIT_MS, onRetry: (why, delayMs) => log(`waiting ${Math.ceil(delayMs / 1000)} s: ${why}`) };
  try {
    const tokens = await backendServicesToken(target.base, { clientId: target.clientId, keyFile: target.keyFile, scope }, retry);
    await tokens();
    return tokens;
  } catch (error) {
    throw new Error(`no access token for ${target.clientId} with scope "${scope}" (${clipped((error as Error).message, SERVER_TEXT_MAX)}); nothing was imported`);
  }
}

/** The server's reason in an OperationOutcome, clipped, or "" for any other body. */
function outcomeText(body: unknown): string {
  const detail = outcomeSummary(body, SERVER_TEXT_MAX);
  return detail === undefined ? "" : `: ${detail}`;
}

/** A request to the server with the token (fetchWithToken: to the server's origin only) and its FHIR JSON answer. */
async function fhirJson(target: ImportTarget, tokens: TokenSource, url: string, post?: Bundle) {
  const headers: Record<string, string> = { accept: "application/fhir+json" };
  const init = post === undefined ? { headers } : { method: "POST", headers: { ...headers, "content-type": "application/fhir+json" }, body: JSON.stringify(post) };
  const response = await fetchWithToken(url, init, tokens, target.base);
  const body = (await response.json().catch(() => undefined)) as Bundle | OperationOutcome | undefined;
  return { response, body };
}

/**
 * The Study Instance UIDs of `studies` (UID to the import's patient id) that the server holds
 * for another patient, as an ImagingStudy source or reconstruction. A DICOM UID names one study
 * in the world, so such a UID is a data error (a wrong Patient ID in the SR, or a wrong record on
 * the server), never a study to link this patient's results to. The conditional create names the
 * patient too (import-bundle.ts): a study made for another patient after this search still
 * cannot be matched.
 */
export async function studiesOfOtherPatients(target: ImportTarget, tokens: TokenSource, studies: ReadonlyMap<string, string>): Promise<Set<string>> {
  const clashes = new Set<string>();
  for (const [studyUid, patientId] of studies) {
    const query = new URLSearchParams({ identifier: `${IMAGING_SYSTEM.dicomUid}|urn:oid:${studyUid}`, _count: String(STUDIES_PER_UID) });
    const { response, body } = await fhirJson(target, tokens, new URL(`ImagingStudy?${query}`, fhirBase(target.base)).href);
    if (!response.ok || body?.resourceType !== "Bundle") {
      throw new Error(`the FHIR server did not answer the search for the studies already there (HTTP ${response.status}${outcomeText(body)}); nothing was imported`);
    }
    // JSON, whatever the FHIR types say: a link or entry that is not an array is no answer to vouch for.
    const links: unknown = body.link ?? [];
    const entries: unknown = body.entry ?? [];
    if (!Array.isArray(links) || !Array.isArray(entries)) {
      throw new Error(`the FHIR server's answer to the search for the studies already there is not a readable Bundle (link or entry not a list); nothing was imported`);
    }
    const studies = entries.map((entry) => (entry as { resource?: unknown } | null)?.resource as ImagingStudy | undefined).filter((r) => r?.resourceType === "ImagingStudy") as ImagingStudy[];
    // A server may ignore a search parameter it does not support and answer with other studies.
    // Its conditional create would ignore `identifier` too, and link these results to whatever
    // study of the patient it found: nothing is sent to such a server.
    if (studies.some((study) => !carriesStudyUid(study, studyUid))) {
      throw new Error("the FHIR server answered the search by Study Instance UID with studies of other UIDs: it does not honour ImagingStudy?identifier=, and its conditional create would not either; nothing was imported");
    }
    if (links.some((l) => (l as { relation?: unknown } | null)?.relation === "next")) {
      throw new Error(`the FHIR server holds more than one page of ImagingStudies with Study Instance UID ${studyUid}; nothing was imported`);
    }
    for (const study of studies) {
      // Whose it is by the one rule (shared/patient-compartment.ts: relative, or absolute on this
      // server's base); a study naming no patient counts as another's, as the conditional create
      // would not match it either.
      const namesPatient = study.subject !== undefined && study.subject !== null;
      if (!namesPatient || foreignReason(study, { patientId, fhirBaseUrl: target.base }) !== null) clashes.add(studyUid);
    }
  }
  return clashes;
}

function carriesStudyUid(study: ImagingStudy, studyUid: string): boolean {
  const identifiers: unknown = study.identifier;
  return Array.isArray(identifiers) && identifiers.some((i: { system?: unknown; value?: unknown } | null) => i?.system === IMAGING_SYSTEM.dicomUid && i.value === `urn:oid:${studyUid}`);
}

/** Posts the transaction; a refusal says the server's reason. */
export async function postTransaction(target: ImportTarget, tokens: TokenSource, bundle: Bundle): Promise<void> {
  const { response, body } = await fhirJson(target, tokens, fhirBase(target.base).href, bundle);
  if (!response.ok || body?.resourceType !== "Bundle") {
    throw new Error(`the FHIR server refused the transaction (HTTP ${response.status}${outcomeText(body)}); nothing was imported`);
  }
}
