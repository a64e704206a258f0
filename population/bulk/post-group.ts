/** `--post-group`: PUTs one of the job's Group files to the FHIR server (by its id, so a run
 * again for the same index date updates the same Group), with retries. */
import { readFileSync } from "node:fs";
import type { Group } from "fhir/r4";
import { fetchWithToken, type TokenSource } from "./backend-services-token.ts";
import { parseJson } from "./parse-json.ts";
import { DEFAULT_RETRY, failFor, withRetries, type RetryPolicy } from "./retrying-fetch.ts";

export async function postGroup(fhirBaseUrl: string, groupFile: string, token: TokenSource, retry: RetryPolicy = DEFAULT_RETRY): Promise<string> {
  const group = parseJson(readFileSync(groupFile, "utf8"), groupFile) as Group;
  const url = `${fhirBaseUrl.replace(/\/$/, "")}/Group/${encodeURIComponent(group.id!)}`;
  await withRetries("post Group", retry, async (_signal, clock) => {
    const response = await fetchWithToken(
      url,
      { method: "PUT", headers: { "content-type": "application/fhir+json", accept: "application/fhir+json" }, body: JSON.stringify(group) },
      token,
      new URL(fhirBaseUrl).origin,
      clock,
    );
    if (!response.ok) await failFor(response, `PUT ${url}`);
  });
  return url;
}
