/**
 * Where a FHIR server's access token may go: the server's own origin (scheme, host, port), under
 * its base path. The CDS service's fetch fallback and the SMART app's reader follow `next` links
 * with the token, so both resolve every link by this one rule.
 */

/** The server's base as a folder, so that relative paths resolve under it. */
export function fhirBase(serverUrl: string): URL {
  return new URL(serverUrl.endsWith("/") ? serverUrl : `${serverUrl}/`);
}

/**
 * `link` resolved against `base`: the URL when it is on the server, "foreign" when it leads away,
 * "not-a-url" when it does not parse. URL's own error is not passed on: it quotes the text, and a
 * link may hold a name and a birth date.
 */
export function resolveOnServer(link: string, base: URL): URL | "foreign" | "not-a-url" {
  let url: URL;
  try {
    url = new URL(link, base);
  } catch {
    return "not-a-url";
  }
  return url.origin === base.origin && url.pathname.startsWith(base.pathname) ? url : "foreign";
}
