/**
 * Where a FHIR server's access token may go: the server's own origin (scheme, host, port), under
 * its base path. The CDS service's fetch fallback and the SMART app's reader follow `next` links
 * with the token, so both resolve every link by this one rule. Which servers are trusted at all
 * is configuration (the service's `fhirServers` per issuer, the app's in patella-app.json),
 * compared in one spelling (`fhirBaseKey`) and only over TLS or on this machine.
 */

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * https, or plain http on this machine only (sandbox, tests): tokens and keys sent in clear to
 * another host could be read or swapped by anyone on the path (SMART App Launch: sensitive
 * information only to authenticated servers over TLS).
 */
export function isTlsOrLoopback(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === "https:" || (parsed.protocol === "http:" && LOOPBACK_HOSTS.has(parsed.hostname));
}

/** A FHIR base URL in one spelling (normalised by URL, no trailing slash), so lists compare exactly. */
export function fhirBaseKey(url: string): string {
  return new URL(url).href.replace(/\/+$/, "");
}

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
